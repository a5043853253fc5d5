// Deploy semantics (SPEC "Deploy, and the worker states"): every event sequence,
// failure, timeout and abort, and the worker contract around them.
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { describe, expect, test } from 'vitest';
import { body } from './helpers/http.js';
import { DEPLOY_FAILED } from '../src/cli/deploy.js';
import { lines, naught, naughtRunning, startApp as startFixture, type Foreground } from './helpers/naught.js';
import { until } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';

describe('deploy', () => {
  const box = useSandbox();

  async function startApp(count: number, env: Record<string, string> = {}) {
    const { port, fg } = await startFixture(box, ['--worker-count', String(count)], { hi: 'old', ...env });
    const deploy = (args: string[] = [], deployEnv: Record<string, string> = {}) =>
      naught(['deploy', ...args], { cwd: box.dir, env: deployEnv });
    return { port, fg, deploy };
  }

  /** A deploy whose new worker hangs at boot: it listens (naught's held socket is its), and never says 'online'. */
  async function hangingDeploy(fg: Foreground) {
    // Its own line: the old workers' 'listening' may reach fg.stderr after their events do.
    const hanging = (): number => (fg.stderr.match(/ hangs at boot\n/g) ?? []).length;
    const before = hanging();
    const running = naughtRunning(['deploy'], { cwd: box.dir, env: { BOOT: 'hang' } });
    // Listening, not only spawned: a stop that reaches a worker still starting closes its channel before it listens, and it exits.
    await until(() => running.stderr().includes('SpawnNew') && hanging() > before, 'the deploy\'s new worker to listen');
    return running;
  }

  /**
   * The worker numbers that answer: at least `requests` fresh connections, and on until
   * `expected` distinct ones answered or 200 did. Which worker accepts a connection is the
   * kernel's choice (a cold worker can lose a run of them), so a count alone can miss one.
   */
  async function workerNumbers(port: number, requests: number, expected = 2): Promise<string[]> {
    const seen = new Set<string>();
    for (let i = 0; i < 200 && (i < requests || seen.size < expected); i += 1) seen.add(await body(port, '/worker'));
    return [...seen].sort();
  }

  test('a new worker that dies at boot fails the deploy; the old ones keep serving with their settings', async () => {
    const { port, fg, deploy } = await startApp(2);
    box.installApp('v2');
    expect(await deploy([], { BOOT: 'crash' })).toMatchObject({
      code: 1,
      stderr: lines(['SpawnNew', 1, 2, 0, 0], ['SpawnNew', 2, 2, 0, 0], ['NewDeath', 1, 2, 0, 0], ['DestroyNew', 0, 2, 0, 0], ['NewDestroyed', 0, 2, 0, 0]) + `${DEPLOY_FAILED}\n`,
    });
    expect(fg.names().at(-1)).toBe('DeployFailed');
    expect(await body(port, '/hi')).toBe('v1 old');

    // The failed release's environment is not kept: a resuscitated worker boots with the old one.
    const mark = fg.events.length;
    await body(port, '/crash');
    await fg.waitFor('Ready', mark);
    expect(fg.names(mark)).toEqual(['WorkerDeath', 'WorkerOnline', 'Ready']);
    await fg.stop();
  });

  test('--timeout aborts a deploy whose new workers never come online', async () => {
    const { port, fg, deploy } = await startApp(1);
    expect(await deploy(['--timeout', '0.5'], { BOOT: 'hang' })).toMatchObject({
      code: 1,
      stderr: lines(['SpawnNew', 1, 1, 0, 0], ['Timeout', 1, 1, 0, 0], ['DestroyNew', 0, 1, 0, 0], ['NewDestroyed', 0, 1, 0, 0]) + `${DEPLOY_FAILED}\n`,
    });
    expect(await body(port, '/hi')).toBe('v1 old');
    await fg.stop();
  });

  test('Ctrl+C aborts a hanging deploy with zero downtime', async () => {
    const { port, fg } = await startApp(1);
    const running = await hangingDeploy(fg);
    running.child.kill('SIGINT');
    expect(await running.result).toMatchObject({
      code: 1,
      stderr: lines(['SpawnNew', 1, 1, 0, 0]) + 'aborting deploy\n' + lines(['DestroyNew', 0, 1, 0, 0], ['NewDestroyed', 0, 1, 0, 0]) + 'deploy aborted\n',
    });
    expect(await body(port, '/hi')).toBe('v1 old');
    await fg.stop();
  });

  test('Ctrl+C once every new worker is online comes too late: the old workers left are killed, the deploy is done, and it says so', async () => {
    // The old worker ignores 'shutdown': the deploy waits for it until told otherwise.
    const { port, fg } = await startApp(1, { SHUTDOWN: 'ignore' });
    box.installApp('v2');
    const running = naughtRunning(['deploy'], { cwd: box.dir, env: { SHUTDOWN: 'graceful' } });
    await until(() => running.stderr().includes('ShutdownOld'), 'the old worker to be told to shut down');
    running.child.kill('SIGINT');
    expect(await running.result).toMatchObject({
      code: 0,
      stderr: expect.stringMatching(/aborting deploy\nDestroyOld.*\nOldExit.*\ntoo late to abort: every new worker was online; the old workers left were killed\ndone\n$/),
    });
    expect(await body(port, '/hi')).toBe('v2 old');
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test('an old worker whose event loop sticks after its shutdown is killed within --worker-timeout: the deploy does not wait for it', async () => {
    const { fg } = await startFixture(box, ['--worker-count', '2', '--worker-timeout', '2'], { SHUTDOWN: 'wedge' });
    const deployed = naught(['deploy'], { cwd: box.dir, env: { SHUTDOWN: 'graceful' } });
    expect(await deployed).toMatchObject({ code: 0, stderr: expect.stringMatching(/\ndone\n$/) });
    expect(fg.stderr.match(/^naught: worker \d (hung (in|at) .+: )?has not answered for [\d.]+ s \(--worker-timeout 2 s\); killed \(it was being retired\)$/gm)).toHaveLength(2);
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test('deploy-abort ends a deploy that hangs; another deploy meanwhile is refused', async () => {
    const { port, fg } = await startApp(1);
    const hanging = await hangingDeploy(fg);

    const second = naughtRunning(['deploy'], { cwd: box.dir });
    await until(() => second.stderr().includes('Deploy already in progress'), 'the second deploy to be refused');

    expect(await naught(['deploy-abort'], { cwd: box.dir })).toMatchObject({
      code: 0,
      stderr: lines(['DestroyNew', 0, 1, 0, 0], ['NewDestroyed', 0, 1, 0, 0]) + 'deploy aborted\n',
    });
    expect(await hanging.result).toMatchObject({ code: 1 });
    expect((await hanging.result).stderr.endsWith(`${DEPLOY_FAILED}\n`)).toBe(true);
    expect(await second.result).toMatchObject({
      code: 1,
      stderr: 'Deploy already in progress. Press Ctrl+C to abort.\n' + lines(['DestroyNew', 0, 1, 0, 0], ['NewDestroyed', 0, 1, 0, 0]),
    });
    expect(await naught(['deploy-abort'], { cwd: box.dir })).toMatchObject({ code: 1, stderr: 'no deploy in progress\n' });
    expect(await body(port, '/hi')).toBe('v1 old');
    await fg.stop();
  });

  test('old workers that ignore shutdown are destroyed after the timeout, and the deploy succeeds', async () => {
    const { port, fg, deploy } = await startApp(1, { SHUTDOWN: 'stubborn' });
    box.installApp('v2');
    // The new workers shut down normally; the old one ignores 'shutdown' and SIGTERM.
    expect(await deploy(['--timeout', '0.5'], { SHUTDOWN: 'graceful' })).toMatchObject({
      code: 0,
      stderr:
        lines(['SpawnNew', 1, 1, 0, 0], ['NewOnline', 0, 1, 0, 1], ['ShutdownOld', 0, 0, 1, 1], ['Timeout', 0, 0, 1, 1], ['DestroyOld', 0, 0, 1, 1], ['OldExit', 0, 0, 0, 1]) +
        'done\n',
    });
    expect(await body(port, '/hi')).toBe('v2 old');
    await fg.stop();
  });

  test('stop --timeout destroys workers that ignore shutdown', async () => {
    const { fg } = await startApp(2, { SHUTDOWN: 'ignore' });
    expect(await naught(['stop', '--timeout', '0.3'], { cwd: box.dir })).toMatchObject({
      code: 0,
      stderr: lines(
        ['ShutdownOld', 0, 1, 1, 0],
        ['ShutdownOld', 0, 0, 2, 0],
        ['Timeout', 0, 0, 2, 0],
        ['DestroyOld', 0, 0, 2, 0],
        ['DestroyOld', 0, 0, 2, 0],
        ['OldExit', 0, 0, 1, 0],
        ['OldExit', 0, 0, 0, 0],
      ),
    });
    expect(await fg.exited).toEqual({ code: 0, signal: null });
  });

  test('worker numbers: 0..n-1 at start, after deploys that change the count, and for a resuscitated worker', async () => {
    const { port, fg, deploy } = await startApp(3);
    expect(await workerNumbers(port, 12, 3)).toEqual(['0', '1', '2']);
    expect(await deploy(['--worker-count', '2'])).toMatchObject({ code: 0 });
    expect(await workerNumbers(port, 8)).toEqual(['0', '1']);
    // 0 keeps the count.
    expect(await deploy(['--worker-count', '0'])).toMatchObject({ code: 0 });
    expect(await workerNumbers(port, 8)).toEqual(['0', '1']);

    const mark = fg.events.length;
    await body(port, '/crash');
    await fg.waitFor('Ready', mark);
    expect(fg.events.slice(mark).map((e) => e.event)).toEqual(['WorkerDeath', 'WorkerOnline', 'Ready']);
    expect(await workerNumbers(port, 8)).toEqual(['0', '1']);
    await fg.stop();
  });

  test("--worker-count auto gives one worker per CPU", async () => {
    const { port, fg, deploy } = await startApp(1);
    const cpus = availableParallelism();
    const result = await deploy(['--worker-count', 'auto']);
    expect(result.code).toBe(0);
    expect(result.stderr.match(/^SpawnNew/gm)).toHaveLength(cpus);
    expect(await workerNumbers(port, cpus * 4, cpus)).toHaveLength(cpus);
    await fg.stop();
  });

  test('--override-env and --cwd: environment and working directory of the new workers', async () => {
    const { port, fg, deploy } = await startApp(1);
    expect(await body(port, '/cwd')).toBe(box.dir);
    mkdirSync(box.path('release2'));

    expect(await deploy(['--override-env', 'false'], { hi: 'ignored' })).toMatchObject({ code: 0 });
    expect(await body(port, '/hi')).toBe('v1 old');

    expect(await deploy(['--cwd', 'release2'], { hi: 'new', EXTRA: 'added' })).toMatchObject({ code: 0 });
    expect(await body(port, '/cwd')).toBe(box.path('release2'));
    expect(await body(port, '/hi')).toBe('v1 new');
    expect(await body(port, '/env?name=EXTRA')).toBe('added');

    // SIGHUP deploys with what is current now: the new cwd and environment stay.
    const mark = fg.events.length;
    fg.child.kill('SIGHUP');
    await fg.waitFor('Ready', mark);
    expect(await body(port, '/cwd')).toBe(box.path('release2'));
    expect(await body(port, '/env?name=EXTRA')).toBe('added');
    await fg.stop();
  });

  test("'offline': the worker is replaced with the same number and allowed to finish; a second 'offline' is ignored", async () => {
    const { port, fg } = await startApp(1);
    const run = async (route: string): Promise<string[]> => {
      const mark = fg.events.length;
      expect(await body(port, route)).toMatch(/^Going offline/);
      await fg.waitFor('WorkerDeath', mark);
      await fg.waitFor('Ready', mark);
      expect(await body(port, '/worker')).toBe('0');
      return fg.events.slice(mark).map((e) => `${e.event} ${e.count.booting}${e.count.online}${e.count.dying}${e.count.new_online}`);
    };
    const first = await run('/offline');
    expect(first.slice(0, 2)).toEqual(['WorkerOffline 0010', 'SpawnNew 1010']);
    // The old worker may finish before or after its replacement is online.
    expect([
      ['WorkerOnline 0110', 'Ready 0110', 'WorkerDeath 0100'],
      ['WorkerDeath 1000', 'WorkerOnline 0100', 'Ready 0100'],
    ]).toContainEqual(first.slice(2));
    // Going offline again soon after starting is a crash loop: the replacement waits 1 s.
    expect(await run('/double-offline')).toEqual(['WorkerOffline 0010', 'WorkerDeath 0000', 'SpawnNew 1000', 'WorkerOnline 0100', 'Ready 0100']);
    await fg.stop();
  });

  test('a stop during a deploy fails the deploy; a deploy while stopping is refused; SIGTERM forces the stop', async () => {
    const { fg } = await startApp(1, { SHUTDOWN: 'ignore' });
    const before = fg.events.length;
    const hanging = await hangingDeploy(fg);
    // The deploy command saw SpawnNew through the ipc socket; naught's Node parent gets it on a channel of its own.
    await fg.waitFor('SpawnNew', before);
    const mark = fg.events.length;
    const stopping = naughtRunning(['stop'], { cwd: box.dir });
    expect((await hanging.result).code).toBe(1);
    expect(await naught(['deploy'], { cwd: box.dir })).toMatchObject({ code: 1, stderr: 'naught is shutting down: nothing was deployed\n' });
    expect(await naught(['status'], { cwd: box.dir })).toMatchObject({ code: 0, stdout: 'shutting down\nbooting: 0, online: 0, dying: 2, new_online: 0\n' });
    const again = naughtRunning(['stop'], { cwd: box.dir });
    await until(() => again.stderr().includes('Waiting for shutdown already in progress.'), 'the second stop to wait');
    fg.child.kill('SIGTERM');
    expect(await stopping.result).toMatchObject({
      code: 0,
      stderr: lines(
        ['DeployFailed', 1, 1, 0, 0],
        ['ShutdownOld', 0, 1, 1, 0],
        ['ShutdownOld', 0, 0, 2, 0],
        ['DestroyOld', 0, 0, 2, 0],
        ['DestroyOld', 0, 0, 2, 0],
        ['OldExit', 0, 0, 1, 0],
        ['OldExit', 0, 0, 0, 0],
      ),
    });
    expect(await again.result).toMatchObject({
      code: 0,
      stderr:
        'Waiting for shutdown already in progress.\nIf it hangs, Ctrl+C this command and try it again with --timeout 1\n' +
        lines(['DestroyOld', 0, 0, 2, 0], ['DestroyOld', 0, 0, 2, 0], ['OldExit', 0, 0, 1, 0], ['OldExit', 0, 0, 0, 0]),
    });
    expect(await fg.exited).toEqual({ code: 0, signal: null });
    expect(fg.names(mark)).toEqual([
      'DeployFailed',
      'ShutdownOld',
      'ShutdownOld',
      'ErrorShuttingDown',
      'AlreadyShuttingDown',
      'DestroyOld',
      'DestroyOld',
      'OldExit',
      'OldExit',
      'Shutdown',
    ]);
  });
});
