// --boot-nice: a booting worker runs at a lower CPU priority until it is online, every
// thread of it (a higher nice value, and SCHED_IDLE where chrt is found), and then at
// naught's, or at its own once starved for --boot-yield; only where naught may set it back (root
// here: CAP_SYS_NICE; another user with a nice limit); elsewhere workers boot at
// naught's priority and naught says why once.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { availableParallelism, getPriority, setPriority } from 'node:os';
import path from 'node:path';
import { chmodSync, chownSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { freePort } from './helpers/http.js';
import { Foreground, naught } from './helpers/naught.js';
import { until, workerPids } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';

const nobody = { uid: 65534, gid: 65534 };

/** Each thread's stat fields after the command's name: nice is [16], the scheduling policy [38]. */
function threadStats(pid: number): string[][] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  });
}

const niceOf = (pid: number): number[] => [...new Set(threadStats(pid).map((fields) => Number(fields[16])))];

/** sched(7)'s policies by their number in /proc: SCHED_OTHER 0, SCHED_IDLE 5. */
const POLICIES: Record<string, string> = { 0: 'other', 5: 'idle' };
const policyOf = (pid: number): string[] => [...new Set(threadStats(pid).map((fields) => POLICIES[fields[38]!] ?? fields[38]!))];

/** Whether every thread of each of `pids` runs at `nice` under `policy` (chrt runs beside the worker: it is waited for). */
const runAt = (pids: number[], nice: number, policy: string) => () => pids.every((pid) => niceOf(pid).join() === String(nice) && policyOf(pid).join() === policy);

describe('naught start --boot-nice', () => {
  const box = useSandbox();

  /** naught with `workers` (2) that listen at once and go online when the gate file exists. */
  async function gated(args: string[], options: { user?: typeof nobody; env?: Record<string, string>; workers?: number } = {}): Promise<{ fg: Foreground; gate: string }> {
    const { workers = 2, ...rest } = options;
    const port = await freePort();
    const gate = box.path('gate');
    box.installApp('v1');
    const fg = new Foreground(['start', '--worker-count', String(workers), ...args, 'server.js'], { cwd: box.dir, ...rest, env: { PORT: String(port), ONLINE_GATE: gate, ...rest.env } });
    await until(() => (fg.stderr.match(/v1 listening/g) ?? []).length === workers, 'every worker to listen');
    return { fg, gate };
  }

  const detail = async (user?: typeof nobody): Promise<{ supervisor: { bootNice: number | null; bootIdle: boolean } }> =>
    JSON.parse((await naught(['status', '--json'], { cwd: box.dir, ...(user === undefined ? {} : { user }) })).stdout);

  test.skipIf(process.getuid?.() !== 0)('every thread of a booting worker runs at nice 10 under SCHED_IDLE until it is online, then at naught\'s; so do a deploy\'s new workers beside the serving old ones', async () => {
    const { fg, gate } = await gated(['--boot-yield', 'none']);
    const booting = workerPids(box.dir);
    expect(booting).toHaveLength(2);
    await until(runAt(booting, 10, 'idle'), 'the booting workers at nice 10 under SCHED_IDLE');
    writeFileSync(gate, '');
    await fg.waitFor('Ready');
    await until(runAt(booting, 0, 'other'), 'the online workers back at nice 0 under SCHED_OTHER');
    expect((await detail()).supervisor).toMatchObject({ bootNice: 10, bootIdle: true });

    rmSync(gate);
    const mark = fg.events.length;
    box.installApp('v2');
    const deploy = naught(['deploy'], { cwd: box.dir });
    await until(() => (fg.stderr.match(/v2 listening/g) ?? []).length === 2, 'both new workers to listen');
    const fresh = workerPids(box.dir).filter((pid) => !booting.includes(pid));
    expect(fresh).toHaveLength(2);
    await until(runAt(fresh, 10, 'idle'), 'the new workers at nice 10 under SCHED_IDLE');
    expect(runAt(booting, 0, 'other')()).toBe(true);
    writeFileSync(gate, '');
    expect(await deploy).toMatchObject({ code: 0 });
    expect(fg.names(mark)).toContain('Ready');
    await until(runAt(fresh, 0, 'other'), 'the new workers back at nice 0 under SCHED_OTHER');
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test.skipIf(process.getuid?.() !== 0)('a thread of a booting worker found at naught\'s priority (one started while naught set the others) is lowered again while it boots', async () => {
    const { fg, gate } = await gated(['--boot-yield', 'none'], { workers: 1 });
    const [booting] = workerPids(box.dir);
    await until(runAt([booting!], 10, 'idle'), 'the booting worker at nice 10 under SCHED_IDLE');
    // One of its threads as a walk that missed it leaves it: at naught's policy and nice value.
    const thread = Number(readdirSync(`/proc/${booting}/task`).find((task) => Number(task) !== booting));
    execFileSync('chrt', ['--other', '--pid', '0', String(thread)]);
    setPriority(thread, 0);
    expect(getPriority(thread)).toBe(0);
    await until(runAt([booting!], 10, 'idle'), 'the thread at nice 10 under SCHED_IDLE again');
    writeFileSync(gate, '');
    await fg.waitFor('Ready');
    await until(runAt([booting!], 0, 'other'), 'the online worker back at nice 0 under SCHED_OTHER');
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  /** The CPU time, in seconds, all threads of `pid` have used (/proc/pid/stat's utime and stime, [11] and [12] after the name). */
  const cpuSecondsOf = (pid: number): number => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  };

  test.skipIf(process.getuid?.() !== 0)('--boot-yield 0.5: a booting worker that gets a CPU keeps the lower priority past it, however long its boot computes', async () => {
    const { fg, gate } = await gated(['--boot-yield', '0.5'], { workers: 1, env: { GATE_SPIN: '1' } });
    const [booting] = workerPids(box.dir);
    // Three times the yield spent computing: a yield counted from the start would have ended.
    await until(() => cpuSecondsOf(booting!) >= 1.5, 'the booting worker to use 1.5 s of CPU');
    expect(runAt([booting!], 10, 'idle')()).toBe(true);
    writeFileSync(gate, '');
    await fg.waitFor('Ready');
    await until(runAt([booting!], 0, 'other'), 'the online worker back at nice 0 under SCHED_OTHER');
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test.skipIf(process.getuid?.() !== 0)('--boot-yield 0.5: a booting worker starved (every CPU busy at naught\'s priority) runs at naught\'s after it, and its boot ends as before', async () => {
    // One CPU burner per CPU, at naught's priority: a SCHED_IDLE worker gets next to nothing.
    writeFileSync(box.path('burn.js'), 'for (;;);');
    const burners = Array.from({ length: availableParallelism() }, () => spawn(process.execPath, [box.path('burn.js')], { cwd: box.dir, stdio: 'ignore' }));
    try {
      const { fg, gate } = await gated(['--boot-yield', '0.5'], { workers: 1, env: { GATE_SPIN: '1' } });
      const [booting] = workerPids(box.dir);
      await until(runAt([booting!], 0, 'other'), 'the starved worker back at nice 0 under SCHED_OTHER');
      expect(fg.names()).not.toContain('Ready');
      writeFileSync(gate, '');
      await fg.waitFor('Ready');
      expect(await fg.stop()).toEqual({ code: 0, signal: null });
    } finally {
      for (const burner of burners) burner.kill('SIGKILL');
      await Promise.all(burners.map((burner) => burner.exitCode !== null || burner.signalCode !== null || once(burner, 'exit')));
    }
  });

  test.skipIf(process.getuid?.() !== 0)('no chrt on PATH: workers boot at nice 10 alone', async () => {
    const { fg, gate } = await gated(['--boot-yield', 'none'], { env: { PATH: path.dirname(process.execPath) } });
    const booting = workerPids(box.dir);
    await until(runAt(booting, 10, 'other'), 'the booting workers at nice 10 under SCHED_OTHER');
    expect((await detail()).supervisor).toMatchObject({ bootNice: 10, bootIdle: false });
    writeFileSync(gate, '');
    await fg.waitFor('Ready');
    expect(runAt(booting, 0, 'other')()).toBe(true);
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test('--boot-nice 0: workers boot at naught\'s priority', async () => {
    const { fg, gate } = await gated(['--boot-nice', '0']);
    for (const pid of workerPids(box.dir)) expect(niceOf(pid)).toEqual([0]);
    expect((await detail()).supervisor.bootNice).toBeNull();
    writeFileSync(gate, '');
    await fg.waitFor('Ready');
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  // A nice limit (systemd's LimitNICE=+0) lets another user set it back too: raising RLIMIT_NICE needs
  // CAP_SYS_RESOURCE, which the machines the tests run on do not give root, so that case is not run here.
  test.skipIf(process.getuid?.() !== 0)("a user who may not set it back: workers boot at naught's priority, and naught says why once", async () => {
    chmodSync(path.dirname(box.dir), 0o711);
    chownSync(box.dir, nobody.uid, nobody.gid);
    const { fg, gate } = await gated([], { user: nobody });
    for (const pid of workerPids(box.dir)) expect(niceOf(pid)).toEqual([0]);
    expect((await detail(nobody)).supervisor.bootNice).toBeNull();
    const line =
      "workers boot at naught's priority: it could not set a worker's back to nice 0 once online (that needs CAP_SYS_NICE, or a nice limit of 20: LimitNICE=+0 in the unit, docker run --ulimit nice=20); --boot-nice 0 says nothing";
    expect(fg.stderr.split('\n').filter((l) => l.includes('boot at naught'))).toEqual([line]);
    writeFileSync(gate, '');
    await fg.waitFor('Ready');
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
    expect(readFileSync(box.path('naught.log'), 'utf8').split('\n').filter((l) => l.includes('boot at naught'))).toEqual([line]);
  });

  test.each([['20'], ['ten'], ['1.5']])('--boot-nice %s: one line, exit 2, nothing started', async (value) => {
    box.installApp('v1');
    expect(await naught(['start', '--boot-nice', value, 'server.js'], { cwd: box.dir })).toMatchObject({
      code: 2,
      stdout: '',
      stderr: `naught: --boot-nice must be a whole number from 0 to 19, not '${value}'\n`,
    });
    expect(readdirSync(box.dir)).toEqual(['server.js']);
  });
});
