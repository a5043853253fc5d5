// naught killed with SIGKILL on a bare machine (no cgroup to clean up): no worker
// is left running, whatever state it was in.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { body } from './helpers/http.js';
import { naughtRunning, startApp } from './helpers/naught.js';
import { isAlive, until, workerPids } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';

describe('naught killed with SIGKILL', () => {
  const box = useSandbox();

  test('no worker outlives it: online, draining after shutdown, ignoring SIGTERM, or with a stuck event loop', async () => {
    // 'stubborn' workers ignore 'shutdown' and SIGTERM: the deploy waits for the old ones for ever.
    const { port, fg } = await startApp(box, ['--worker-count', '2', '--stop-timeout', '1'], { SHUTDOWN: 'stubborn' });
    const deploying = naughtRunning(['deploy'], { cwd: box.dir });
    await fg.waitFor('ShutdownOld');
    await until(() => fg.events.at(-1)?.count.dying === 2, 'both old workers to be told to shut down');
    // One of the new workers stops reading its event loop.
    expect(await body(port, '/block')).toBe('blocking');
    const workers = workerPids(box.dir);
    expect(workers).toHaveLength(4);

    fg.child.kill('SIGKILL');
    await until(() => workers.every((pid) => !isAlive(pid)), 'every worker to be gone', 5_000);
    expect(await deploying.result).toMatchObject({ code: 1, stderr: expect.stringContaining('lost the connection to naught before the deploy finished') });
  });

  test('with --node-args, killing the naught the operator started stops the copy that runs the workers, gracefully', async () => {
    const { fg } = await startApp(box, ['--worker-count', '2', '--node-args', '--max-old-space-size=100']);
    const copy = Number(readFileSync(box.path('naught.pid'), 'utf8'));
    expect(copy).not.toBe(fg.child.pid);
    const workers = workerPids(box.dir);
    expect(workers).toHaveLength(2);

    fg.child.kill('SIGKILL');
    await until(() => !isAlive(copy) && workers.every((pid) => !isAlive(pid)), 'the copy and its workers to be gone');
    const events = readFileSync(box.path('naught.log'), 'utf8').split('\n').slice(-4, -1).map((line) => line.split('.')[0]);
    expect(events).toEqual(['OldExit', 'OldExit', 'Shutdown']);
    expect(readFileSync(box.path('stderr.log'), 'utf8')).toContain('v1 got shutdown');
    expect(existsSync(box.path('naught.pid'))).toBe(false);
    expect(existsSync(box.path('naught.ipc'))).toBe(false);
  });
});
