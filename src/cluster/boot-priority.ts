// A booting worker runs at a lower CPU priority (a higher nice value) until it is
// online, so that what its boot burns (require(), setup) is the CPU the serving
// workers leave over: under load, a deploy's booting workers otherwise make the
// serving ones' requests wait (bench/tail.mjs measures it). Linux's nice value is
// per thread: every thread of the worker is set, the main thread first, as the
// threads it starts afterwards inherit its value. Lowering a priority is always
// allowed; raising it back needs CAP_SYS_NICE, or a nice limit (RLIMIT_NICE;
// systemd's LimitNICE=, docker's --ulimit nice=) that allows naught's own value.
// Without either, workers boot at their normal priority: otherwise they would serve
// at the lower one for ever.
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

/** CAP_SYS_NICE's bit in /proc's capability masks (linux/capability.h). */
const CAP_SYS_NICE = 23n;

export class BootPriority {
  private constructor(
    /** naught's own nice value, which the workers serve at. */
    readonly normal: number,
    /** The value while booting. */
    readonly booting: number,
  ) {}

  /** For `added` more nice while booting: the priority, null when it changes nothing, or why naught may not. */
  static choose(added: number): BootPriority | null | { refused: string } {
    const normal = os.getPriority();
    const booting = Math.min(19, normal + added);
    if (booting === normal) return null;
    if (!mayRaise(normal)) {
      return {
        refused: `workers boot at naught's priority: it could not set a worker's back to nice ${normal} once online (that needs CAP_SYS_NICE, or a nice limit of ${20 - normal}: LimitNICE=+${normal} in the unit, docker run --ulimit nice=${20 - normal}); --boot-nice 0 says nothing`,
      };
    }
    return new BootPriority(normal, booting);
  }

  lower(pid: number): void {
    setThreads(pid, this.booting);
  }

  restore(pid: number): void {
    setThreads(pid, this.normal);
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
