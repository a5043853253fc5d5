// Two things at once: each race with the events it must produce. (Two deploys at
// once, a stop during a deploy and a second SIGTERM are in deploy.test.ts and
// foreground.test.ts.)
import { writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { DEPLOY_FAILED } from '../src/cli/deploy.js';
import { body } from './helpers/http.js';
import { Foreground, lines, naught, naughtRunning, startApp } from './helpers/naught.js';
import { isAlive, processesUnder, until } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';

describe('races', () => {
  const box = useSandbox();

  /** A `naught deploy` (of v2) whose new workers boot until `boot()` is called, once they are spawned. */
  async function slowDeploy(fg: Foreground, count: number) {
    const mark = fg.events.length;
    const gate = box.path('boot');
    box.installApp('v2');
    const running = naughtRunning(['deploy'], { cwd: box.dir, env: { BOOT_GATE: gate } });
    await until(() => fg.names(mark).filter((name) => name === 'SpawnNew').length === count, 'the new workers to be spawned');
    return { ...running, boot: () => writeFileSync(gate, '') };
  }

  test('SIGHUP during a stop: the deploy is refused and the stop goes on to its end', async () => {
    const { fg } = await startApp(box, ['--stop-timeout', '0.5'], { SHUTDOWN: 'ignore' });
    const mark = fg.events.length;
    fg.child.kill('SIGTERM');
    await fg.waitFor('ShutdownOld', mark);
    fg.child.kill('SIGHUP');
    expect(await fg.exited).toEqual({ code: 0, signal: null });
    expect(fg.names(mark)).toEqual(['ShutdownOld', 'ErrorShuttingDown', 'Timeout', 'DestroyOld', 'OldExit', 'Shutdown']);
  });

  test('SIGTERM during a deploy: the deploy fails, then every worker, old and new, is stopped cleanly', async () => {
    const { fg } = await startApp(box, ['--worker-count', '2']);
    const deploying = await slowDeploy(fg, 2);
    const mark = fg.events.length;
    fg.child.kill('SIGTERM');
    expect(await fg.exited).toEqual({ code: 0, signal: null });
    expect(fg.names(mark)).toEqual(['DeployFailed', ...Array(4).fill('ShutdownOld'), ...Array(4).fill('OldExit'), 'Shutdown']);
    expect(await deploying.result).toMatchObject({ code: 1, stderr: expect.stringContaining(DEPLOY_FAILED) });
  });

  test('deploy-abort during the first boot is refused: the boot goes on', async () => {
    const gate = box.path('boot');
    const { fg } = await startApp(box, [], { BOOT_GATE: gate }, false);
    await fg.waitFor('SpawnNew');
    expect(await naught(['deploy-abort'], { cwd: box.dir })).toMatchObject({ code: 1, stderr: 'no deploy in progress\n' });
    writeFileSync(gate, '');
    await fg.waitFor('Ready');
    expect(fg.names()).toEqual(['Bootup', 'SpawnNew', 'ErrorNoDeployInProgress', 'NewOnline', 'Ready']);
    await fg.stop();
  });

  test('deploy-abort while the old workers drain comes too late: they are destroyed, the deploy is done, and the abort says so', async () => {
    const { port, fg } = await startApp(box, [], { SHUTDOWN: 'ignore' });
    box.installApp('v2');
    const deploying = naughtRunning(['deploy'], { cwd: box.dir, env: { SHUTDOWN: 'graceful' } });
    await fg.waitFor('ShutdownOld');
    const mark = fg.events.length;
    expect(await naught(['deploy-abort'], { cwd: box.dir })).toMatchObject({
      code: 1,
      stderr: lines(['DestroyOld', 0, 0, 1, 1], ['OldExit', 0, 0, 0, 1]) + 'too late to abort: every new worker was online; the old workers left were killed; the deploy is done\n',
    });
    expect(fg.names(mark)).toEqual(['DestroyOld', 'OldExit', 'Ready']);
    expect(await deploying.result).toMatchObject({ code: 0, stderr: expect.stringMatching(/done\n$/) });
    expect(await body(port, '/hi')).toMatch(/^v2/);
    await fg.stop();
  });

  test('an old worker dying while the new ones boot: it is restarted as the old release, then retired; the deploy succeeds', async () => {
    const { port, fg } = await startApp(box, ['--worker-count', '2']);
    const deploying = await slowDeploy(fg, 2);
    const mark = fg.events.length;
    // Only old workers serve until the new ones are online.
    expect(await body(port, '/crash')).toMatch(/^crashing/);
    await fg.waitFor('WorkerDeath', mark);
    deploying.boot();
    expect(await deploying.result).toMatchObject({ code: 0 });
    const names = fg.names(mark);
    expect(names[0]).toBe('WorkerDeath');
    expect(names.at(-1)).toBe('Ready');
    expect(names.filter((name) => name === 'ShutdownOld')).toHaveLength(2);
    expect(names.filter((name) => name === 'OldExit')).toHaveLength(2);
    expect(new Set(await Promise.all(Array.from({ length: 6 }, () => body(port, '/hi'))))).toEqual(new Set(['v2 undefined']));
    expect(await naught(['status'], { cwd: box.dir })).toMatchObject({ stdout: 'workers online: 2\n' });
    await fg.stop();
  });

  test('a new worker dying while the old ones drain: it is restarted as the new release; the deploy succeeds', async () => {
    const { port, fg } = await startApp(box, ['--worker-count', '2'], { SHUTDOWN: 'ignore' });
    box.installApp('v2');
    const deploying = naughtRunning(['deploy'], { cwd: box.dir, env: { SHUTDOWN: 'graceful' } });
    await until(() => fg.events.at(-1)?.count.dying === 2, 'both old workers to drain');
    // Counted as dying once asked to drain; they stop accepting when their agent hears it,
    // and are told 'shutdown' after that.
    await until(() => (fg.stderr.match(/^v1 got shutdown$/gm) ?? []).length === 2, 'both old workers to stop accepting');
    const mark = fg.events.length;
    // The old workers get no new connections: this one reaches a new worker.
    expect(await body(port, '/crash')).toMatch(/^crashing/);
    await fg.waitFor('WorkerOnline', mark);
    expect(fg.names(mark)).toEqual(['WorkerDeath', 'WorkerOnline']);
    expect(await naught(['deploy-abort'], { cwd: box.dir })).toMatchObject({ code: 1 });
    expect(await deploying.result).toMatchObject({ code: 0 });
    expect(fg.names(mark).slice(2)).toEqual(['DestroyOld', 'DestroyOld', 'OldExit', 'OldExit', 'Ready']);
    expect(new Set(await Promise.all(Array.from({ length: 6 }, () => body(port, '/hi'))))).toEqual(new Set(['v2 undefined']));
    await fg.stop();
  });

  test('naught killed during a deploy: the deploy command says so, nothing is left, and a plain start works again', async () => {
    const { port, fg } = await startApp(box, ['--worker-count', '2']);
    const deploying = await slowDeploy(fg, 2);
    fg.child.kill('SIGKILL');
    expect(await deploying.result).toMatchObject({ code: 1, stderr: expect.stringContaining('lost the connection to naught before the deploy finished') });
    await until(() => processesUnder(box.dir).length === 0, 'every process to be gone');
    const again = new Foreground(['start', '--worker-count', '2', 'server.js'], { cwd: box.dir, env: { PORT: String(port) } });
    await again.waitFor('Ready');
    expect(await naught(['status'], { cwd: box.dir })).toMatchObject({ code: 0, stdout: 'workers online: 2\n' });
    expect(isAlive(fg.child.pid!)).toBe(false);
    await again.stop();
  });
});
