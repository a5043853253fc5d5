// Zero downtime under load: keep-alive clients hammer the app through 10 deploys
// in a row. An app that closes its keep-alive connections gracefully (the worker
// contract) loses nothing; one that calls node's plain server.close() loses
// requests, which shows the load can see a failure.
import { describe, expect, test } from 'vitest';
import { keepAliveLoad } from './helpers/load.js';
import { naught, startApp } from './helpers/naught.js';
import { useSandbox } from './helpers/sandbox.js';

const DEPLOYS = 10;
const CONNECTIONS = 20;

describe('zero downtime under keep-alive load', () => {
  const box = useSandbox();

  async function deployUnderLoad(shutdown: 'graceful' | 'naive') {
    const { port, fg } = await startApp(box, ['--worker-count', '2'], { SHUTDOWN: shutdown });
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

  test("an app that calls node's plain server.close() loses requests on keep-alive connections", async () => {
    const result = await deployUnderLoad('naive');
    expect(result.failures.length).toBeGreaterThan(0);
    expect(new Set(result.failures)).toEqual(new Set(['ECONNRESET']));
  });
});
