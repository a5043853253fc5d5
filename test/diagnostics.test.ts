// Knowing why, with real processes: the stack of a worker naught kills for hanging,
// `naught report`, `profile` and `heap-snapshot` of a live worker under load, and a crash
// said with its last lines on stderr. The machine's side (when the stack is asked for,
// how long it is waited for) is in test/unit/machine.test.ts.
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { body } from './helpers/http.js';
import { freshConnectionLoad } from './helpers/load.js';
import { naught, naughtRunning, startApp } from './helpers/naught.js';
import { until } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';

const FIXTURE = path.resolve('test/fixtures/app.cjs');

/** The line (from 1) of the fixture that holds `text`. */
function lineOf(text: string): number {
  return readFileSync(FIXTURE, 'utf8').split('\n').findIndex((line) => line.includes(text)) + 1;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('diagnostics', () => {
  const box = useSandbox();
  const run = (args: string[]) => naught(args, { cwd: box.dir });

  test("a worker wedged in a named function: its stack and report are kept before it is killed, and its replacement serves at once", async () => {
    const { port, fg } = await startApp(box, ['--worker-count', '2', '--worker-timeout', '2']);
    const mark = fg.events.length;
    const wedgedAt = performance.now();
    const wedged = await body(port, '/spin');
    const hang = await fg.waitFor('WorkerHang', mark, 10_000);
    const file = path.join(box.dir, 'server.js');
    const spinLine = lineOf('setImmediate(function spinForever() {') + 1;
    const said = new RegExp(`^naught: worker ([01]) hung in spinForever \\(${escape(file)}:${spinLine}:\\d+\\): has not answered for [\\d.]+ s \\(--worker-timeout 2 s\\); killed, and replaced$`, 'm');
    await until(() => said.test(readFileSync(path.join(box.dir, 'naught.log'), 'utf8')), 'the hang in naught.log, with the function and its file', 2000);
    // Within the timeout and 2 s of the wedge, as the issue asks.
    expect(performance.now() - wedgedAt).toBeLessThan(4000);
    const worker = Number(said.exec(readFileSync(path.join(box.dir, 'naught.log'), 'utf8'))![1]);
    // status --json keeps it: the frames, and the whole report, beside naught.log, without the environment.
    const status = JSON.parse((await run(['status', '--json'])).stdout);
    const { lastStack } = status.workers.find((w: { number: number }) => w.number === worker);
    expect(lastStack.frames[0]).toMatchObject({ fn: 'spinForever', file, line: spinLine });
    const report = lastStack.report;
    expect(path.dirname(report)).toBe(box.dir);
    const parsed = JSON.parse(readFileSync(report, 'utf8'));
    expect(parsed.javascriptStack.stack[0]).toMatch(new RegExp(`^at spinForever \\(${escape(file)}:${spinLine}:\\d+\\)$`));
    expect(parsed.header.processId).toBe(Number(wedged));
    expect(parsed.environmentVariables).toBeUndefined();
    // The replacement was started when the hang was found, without waiting for the stack
    // (on a busy machine it may serve before the stack is in); the wedged one was killed after it.
    const spawned = fg.events.findIndex((event, index) => index >= mark && event.event === 'SpawnNew');
    expect(spawned).toBeLessThan(fg.events.indexOf(hang));
    await fg.waitFor('WorkerOnline', mark, 10_000);
    await fg.waitFor('WorkerDeath', mark, 10_000);
    expect(fg.names(mark).indexOf('WorkerHang')).toBeLessThan(fg.names(mark).indexOf('WorkerDeath'));
    for (let i = 0; i < 10; i += 1) expect(await body(port, '/pid')).not.toBe(wedged);
    // node's inspector lines never reach the worker's log.
    expect(readFileSync(path.join(box.dir, 'stderr.log'), 'utf8')).not.toMatch(/Debugger|ws:\/\//);
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test('a worker blocked in a native call has no stack to take: it is killed within STACK_WAIT_MS, and naught says why', async () => {
    const { port, fg } = await startApp(box, ['--worker-count', '2', '--worker-timeout', '2']);
    const mark = fg.events.length;
    await body(port, '/native-block');
    const hang = await fg.waitFor('WorkerHang', mark, 10_000);
    await until(() => /^naught: {3}no stack: did not open node's inspector on SIGUSR1 within 500 ms \(a thread stuck outside JavaScript/m.test(fg.stderr), 'why there is no stack');
    await fg.waitFor('WorkerDeath', fg.events.indexOf(hang), 10_000);
    // Its replacement did not wait for the stack: it may serve before naught gave up on it.
    await fg.waitFor('WorkerOnline', mark, 10_000);
    const worker = Number(/^naught: worker (\d) has not answered/m.exec(fg.stderr)![1]);
    const status = JSON.parse((await run(['status', '--json'])).stdout);
    expect(status.workers.find((w: { number: number }) => w.number === worker).lastStack).toEqual({ missing: expect.stringMatching(/^did not open node's inspector on SIGUSR1/) });
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test('report, profile and heap-snapshot of a live worker under load: files that parse, the hot function named, no request failed', async () => {
    const { port, fg } = await startApp(box, ['--worker-count', '2']);
    const load = freshConnectionLoad(port, '/hot', 4);
    await until(() => load.result.ok > 50, 'the load under way');

    const report = await run(['report', '0', '--output', path.join(box.dir, 'out/../w0.json')]);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toBe(`${path.join(box.dir, 'w0.json')}\n`);
    const parsed = JSON.parse(readFileSync(path.join(box.dir, 'w0.json'), 'utf8'));
    expect(parsed.header.commandLine.at(-1)).toBe(path.join(box.dir, 'server.js'));
    expect(parsed.environmentVariables).toBeUndefined();

    // The kernel gives each connection to whichever worker accepts first: on a loaded
    // machine worker 1 may serve little or nothing for a second. Profiled again, up to 5
    // times, until a profile has the hot function.
    let cpu: { startTime: number; endTime: number; nodes: Array<{ callFrame: { functionName: string; url: string } }> };
    const hotIn = (profile: typeof cpu) => profile.nodes.filter((node) => node.callFrame.functionName === 'hotLoop');
    for (let attempt = 1; ; attempt += 1) {
      const profile = await run(['profile', '1', '--seconds', '1']);
      expect(profile.code, profile.stderr).toBe(0);
      const profileFile = profile.stdout.trim();
      expect(path.basename(profileFile)).toMatch(/^server-worker1-\d{8}-\d{6}\.cpuprofile$/);
      expect(path.dirname(profileFile)).toBe(box.dir);
      cpu = JSON.parse(readFileSync(profileFile, 'utf8'));
      if (hotIn(cpu).length > 0 || attempt === 5) break;
    }
    expect(cpu.endTime - cpu.startTime).toBeGreaterThanOrEqual(900_000);
    const hot = hotIn(cpu);
    expect(hot.length).toBeGreaterThan(0);
    expect(hot[0]?.callFrame.url).toBe(`file://${path.join(box.dir, 'server.js')}`);

    const snapshot = await run(['heap-snapshot', '0', '--output', 'w0.heapsnapshot']);
    expect(snapshot.code, snapshot.stderr).toBe(0);
    expect(snapshot.stderr).toMatch(/^naught heap-snapshot: worker 0 \(pid \d+, [\d.]+ MB resident\) stops serving while V8 writes its heap out/);
    const heap = JSON.parse(readFileSync(path.join(box.dir, 'w0.heapsnapshot'), 'utf8'));
    expect(heap.snapshot.node_count).toBeGreaterThan(1000);
    expect(heap.strings).toContain('hotLoop');

    const result = await load.stop();
    expect(result.failures).toEqual([]);
    expect(result.ok).toBeGreaterThan(100);
    // No worker was replaced, none crashed; the inspector is closed again, and its lines are naught's alone.
    expect(fg.names().filter((name) => name !== 'Ready' && !['Bootup', 'SpawnNew', 'NewOnline'].includes(name))).toEqual([]);
    expect(readFileSync(path.join(box.dir, 'stderr.log'), 'utf8')).not.toMatch(/Debugger|ws:\/\//);
    const again = await run(['report', '0', '--output', 'again.json']);
    expect(again.code, again.stderr).toBe(0);
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test('bad input and a worker that cannot be examined: one line each, a non-zero exit, no file left behind', async () => {
    const { fg } = await startApp(box, ['--worker-count', '2']);
    const files = (): string[] => readdirSync(box.dir).filter((name) => /\.(json|cpuprofile|heapsnapshot)$/.test(name));
    const cases: Array<[string[], RegExp, number]> = [
      [['report', '7'], /^naught report: no worker 7 runs \(the workers are 0, 1\)\n$/, 1],
      [['report'], /^naught: which worker\? give its number .*\n$/, 2],
      [['report', 'one'], /^naught: a worker is named by its number \(0, 1, …\), not 'one'\n$/, 2],
      [['profile', '0', '--seconds', '0'], /^naught: --seconds must be a number of seconds from 0\.1 to \d+, not '0'\n$/, 2],
      [['report', '0', '--output', '/nonexistent/dir/x.json'], /^naught report: cannot write \/nonexistent\/dir\/x\.json: no such directory\n$/, 1],
      [['heap-snapshot', '0', '--seconds', '1'], /^naught: unknown option --seconds for 'naught heap-snapshot' \(known: --output\)\n$/, 2],
      // A file that fails as it is written (ENOSPC): said, and a device given as the file is left alone.
      [['report', '0', '--output', '/dev/full'], /^naught report: cannot write \/dev\/full: ENOSPC: no space left on device, write\n$/, 1],
    ];
    for (const [args, said, code] of cases) {
      const result = await run(args);
      expect(result.stderr, args.join(' ')).toMatch(said);
      expect(result.code, args.join(' ')).toBe(code);
    }
    // One at a time per worker: a second examination while a profile runs is refused.
    const first = naughtRunning(['profile', '0', '--seconds', '3', '--output', 'first.cpuprofile'], { cwd: box.dir });
    await until(() => existsSync(path.join(box.dir, 'first.cpuprofile')), 'the first profile under way');
    const second = await run(['profile', '0', '--seconds', '1', '--output', 'second.cpuprofile']);
    expect(second.stderr).toBe('naught profile: worker 0 is busy: naught takes a CPU profile of it\n');
    expect(second.code).toBe(1);
    expect((await first.result).code).toBe(0);
    expect(files()).toEqual(['first.cpuprofile']);
    expect(lstatSync('/dev/full').isCharacterDevice()).toBe(true);
    expect(fg.names().filter((name) => name === 'WorkerDeath')).toEqual([]);
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test("workers whose stderr naught does not read cannot be examined: one line, and a hang is said without a stack", async () => {
    const { port, fg } = await startApp(box, ['--worker-count', '2', '--worker-timeout', '2', '--stderr', '/dev/null']);
    const result = await run(['report', '0']);
    expect(result.stderr).toBe("naught report: the workers cannot be examined: naught reads none of the workers' stderr (--stderr /dev/null), where node says its inspector's address\n");
    expect(result.code).toBe(1);
    const mark = fg.events.length;
    await body(port, '/spin');
    await fg.waitFor('WorkerHang', mark, 10_000);
    await until(() => /^naught: {3}no stack: naught reads none of the workers' stderr \(--stderr \/dev\/null\)/m.test(fg.stderr), 'why there is no stack');
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test("a crash is said with its exit code and the worker's last lines on stderr, in naught.log and in status", async () => {
    const { port, fg } = await startApp(box, ['--worker-count', '2']);
    const mark = fg.events.length;
    await body(port, '/throw');
    await fg.waitFor('WorkerDeath', mark, 10_000);
    const log = (): string => readFileSync(path.join(box.dir, 'naught.log'), 'utf8');
    await until(() => /^naught: worker \d exited/m.test(log()), 'the death in naught.log');
    const worker = Number(/^naught: worker (\d) exited/m.exec(log())![1]);
    const status = JSON.parse((await run(['status', '--json'])).stdout);
    const { lastExit, lastStderr: stderr } = status.workers.find((w: { number: number }) => w.number === worker);
    expect(lastExit).toBe('exited with code 1');
    // Its own line, then node's account of the uncaught exception.
    expect(stderr.indexOf('about to throw')).toBeGreaterThanOrEqual(0);
    expect(stderr.indexOf('Error: boom from /throw')).toBeGreaterThan(stderr.indexOf('about to throw'));
    expect(stderr.at(-1)).toMatch(/^Node\.js v\d+/);
    expect(log()).toContain(`naught: worker ${worker} exited with code 1; its last lines on stderr:\n`);
    expect(log()).toContain('naught:   | about to throw\n');
    expect(log()).toContain('naught:   | Error: boom from /throw\n');
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });
});
