// Deploys that check themselves, as an operator runs them: releases behind a `current`
// symlink, fresh connections all the time (so the kernel spreads them over every
// worker, the canary too), `naught deploy --canary 1`, and `naught rollback`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { body, freePort } from './helpers/http.js';
import { freshConnectionLoad, type LoadResult } from './helpers/load.js';
import { Foreground, naught, naughtRunning } from './helpers/naught.js';
import { eventually, until } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';

const FIXTURE = path.resolve('test/fixtures/app.cjs');

describe('canary deploys and rollback', () => {
  const box = useSandbox();

  /** releases/<n> holds the fixture as `version`, with `bad` set in its code (a release that misbehaves is its code, not its environment). */
  function release(n: number, version: string, bad: Record<string, string> = {}): string {
    const dir = box.path('app/releases', String(n));
    mkdirSync(dir, { recursive: true });
    const settings = Object.entries(bad).map(([name, value]) => `process.env.${name} = '${value}';`);
    const code = readFileSync(FIXTURE, 'utf8').replace('__VERSION__', version).replace("'use strict';", ["'use strict';", ...settings].join('\n'));
    writeFileSync(path.join(dir, 'server.js'), code);
    return dir;
  }

  const switchTo = (n: number): void => void execFileSync('ln', ['-sfn', `releases/${n}`, box.path('app/current')]);
  const ipc = (): string => box.path('app/shared/naught.ipc');
  const current = (): string => box.path('app/current');
  const run = (args: string[]) => naught([...args, ipc()], { cwd: current(), env: { PWD: current() }, deadlineMs: 60_000 });

  /** naught with 3 workers of releases/1 in `current`, its own files in shared/. */
  async function start(args: string[] = []): Promise<{ port: number; fg: Foreground }> {
    release(1, 'v1');
    mkdirSync(box.path('app/shared'));
    symlinkSync('releases/1', current());
    const port = await freePort();
    const shared = (name: string): string => box.path('app/shared', name);
    const files = ['--ipc-file', ipc(), '--pid-file', shared('naught.pid'), '--log', shared('naught.log'), '--stdout', shared('stdout.log'), '--stderr', shared('stderr.log')];
    const fg = new Foreground(['start', '--worker-count', '3', ...files, ...args, 'server.js'], { cwd: current(), env: { PORT: String(port), PWD: current() } });
    await fg.waitFor('Ready');
    return { port, fg };
  }

  async function status(): Promise<{ supervisor: { releases: { current: { directory: string }; previous: { directory: string } | null } }; workers: Array<{ number: number; state: string; restartsBy: Record<string, number>; lastExit: string | null; directory: string; requests: { total: number; byClass: Record<string, number> } | null }> }> {
    return JSON.parse((await naught(['status', '--json', ipc()], { cwd: box.dir })).stdout);
  }

  /** Every worker runs releases/<n>, and a fresh connection gets its answer. */
  async function expectAllOn(port: number, n: number, version: string): Promise<void> {
    const dir = realpathSync(box.path('app/releases', String(n)));
    const { workers } = await status();
    // Each worker's state and why its number restarted, should there be another.
    expect(workers.map((w) => w.directory), JSON.stringify(workers.map(({ number, state, restartsBy, lastExit }) => ({ number, state, restartsBy, lastExit })))).toEqual([dir, dir, dir]);
    for (let i = 0; i < 6; i += 1) expect(await body(port, '/hi')).toBe(`${version} undefined`);
  }

  /** The failures a load saw, by reason. */
  const reasons = (result: LoadResult): Record<string, number> => Object.fromEntries([...new Set(result.failures)].map((r) => [r, result.failures.filter((f) => f === r).length]));

  /**
   * A worker that crashes or wedges takes the requests it had taken with it: no
   * supervisor can answer them. At most one per client of the load (each has one
   * request in flight), reset when the process ends; every other request is answered.
   */
  function expectOnlyTheDyingWorkers(result: LoadResult): void {
    expect(result.failures.length, JSON.stringify(reasons(result))).toBeLessThanOrEqual(4);
    for (const reason of result.failures) expect(['ECONNRESET', 'socket hang up']).toContain(reason);
    expect(result.ok).toBeGreaterThan(100);
  }

  test('a good release passes its canary under load: every worker new, no request failed', async () => {
    const { port, fg } = await start();
    release(2, 'v2');
    switchTo(2);
    const load = freshConnectionLoad(port, '/hi', 4);
    const deployed = await run(['deploy', '--canary', '1', '--canary-window', '2']);
    const result = await load.stop();
    expect(deployed.code, deployed.stderr).toBe(0);
    expect(deployed.stderr).toContain('canary: worker 0 serves the new release beside 2 old for 2 s\n');
    expect(deployed.stderr).toMatch(/\ncanary passed: canary answered \d+ requests, 0\.0% 5xx \(old workers 0\.0%\) over 2 s\n/);
    expect(result.failures).toEqual([]);
    await expectAllOn(port, 2, 'v2');
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test('a release that answers 500 to every other request never gets past its canary: rolled back, the figures said, only its own 500s seen', async () => {
    const metricsPort = await freePort();
    const { port, fg } = await start(['--metrics', String(metricsPort), '--log-format', 'json']);
    release(2, 'v2', { FAIL_EVERY: '2' });
    switchTo(2);
    const load = freshConnectionLoad(port, '/hi', 4);
    const deployed = await run(['deploy', '--canary', '1', '--canary-window', '3']);
    const result = await load.stop();
    expect(deployed.code).toBe(1);
    expect(deployed.stderr.split('\n').at(-2)).toMatch(/^deploy failed: canary worker 0 answered (49|50|51)% 5xx \(old workers 0\.0%\) over 3 s; rolled back$/);
    // No connection failed: what failed is the canary's 500s, and no more of them than it answered.
    expect(Object.keys(reasons(result))).toEqual(['status 500']);
    expect(result.bodies.get('v2 failing')).toBe(result.failures.length);
    // Every worker is back on releases/1 (pinned, though current names releases/2).
    await expectAllOn(port, 1, 'v1');
    // The event log says why, with the figures; the metrics count it.
    const log = readFileSync(box.path('app/shared/naught.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    const failed = log.find((record) => record.event === 'CanaryFailed');
    expect(failed.failure).toMatch(/^canary worker 0 answered \d+% 5xx \(old workers 0\.0%\) over 3 s$/);
    expect(failed.verdict.requests).toBeGreaterThanOrEqual(100);
    expect(failed.verdict.serverErrors).toBeGreaterThan(0);
    expect(failed.verdict.serverErrors).toBeLessThanOrEqual(result.failures.length);
    expect(failed.verdict.oldServerErrors).toBe(0);
    expect(log.at(-1)).toMatchObject({ event: 'DeployFailed', failure: `${failed.failure}; rolled back` });
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toContain('naught_canaries_total{result="failed"} 1\n');
    expect(metrics).toContain('naught_deploys_total{result="failed"} 1\n');
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test('a release that crashes 2 s after it is online is rolled back within the window', async () => {
    const { port, fg } = await start();
    release(2, 'v2', { CRASH_AFTER_MS: '2000' });
    switchTo(2);
    const load = freshConnectionLoad(port, '/hi', 4);
    const began = performance.now();
    const deployed = await run(['deploy', '--canary', '1', '--canary-window', '20']);
    const tookMs = performance.now() - began;
    const result = await load.stop();
    expect(deployed.code).toBe(1);
    expect(deployed.stderr.split('\n').at(-2)).toBe('deploy failed: canary worker 0 exited with code 1; rolled back');
    // Well inside the 20 s window: the crash decided it.
    expect(tookMs).toBeLessThan(15_000);
    expectOnlyTheDyingWorkers(result);
    await expectAllOn(port, 1, 'v1');
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test('a release whose event loop sticks is judged by --worker-timeout inside the window and rolled back', async () => {
    const { port, fg } = await start(['--worker-timeout', '2']);
    release(2, 'v2', { WEDGE_AFTER_MS: '500' });
    switchTo(2);
    const load = freshConnectionLoad(port, '/hi', 4);
    const deployed = await run(['deploy', '--canary', '1', '--canary-window', '20']);
    expectOnlyTheDyingWorkers(await load.stop());
    expect(deployed.code).toBe(1);
    expect(deployed.stderr.split('\n').at(-2)).toMatch(/^deploy failed: canary worker 0 has not answered for [\d.]+ s \(--worker-timeout 2 s\); rolled back$/);
    await expectAllOn(port, 1, 'v1');
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test('Ctrl+C during the window rolls back, with no request failed', async () => {
    const { port, fg } = await start();
    release(2, 'v2');
    switchTo(2);
    const load = freshConnectionLoad(port, '/hi', 4);
    const deploying = naughtRunning(['deploy', '--canary', '1', '--canary-window', '60', ipc()], { cwd: current(), env: { PWD: current() }, deadlineMs: 60_000 });
    await until(() => deploying.stderr().includes('canary: worker 0 serves'), 'the canary window to begin', 20_000);
    deploying.child.kill('SIGINT');
    const deployed = await deploying.result;
    const result = await load.stop();
    expect(deployed.code).toBe(1);
    expect(deployed.stderr).toMatch(/\naborting deploy\n(.*\n)*deploy failed: the deploy was aborted; rolled back\n$/);
    expect(result.failures).toEqual([]);
    await expectAllOn(port, 1, 'v1');
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test('naught rollback brings back the release before the last deploy under load, after current moved on; one line when there is none or it is gone', async () => {
    const { port, fg } = await start();
    const none = await run(['rollback']);
    expect(none).toMatchObject({ code: 1, stderr: "rollback failed: nothing to roll back to: no deploy has gone through since naught started\n" });
    release(2, 'v2');
    switchTo(2);
    expect((await run(['deploy'])).code).toBe(0);
    // current moves on to a release that was never deployed.
    release(3, 'v3');
    switchTo(3);
    const load = freshConnectionLoad(port, '/hi', 4);
    const rolledBack = await run(['rollback']);
    const result = await load.stop();
    expect(rolledBack.code, rolledBack.stderr).toBe(0);
    expect(result.failures).toEqual([]);
    expect(result.bodies.get('v1 undefined')).toBeGreaterThan(0);
    await expectAllOn(port, 1, 'v1');
    const { releases } = (await status()).supervisor;
    expect([releases.current.directory, releases.previous?.directory]).toEqual([realpathSync(box.path('app/releases/1')), realpathSync(box.path('app/releases/2'))]);
    // Rolling back again goes forward to releases/2, unless it is gone.
    rmSync(box.path('app/releases/2'), { recursive: true });
    const gone = await run(['rollback']);
    expect(gone.code).toBe(1);
    expect(gone.stderr.split('\n').at(-2)).toBe(`rollback failed: the previous release cannot run again: ${realpathSync(box.path('app/releases/1')).replace(/1$/, '2')} is gone`);
    await expectAllOn(port, 1, 'v1');
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test("each worker's responses by status class and their latency, in status --json and /metrics", async () => {
    const metricsPort = await freePort();
    const { port, fg } = await start(['--metrics', String(metricsPort)]);
    for (let i = 0; i < 30; i += 1) await body(port, '/hi');
    for (let i = 0; i < 3; i += 1) await fetch(`http://127.0.0.1:${port}/nowhere`);
    // The figures come with each worker's next pong, within a second.
    let workers = (await status()).workers;
    await eventually(async () => (workers = (await status()).workers).reduce((sum, w) => sum + (w.requests?.total ?? 0), 0) === 33, 'every response counted');
    expect(workers.reduce((sum, w) => sum + (w.requests?.byClass['2xx'] ?? 0), 0)).toBe(30);
    expect(workers.reduce((sum, w) => sum + (w.requests?.byClass['4xx'] ?? 0), 0)).toBe(3);
    const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const counted = [...text.matchAll(/^naught_http_requests_total\{worker="\d",code="(\dxx)"\} (\d+)$/gm)];
    expect(counted.filter(([, code]) => code === '4xx').reduce((sum, [, , n]) => sum + Number(n), 0)).toBe(3);
    expect(text).toMatch(/^naught_http_request_duration_seconds_bucket\{worker="0",le="\+Inf"\} \d+$/m);
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test('a worker without the agent, or with no HTTP server, has no figures: none are made up', async () => {
    const port = await freePort();
    writeFileSync(box.path('tcp.js'), `require('node:net').createServer((s) => s.end('tcp')).listen(${port}, () => process.send('online'));\n`);
    const tcp = new Foreground(['start', '--worker-count', '2', '--metrics', String(await freePort()), 'tcp.js'], { cwd: box.dir });
    await tcp.waitFor('Ready');
    type Said = { requests: unknown; loopDelay: unknown };
    let workers: Said[] = [];
    // Two pongs each at least (the loop's delay comes with the second): the agent answered, with no figures.
    await eventually(async () => (workers = JSON.parse((await naught(['status', '--json'], { cwd: box.dir })).stdout).workers).every((w: Said) => w.loopDelay !== null), 'the agents to answer');
    expect(workers.map((w) => w.requests)).toEqual([null, null]);
    expect(await tcp.stop()).toEqual({ code: 0, signal: null });
    box.installApp('v1');
    const noAgent = ['--stdout', '/dev/null', '--stderr', '/dev/null', '--drain-timeout', '0', '--worker-timeout', 'none', '--balance', 'round-robin'];
    const http = new Foreground(['start', '--worker-count', '2', ...noAgent, 'server.js'], { cwd: box.dir, env: { PORT: String(port) } });
    await http.waitFor('Ready');
    for (let i = 0; i < 10; i += 1) await body(port, '/hi');
    const execArgv = JSON.parse(await body(port, '/execArgv'));
    expect(execArgv.join(' ')).not.toContain('agent.js');
    expect(JSON.parse((await naught(['status', '--json'], { cwd: box.dir })).stdout).workers.map((w: { requests: unknown }) => w.requests)).toEqual([null, null]);
    expect(await http.stop()).toEqual({ code: 0, signal: null });
  });
});
