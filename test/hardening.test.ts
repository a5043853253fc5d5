// Nothing a worker, a client or another local user does takes naught down (issue 25).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import net from 'node:net';
import { describe, expect, test } from 'vitest';
import { body, freePort } from './helpers/http.js';
import { scrape } from './helpers/metrics.js';
import { naught, startApp } from './helpers/naught.js';
import { eventually, until, workerPids } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';

describe('naught outlives its workers and its clients', () => {
  const box = useSandbox();

  test('a worker that cannot be started again (naught out of file descriptors): naught lives, backs off, and starts it once it can', async () => {
    const { port, fg } = await startApp(box, ['--worker-count', '2']);
    const pid = fg.child.pid!;
    // Not one more file descriptor for naught: a new worker's pipes cannot be made (EMFILE).
    const open = readdirSync(`/proc/${pid}/fd`).length;
    execFileSync('prlimit', ['--pid', String(pid), `--nofile=${open}:`]);
    const [victim] = workerPids(box.dir);
    const mark = fg.events.length;
    process.kill(victim!, 'SIGKILL');
    // Its replacement could not start: a crash loop, whose next start waits.
    await until(() => fg.events.slice(mark).some((event) => event.event === 'WorkerDeath' && event.crashLoops !== undefined), 'a start that failed');
    execFileSync('prlimit', ['--pid', String(pid), '--nofile=1024:']);
    await fg.waitFor('WorkerOnline', mark);
    expect(await body(port, '/hi')).toBe('v1 undefined');
    const { workers } = JSON.parse((await naught(['status', '--json'], { cwd: box.dir })).stdout);
    expect(workers.map((worker: { lastExit: string | null }) => worker.lastExit)).toContain('could not start (EMFILE)');
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test('a worker that writes what naught cannot take on its channel is killed and replaced, with one line; naught lives', async () => {
    // Each worker number forges one kind, once: a line that is no JSON (with an escape sequence), 20 MiB with no end,
    // node:cluster listen requests with a port that is no port and with naught's own fd 0, and an act that names
    // a method of Object.prototype.
    const kinds = { line: 'cannot read', long: 'of more than 16 MiB', port: 'node could not take', fd: 'to listen on its own fd 0', proto: 'node could not take' };
    const forgeDir = box.path('forged');
    mkdirSync(forgeDir);
    const { port, fg } = await startApp(box, ['--worker-count', '5'], { FORGE: Object.keys(kinds).join(','), FORGE_DIR: forgeDir });
    const mark = fg.events.length;
    const faults = () => fg.events.slice(mark).filter((event) => event.event === 'WorkerFault');
    // node:cluster hands connections round, so every worker is asked in turn; each forges once.
    for (let tries = 0; faults().length < 5 && tries < 200; tries += 1) await body(port, '/forge-channel').catch(() => {});
    await until(() => faults().length === 5, 'five faults');
    await until(() => fg.events.slice(mark).filter((event) => event.event === 'WorkerOnline').length === 5, 'five replacements');
    expect(await body(port, '/hi')).toBe('v1 undefined');
    const { workers } = JSON.parse((await naught(['status', '--json'], { cwd: box.dir })).stdout);
    const lastExits = new Map(workers.map((worker: { number: number; lastExit: string }) => [worker.number, worker.lastExit]));
    Object.values(kinds).forEach((said, number) => expect(lastExits.get(number)).toContain(said));
    // One line each, and what the worker wrote stays on it.
    expect(fg.stderr.match(/^naught: worker \d (sent|asked) naught .*; killed$/gm)).toHaveLength(5);
    expect(fg.stderr).toContain('\\x1b[2Jnot json');
    expect(fg.stderr).not.toContain('\x1b');
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test('idle connections to --metrics: at most 32 are held, each is let go within seconds, and naught keeps its file descriptors for its workers', async () => {
    const metrics = await freePort();
    const { fg } = await startApp(box, ['--metrics', String(metrics)]);
    const fds = () => readdirSync(`/proc/${fg.child.pid}/fd`).length;
    const before = fds();
    // 250 clients that connect and say nothing, as anyone on the host can.
    const idle = await Promise.all(
      Array.from(
        { length: 250 },
        () =>
          new Promise<{ closed: Promise<number> }>((resolve) => {
            const socket = net.connect(metrics, '127.0.0.1', () => {
              const at = performance.now();
              resolve({ closed: new Promise((done) => socket.on('close', () => done(performance.now() - at))) });
            });
            socket.on('error', () => {});
          }),
      ),
    );
    expect(fds() - before).toBeLessThanOrEqual(32);
    for (const lasted of await Promise.all(idle.map(({ closed }) => closed))) expect(lasted).toBeLessThan(8000);
    expect((await scrape(metrics)).size).toBeGreaterThan(0);
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test("a worker's forged agent answer (a delay that is no number) is not believed: /metrics has no NaN, status --json no forged delay", async () => {
    const metrics = await freePort();
    const { port, fg } = await startApp(box, ['--metrics', String(metrics)]);
    // The one worker forges an answer every 10 ms: what naught last believed is almost always a forged one, unless refused.
    expect(await body(port, '/forge-pong')).toBe('forged');
    const workers = async () => JSON.parse((await naught(['status', '--json'], { cwd: box.dir })).stdout).workers;
    // Its answers arrive: it was heard within the last 50 ms (naught pings once a second).
    await eventually(async () => (await workers())[0].silentForMs < 50, 'the forged answers to arrive');
    const [{ loopDelay }] = await workers();
    if (loopDelay !== null) expect([typeof loopDelay.p99Ms, typeof loopDelay.maxMs]).toEqual(['number', 'number']);
    for (const value of (await scrape(metrics)).values()) expect(Number.isNaN(value)).toBe(false);
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });
});
