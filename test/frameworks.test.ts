// Zero downtime for apps written the way their frameworks' docs show, with no naught
// option and no naught code: Express 5, Fastify 5 (default options), README's minimal
// contract. Two workers, 50 keep-alive connections (node's http.Agent, which honours
// `Connection: close`) or 50 clients on fresh connections, through 3 deploys; then
// both loads at once through --max-memory recycles and a naught upgrade.
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { freePort } from './helpers/http.js';
import { freshConnectionLoad, keepAliveLoad, type LoadResult } from './helpers/load.js';
import { FRAMEWORKS, naught, startFramework } from './helpers/naught.js';
import { eventually, until } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';

const DEPLOYS = 3;
const CONNECTIONS = 50;

describe('apps as their frameworks write them, through deploys under load', () => {
  const box = useSandbox();

  async function deploysUnderLoad(fixture: string, connections: 'keep-alive' | 'fresh', env: Record<string, string> = {}): Promise<LoadResult> {
    const { port, fg } = await startFramework(box, fixture, [], env);
    const load = (connections === 'keep-alive' ? keepAliveLoad : freshConnectionLoad)(port, '/', CONNECTIONS);
    for (let release = 2; release <= DEPLOYS + 1; release += 1) {
      box.installApp(`v${release}`, 'server.js', path.join(FRAMEWORKS, fixture));
      expect(await naught(['deploy'], { cwd: box.dir })).toMatchObject({ code: 0 });
    }
    const result = await load.stop();
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
    // The last release answered.
    expect([...result.bodies.keys()].some((body) => body.startsWith(`v${DEPLOYS + 1} `))).toBe(true);
    return result;
  }

  for (const connections of ['keep-alive', 'fresh'] as const) {
    test(`Express 5, server.close() and closeIdleConnections() on 'shutdown', ${connections} connections: nothing lost`, async () => {
      const result = await deploysUnderLoad('express-app.cjs', connections);
      expect(result.failures).toEqual([]);
      expect(result.ok).toBeGreaterThan(500);
    });

    test(`Express 5, README's minimal contract (server.close() alone), ${connections} connections: nothing lost`, async () => {
      const result = await deploysUnderLoad('express-app.cjs', connections, { CLOSE: 'plain' });
      expect(result.failures).toEqual([]);
      expect(result.ok).toBeGreaterThan(500);
    });

    test(`Fastify 5, default options, fastify.close() on 'shutdown', ${connections} connections: nothing lost, no 503`, async () => {
      const result = await deploysUnderLoad('fastify-app.cjs', connections);
      expect(result.failures).toEqual([]);
      expect(result.ok).toBeGreaterThan(500);
    });
  }

  for (const fixture of ['express-app.cjs', 'fastify-app.cjs']) {
    test(`${fixture}: every response counted by status class and timed, with no app change`, async () => {
      const { port, fg } = await startFramework(box, fixture);
      for (let i = 0; i < 40; i += 1) expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
      for (let i = 0; i < 5; i += 1) expect((await fetch(`http://127.0.0.1:${port}/missing`)).status).toBe(404);
      type Counted = { requests: { byClass: Record<string, number>; p50Ms: number | null } | null };
      const sum = (workers: Counted[], code: string): number => workers.reduce((total, w) => total + (w.requests?.byClass[code] ?? 0), 0);
      let workers: Counted[] = [];
      // The figures come with each worker's next pong, within a second.
      await eventually(async () => {
        workers = JSON.parse((await naught(['status', '--json'], { cwd: box.dir })).stdout).workers;
        return sum(workers, '2xx') === 40 && sum(workers, '4xx') === 5;
      }, 'every response to be counted');
      expect(workers.every((w) => w.requests !== null && (w.requests.p50Ms === null || w.requests.p50Ms < 1000))).toBe(true);
      expect(await fg.stop()).toEqual({ code: 0, signal: null });
    });
  }

  async function bothLoads(port: number, during: () => Promise<void>): Promise<LoadResult[]> {
    const loads = [keepAliveLoad(port, '/', CONNECTIONS), freshConnectionLoad(port, '/', 10)];
    await until(() => loads.every((load) => load.result.ok > 20), 'the loads to start');
    await during();
    return Promise.all(loads.map((load) => load.stop()));
  }

  for (const fixture of ['express-app.cjs', 'fastify-app.cjs']) {
    test(`${fixture}: --max-memory recycles under load lose nothing`, async () => {
      // Every worker is over 1 MB: each is recycled in turn, its replacement online first.
      const { port, fg } = await startFramework(box, fixture, ['--max-memory', '1M']);
      const results = await bothLoads(port, async () => {
        const mark = fg.events.length;
        await until(() => fg.names(mark).filter((name) => name === 'OldExit').length >= 3, '3 recycled workers to be gone', 30_000);
      });
      expect(await fg.stop()).toEqual({ code: 0, signal: null });
      for (const result of results) expect(result.failures).toEqual([]);
    });

    test(`${fixture}: naught upgrade under load loses nothing`, async () => {
      // The held socket is the port the app listens on: naught upgrade passes it to the new naught.
      const port = await freePort();
      const { fg } = await startFramework(box, fixture, ['--listen', `127.0.0.1:${port}`], { PORT: String(port) });
      const results = await bothLoads(port, async () => {
        box.installApp('v2', 'server.js', path.join(FRAMEWORKS, fixture));
        const upgrade = await naught(['upgrade'], { cwd: box.dir });
        expect(upgrade.code, upgrade.stderr).toBe(0);
        expect(await fg.exited).toEqual({ code: 0, signal: null });
      });
      expect(await naught(['stop'], { cwd: box.dir })).toMatchObject({ code: 0 });
      for (const result of results) expect(result.failures).toEqual([]);
      expect(results[0]!.answers.at(-1)!.body).toMatch(/^v2 /);
    });
  }
});
