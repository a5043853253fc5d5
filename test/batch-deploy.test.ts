// `naught deploy --batch k` with real workers under load: each batch all online
// before its old workers get 'shutdown'; a failed batch leaves the ones before it
// on the new release, and the next deploy completes it. The rules to the event are
// in test/unit/machine.test.ts.
import { describe, expect, test } from 'vitest';
import { DEPLOY_FAILED } from '../src/cli/deploy.js';
import { keepAliveLoad } from './helpers/load.js';
import { naught, startApp } from './helpers/naught.js';
import { until } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';

interface Worker {
  number: number;
  release: string;
  directory: string;
}

describe('deploy in batches', () => {
  const box = useSandbox();

  const releases = async (): Promise<string[]> =>
    JSON.parse((await naught(['status', '--json'], { cwd: box.dir })).stdout).workers.map((w: Worker) => `${w.number} ${w.release}`);

  test('4 workers, --batch 1, under load: one at a time, never more than 5; a failure in the third batch; the next deploy completes it', async () => {
    const { port, fg } = await startApp(box, ['--worker-count', '4']);
    const load = keepAliveLoad(port, '/hi', 10);
    const mark = fg.events.length;
    box.installApp('v2');
    const failed = await naught(['deploy', '--batch', '1'], { cwd: box.dir, env: { CRASH_WORKER: '2' } });
    expect(failed).toMatchObject({ code: 1, stderr: expect.stringContaining(DEPLOY_FAILED) });
    const during = fg.events.slice(mark);
    expect(Math.max(...during.map(({ count }) => count.booting + count.online + count.dying + count.new_online))).toBe(5);
    expect(await releases()).toEqual(['0 new', '1 new', '2 current', '3 current']);
    // naught's stderr is a pipe of its own: the line may arrive a moment after the CLI's answer.
    const said = 'naught: deploy failed: new worker 2 exited with code 1; workers 0–1 run the new release, 2–3 the old\n';
    await until(() => fg.stderr.includes(said), 'the reason on naught\'s stderr');

    expect(await naught(['deploy', '--batch', '1'], { cwd: box.dir, env: { CRASH_WORKER: '' } })).toMatchObject({ code: 0 });
    expect(await releases()).toEqual(['0 current', '1 current', '2 current', '3 current']);
    const result = await load.stop();
    expect(result.failures).toEqual([]);
    expect([...result.bodies.keys()].sort()).toEqual(['v1 undefined', 'v2 undefined']);
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });
});
