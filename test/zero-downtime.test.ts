// Zero downtime under load: keep-alive clients hammer the app through 10 deploys
// in a row. An app that closes its keep-alive connections gracefully (the worker
// contract, by hand or with the naught/worker helper) loses nothing; one that calls
// node's plain server.close() loses requests, which shows the load can see a
// failure, unless --graceful-preload true makes its close graceful.
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { freePort } from './helpers/http.js';
import { keepAliveLoad } from './helpers/load.js';
import { Foreground, naught, startApp } from './helpers/naught.js';
import { workerPids } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';

const DEPLOYS = 10;
const CONNECTIONS = 20;

describe('zero downtime under keep-alive load', () => {
  const box = useSandbox();

  async function deployUnderLoad(shutdown: 'graceful' | 'naive', args: string[] = []) {
    const { port, fg } = await startApp(box, ['--worker-count', '2', ...args], { SHUTDOWN: shutdown });
    const load = keepAliveLoad(port, '/hi', CONNECTIONS);
    for (let release = 2; release <= DEPLOYS + 1; release += 1) {
      box.installApp(`v${release}`);
      expect(await naught(['deploy'], { cwd: box.dir })).toMatchObject({ code: 0 });
    }
    const result = await load.stop();
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
    return result;
  }

  test(`an app that follows the worker contract: ${DEPLOYS} deploys, ${CONNECTIONS} connections, zero failed requests`, async () => {
    const result = await deployUnderLoad('graceful');
    expect(result.failures).toEqual([]);
    expect(result.ok).toBeGreaterThan(1000);
    // Every release answered, and the last one is the one serving.
    expect([...result.bodies.keys()].sort()).toEqual(Array.from({ length: DEPLOYS + 1 }, (_, i) => `v${i + 1} undefined`).sort());
  });

  test("an app that calls node's plain server.close() loses nothing: the drain leaves it nothing to reset", async () => {
    // A short ramp: the ramp's own tests are in drain.test.ts; this one is about the app's close.
    const result = await deployUnderLoad('naive', ['--drain-ramp', '0.5']);
    expect(result.failures).toEqual([]);
    expect(result.ok).toBeGreaterThan(1000);
  });

  test("without the drain (--drain-timeout 0), the plain server.close() app loses requests on keep-alive connections", async () => {
    const result = await deployUnderLoad('naive', ['--drain-timeout', '0']);
    expect(result.failures.length).toBeGreaterThan(0);
    expect(new Set(result.failures)).toEqual(new Set(['ECONNRESET']));
  });

  test("--graceful-preload true without the drain: the same plain server.close() app loses nothing", async () => {
    const result = await deployUnderLoad('naive', ['--graceful-preload', 'true', '--drain-timeout', '0']);
    expect(result.failures).toEqual([]);
    expect(result.ok).toBeGreaterThan(1000);
  });

  test('an app wired with naught/worker (ready, onShutdown) loses nothing', async () => {
    const port = await freePort();
    copyFileSync('test/fixtures/helper-app.mjs', box.path('server.mjs'));
    const fg = new Foreground(['start', '--worker-count', '2', '--drain-ramp', '0.5', 'server.mjs'], {
      cwd: box.dir,
      env: { PORT: String(port), NAUGHT_HELPER: path.resolve('dist/worker.js') },
    });
    await fg.waitFor('Ready');
    const releases = [workerPids(box.dir, 'server.mjs')];
    const load = keepAliveLoad(port, '/', CONNECTIONS);
    for (let i = 0; i < DEPLOYS; i += 1) {
      expect(await naught(['deploy'], { cwd: box.dir })).toMatchObject({ code: 0 });
      releases.push(workerPids(box.dir, 'server.mjs'));
    }
    const result = await load.stop();
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
    expect(result.failures).toEqual([]);
    expect(result.ok).toBeGreaterThan(1000);
    // Each deploy replaced both workers, and every release answered (the load never
    // stops); only its own workers did. Which of a release's two workers answers is the
    // kernel's choice on the one shared socket: one may serve nothing before it is replaced.
    const answered = new Set([...result.bodies.keys()].map(Number));
    for (const [i, pids] of releases.entries()) {
      expect(pids).toHaveLength(2);
      if (i > 0) expect(pids.filter((pid) => releases[i - 1]!.includes(pid))).toEqual([]);
      expect(pids.some((pid) => answered.has(pid)), `release ${i + 1} answered`).toBe(true);
    }
    expect([...answered].filter((pid) => !releases.flat().includes(pid))).toEqual([]);
  });
});
