// A booting worker runs at a lower CPU priority until it is online, so that what its
// boot burns (node's start, require(), setup) is the CPU the serving workers leave
// over: under load, a deploy's booting workers otherwise make the serving ones'
// requests wait (bench/tail.mjs measures it).
//
// Lower means SCHED_IDLE where util-linux's chrt is found, and a higher nice value
// besides. A nice value alone does not do it on Linux 6.6+ (EEVDF): a woken serving
// worker still waits for the running booting one's time slice. Measured (2 cores, two
// bare servers under a steady load, p99 0.6 ms alone, two processes burning CPU
// beside them): 1.1–1.4 ms with the burners at nice 10, 0.7–0.8 at nice 19, 0.5 under
// SCHED_IDLE, which the kernel preempts at once for any other task.
//
// Both are per thread: every thread of the worker is set, the main thread first, as
// the threads it starts afterwards inherit it. A thread whose creation began before
// the main thread was set copies the old values, and may not be in /proc's list of
// threads yet when they are walked (node starts a dozen as it boots, and chrt's walk
// comes then): so while a worker boots its threads are looked at every CHECK_MS and a
// stray one is set again, and SETTLE_CHECKS times more once it is set back, so that
// no thread keeps the booting priority for good.
//
// Lowering is always allowed; setting it back needs CAP_SYS_NICE, or a nice limit
// (RLIMIT_NICE; systemd's LimitNICE=, docker's --ulimit nice=) that allows naught's
// own value, for the policy as for the nice value (sched(7)). Without either, workers
// boot at their normal priority: otherwise they would serve at the lower one for ever.
//
// A machine with no CPU to spare would let a yielding boot wait for ever, and a deploy
// with it: a booting worker that has gone --boot-yield starved (runnable, and getting
// under a tenth of a CPU) gets its normal priority back. Starved time, not time since
// it started: booting beside others on a machine with CPU to spare, a worker gets less
// than a whole CPU and takes longer, and there it still costs the serving ones nothing
// (4 workers booting at once under bench/tail.mjs's load, 2 cores: each got 27–75 % of
// a CPU, 0–3 % under a saturating load).
import { spawn } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { schedule, statFields } from '../host/process-usage.js';
import { monotonicMs } from '../host/monotonic.js';

/** CAP_SYS_NICE's bit in /proc's capability masks (linux/capability.h). */
const CAP_SYS_NICE = 23n;

/** How often a booting worker's threads and CPU time are read: 50 of /proc's 10 ms ticks, so a tenth is 5. */
const CHECK_MS = 500;

/** A runnable worker that got less than this share of one CPU since the last check was starved meanwhile. */
const STARVED_SHARE = 0.1;

/** How often, CHECK_MS apart, a worker's threads are looked at once it was set back. */
const SETTLE_CHECKS = 3;

/** sched(7)'s policies as /proc gives them. */
const SCHED_OTHER = 0;
const SCHED_IDLE = 5;

/** A worker naught set: the priority its threads should have, and what keeps them at it. */
interface Watched {
  nice: number;
  /** SCHED_IDLE or SCHED_OTHER once chrt set the worker so; null where it is not chrt's to keep. */
  policy: number | null;
  /** chrt still runs on it: its threads are not judged by their policy meanwhile. */
  chrtRunning: boolean;
  timer: NodeJS.Timeout;
}

export class BootPriority {
  /** Each worker naught lowered and has not forgotten, booting or settling back. */
  private readonly watched = new Map<number, Watched>();
  /** The booting ones, and whether chrt lowered each. */
  private readonly lowered = new Map<number, Promise<boolean>>();

  private constructor(
    /** naught's own nice value, which the workers serve at. */
    readonly normal: number,
    /** The value while booting. */
    readonly booting: number,
    /** How long a worker may go starved at it; null: until online. */
    private readonly yieldMs: number | null,
    /** chrt's path, null where it is not found: nice alone. */
    private readonly chrt: string | null,
    /** Told when a worker's policy could not be set back. */
    private readonly failed: (why: string) => void,
  ) {}

  /** For `added` more nice while booting: the priority, null when it changes nothing, or why naught may not. */
  static choose(added: number, yieldMs: number | null, failed: (why: string) => void): BootPriority | null | { refused: string } {
    const normal = os.getPriority();
    const booting = Math.min(19, normal + added);
    if (booting === normal) return null;
    if (!mayRaise(normal)) {
      return {
        refused: `workers boot at naught's priority: it could not set a worker's back to nice ${normal} once online (that needs CAP_SYS_NICE, or a nice limit of ${20 - normal}: LimitNICE=+${normal} in the unit, docker run --ulimit nice=${20 - normal}); --boot-nice 0 says nothing`,
      };
    }
    return new BootPriority(normal, booting, yieldMs, findExecutable('chrt', process.env.PATH ?? ''), failed);
  }

  /** Whether booting workers run under SCHED_IDLE too. */
  get idle(): boolean {
    return this.chrt !== null;
  }

  lower(pid: number): void {
    setThreads(pid, this.booting);
    const watched = this.watch(pid, this.booting, this.whileBooting(pid));
    const idle = this.chrt === null ? Promise.resolve(false) : this.chrtOn(watched, pid, '--idle', SCHED_IDLE);
    this.lowered.set(pid, idle);
  }

  /** Back to naught's priority: once online, or starved for yieldMs; once. */
  restore(pid: number): void {
    const idle = this.lowered.get(pid);
    if (idle === undefined) return;
    this.lowered.delete(pid);
    clearInterval(this.watched.get(pid)?.timer);
    setThreads(pid, this.normal);
    let checks = 0;
    const watched = this.watch(pid, this.normal, () => {
      checks += 1;
      if (checks >= SETTLE_CHECKS) clearInterval(watched.timer);
    });
    // After the chrt that lowered it, which may still run; where it failed (a chrt without --all-tasks), nice alone did it.
    watched.chrtRunning = true;
    void idle.then((lowered) => {
      watched.chrtRunning = false;
      if (lowered && this.watched.get(pid) === watched) void this.chrtOn(watched, pid, '--other', SCHED_OTHER);
    });
  }

  /** The worker exited: its pid may name another process soon. */
  forget(pid: number): void {
    clearInterval(this.watched.get(pid)?.timer);
    this.watched.delete(pid);
    this.lowered.delete(pid);
  }

  /** Every CHECK_MS, `pid`'s threads are kept at `nice` (and under the policy chrt set), then `then` runs. */
  private watch(pid: number, nice: number, then: () => void): Watched {
    const watched: Watched = { nice, policy: null, chrtRunning: false, timer: setInterval(() => this.keep(pid, watched, then), CHECK_MS).unref() };
    this.watched.set(pid, watched);
    return watched;
  }

  /** A thread of `pid` that strayed from its watch is set again. */
  private keep(pid: number, watched: Watched, then: () => void): void {
    const threads = threadSettings(pid);
    if (threads.some((thread) => thread.nice !== watched.nice)) setThreads(pid, watched.nice);
    const { policy } = watched;
    if (policy !== null && !watched.chrtRunning && threads.some((thread) => thread.policy !== policy)) {
      void this.chrtOn(watched, pid, policy === SCHED_IDLE ? '--idle' : '--other', policy);
    }
    then();
  }

  /** chrt sets `pid`'s threads; once it did, the watch keeps them under `policy`. */
  private async chrtOn(watched: Watched, pid: number, flag: '--idle' | '--other', policy: number): Promise<boolean> {
    watched.chrtRunning = true;
    const done = await this.setPolicy(pid, flag);
    watched.chrtRunning = false;
    if (done) watched.policy = policy;
    return done;
  }

  /** What a booting worker's check does besides: with --boot-yield, it counts its starved time, and restores it past yieldMs. */
  private whileBooting(pid: number): () => void {
    const yieldMs = this.yieldMs;
    if (yieldMs === null) return () => {};
    let last = { at: monotonicMs(), cpuSeconds: schedule(pid)?.cpuSeconds ?? 0 };
    let starvedMs = 0;
    return () => {
      const now = schedule(pid);
      // Gone: its exit forgets it.
      if (now === null) return;
      const at = monotonicMs();
      const elapsedMs = at - last.at;
      if (now.runnable && (now.cpuSeconds - last.cpuSeconds) * 1000 < STARVED_SHARE * elapsedMs) starvedMs += elapsedMs;
      last = { at, cpuSeconds: now.cpuSeconds };
      if (starvedMs >= yieldMs) this.restore(pid);
    };
  }

  /**
   * chrt on every thread of `pid`: whether it did; failing to set a worker still there back is told. A thread
   * that ends while chrt walks them stops chrt there (ESRCH): it is walked again, the thread list read anew.
   */
  private setPolicy(pid: number, policy: '--idle' | '--other', attempt = 1): Promise<boolean> {
    return new Promise((resolve) => {
      const child = spawn(this.chrt!, [policy, '--all-tasks', '--pid', '0', String(pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
      let settled = false;
      // node emits 'close' after 'error' too: the first says why.
      const done = (why: string | null): void => {
        if (settled) return;
        settled = true;
        if (why !== null && why.includes('No such process') && attempt < THREAD_WALKS && alive(pid)) return resolve(this.setPolicy(pid, policy, attempt + 1));
        if (why !== null && policy === '--other' && alive(pid)) this.failed(`could not set worker process ${pid} back from SCHED_IDLE: ${why}`);
        resolve(why === null);
      };
      child.once('error', (error) => done(error.message));
      child.once('close', (code) => done(code === 0 ? null : stderr.trim().split('\n')[0] || `chrt exited with ${code}`));
    });
  }
}

/** How often chrt walks a worker's threads when one ends under it. */
const THREAD_WALKS = 3;

/** The first executable `name` in a PATH-like list, or null. */
function findExecutable(name: string, searchPath: string): string | null {
  for (const dir of searchPath.split(':')) {
    if (!path.isAbsolute(dir)) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sets every thread of `pid`, the main one first; a process or thread gone meanwhile is skipped. */
function setThreads(pid: number, nice: number): void {
  try {
    os.setPriority(pid, nice);
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      if (Number(task) === pid) continue;
      try {
        os.setPriority(Number(task), nice);
      } catch {
        // The thread ended.
      }
    }
  } catch {
    // The worker is gone: its exit is reported anyway.
  }
}

/** The nice value and scheduling policy of each thread of `pid` (/proc's stat fields 19 and 41); none when it is gone. */
function threadSettings(pid: number): Array<{ nice: number; policy: number }> {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) => {
      const fields = statFields(`/proc/${pid}/task/${task}/stat`);
      // A thread that ended meanwhile has none.
      return fields === null ? [] : [{ nice: Number(fields[16]), policy: Number(fields[38]) }];
    });
  } catch {
    return [];
  }
}

/** Whether naught may set a process of its user back to nice `normal` (kernel/sys.c's can_nice). */
function mayRaise(normal: number): boolean {
  try {
    const effective = /^CapEff:\s+([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (effective !== undefined && (BigInt(`0x${effective}`) >> CAP_SYS_NICE) & 1n) return true;
    const limit = /^Max nice priority\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1];
    return limit === 'unlimited' || (limit !== undefined && 20 - normal <= Number(limit));
  } catch {
    return false;
  }
}
