// The deploy layout most operators use: /srv/app/current -> releases/N. naught is
// started inside `current`, a new release is switched in with `ln -sfn`, and a
// deploy must then run it; a worker restarted before that deploy runs the release
// its siblings run. As a shell does, the commands get PWD=<…>/current.
import { execFileSync } from 'node:child_process';
import { mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { body, freePort } from './helpers/http.js';
import { keepAliveLoad } from './helpers/load.js';
import { Foreground, naught } from './helpers/naught.js';
import { useSandbox } from './helpers/sandbox.js';

describe('symlinked releases (current -> releases/N)', () => {
  const box = useSandbox();

  /** releases/1 (v1) and releases/2 (v2), current -> releases/1, and shared/ for naught's own files. */
  function layout() {
    for (const dir of ['app/releases/1', 'app/releases/2', 'app/shared']) mkdirSync(box.path(dir), { recursive: true });
    box.installApp('v1', 'app/releases/1/server.js');
    box.installApp('v2', 'app/releases/2/server.js');
    const current = box.path('app/current');
    symlinkSync('releases/1', current);
    return { current, inCurrent: { cwd: current, env: { PWD: current } } };
  }

  const switchTo = (release: string): void => void execFileSync('ln', ['-sfn', `releases/${release}`, box.path('app/current')]);
  const ipc = (): string => box.path('app/shared/naught.ipc');
  const shared = (name: string): string => box.path('app/shared', name);
  const directories = async (): Promise<string[]> =>
    JSON.parse((await naught(['status', '--json', ipc()], { cwd: box.dir })).stdout).workers.map((w: { directory: string }) => w.directory);

  async function startInCurrent() {
    const { current } = layout();
    const port = await freePort();
    const files = ['--ipc-file', ipc(), '--pid-file', shared('naught.pid'), '--log', shared('naught.log'), '--stdout', shared('stdout.log'), '--stderr', shared('stderr.log')];
    const fg = new Foreground(['start', '--worker-count', '2', ...files, 'server.js'], { cwd: current, env: { PORT: String(port), PWD: current } });
    await fg.waitFor('Ready');
    // Its own files are outside the releases: nothing to warn about.
    expect(fg.stderr).not.toContain('stay there when the link moves');
    return { port, fg, current };
  }

  test('ln -sfn to a new release, then deploy: the new release serves, zero failed requests under keep-alive load', async () => {
    const { port, fg, current } = await startInCurrent();
    expect(await directories()).toEqual([realpathSync(box.path('app/releases/1')), realpathSync(box.path('app/releases/1'))]);
    const load = keepAliveLoad(port, '/hi', 20);
    switchTo('2');
    expect(await naught(['deploy', ipc()], { cwd: current, env: { PWD: current } })).toMatchObject({ code: 0 });
    const result = await load.stop();
    expect(result.failures).toEqual([]);
    expect(result.ok).toBeGreaterThan(100);
    expect(await body(port, '/hi')).toBe('v2 undefined');
    expect(await body(port, '/cwd')).toBe(realpathSync(box.path('app/releases/2')));
    expect(await directories()).toEqual([realpathSync(box.path('app/releases/2')), realpathSync(box.path('app/releases/2'))]);
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test('a worker that dies after the switch and before the deploy comes back as the old release', async () => {
    const { port, fg } = await startInCurrent();
    switchTo('2');
    const mark = fg.events.length;
    const victim = JSON.parse((await naught(['status', '--json', ipc()], { cwd: box.dir })).stdout).workers[0].pid;
    process.kill(victim, 'SIGKILL');
    await fg.waitFor('WorkerDeath', mark);
    await fg.waitFor('WorkerOnline', mark);
    expect(await directories()).toEqual([realpathSync(box.path('app/releases/1')), realpathSync(box.path('app/releases/1'))]);
    // Fresh connections reach both workers in turn: every one answers from release 1.
    for (let i = 0; i < 6; i += 1) expect(await body(port, '/hi')).toBe('v1 undefined');
    // The deploy then takes the new release.
    expect(await naught(['deploy', ipc()], { cwd: box.dir })).toMatchObject({ code: 0 });
    expect(await body(port, '/hi')).toBe('v2 undefined');
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test('current pointing at a release that is not there: the deploy fails, says why, and the old release keeps serving', async () => {
    const { port, fg } = await startInCurrent();
    switchTo('3');
    const mark = fg.events.length;
    const result = await naught(['deploy', ipc()], { cwd: box.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Deploy failed.');
    await fg.waitFor('DeployFailed', mark);
    expect(fg.stderr).toContain(`naught: deploy failed: working directory ${box.path('app/current')}: ENOENT\n`);
    expect(await body(port, '/hi')).toBe('v1 undefined');
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test("started inside current with naught's files beside the code, naught says they stay in that release", async () => {
    const { current } = layout();
    const fg = new Foreground(['start', '--stdout', '/dev/null', 'server.js'], { cwd: current, env: { PORT: String(await freePort()), PWD: current } });
    await fg.waitFor('Ready');
    const release = realpathSync(box.path('app/releases/1'));
    expect(fg.stderr.split('\n').filter((line) => line.includes('when the link moves'))).toEqual([
      `naught: --ipc-file --pid-file --log --stderr are in ${release}, the release ${current} names now, and stay there when the link moves; ` +
        'give them paths outside the releases (naught unit uses /run/<name> and /var/log/<name>)',
    ]);
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test('naught unit run inside current writes current, not the release, and names the unit after the app', async () => {
    const { current, inCurrent } = layout();
    const result = await naught(['unit', 'server.js'], inCurrent);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines).toContain(`WorkingDirectory=${current}`);
    expect(lines).toContain('RuntimeDirectory=app');
    expect(lines).toContain('LogsDirectory=app');
    // systemd sets no $PWD: the unit gives naught the working directory through current itself.
    expect(lines.find((line) => line.startsWith('ExecStart='))).toMatch(new RegExp(` --cwd ${current} ${current}/server\\.js$`));
    // Run in a release directory itself, the unit is still the app's.
    const release = box.path('app/releases/2');
    expect((await naught(['unit', 'server.js'], { cwd: release, env: { PWD: release } })).stdout).toContain('\nRuntimeDirectory=app\n');
    // A PWD that names another directory than the one naught runs in is not believed.
    const stale = await naught(['unit', 'server.js'], { cwd: current, env: { PWD: box.path('app/releases/2') } });
    expect(stale.stdout).toContain(`\nWorkingDirectory=${realpathSync(box.path('app/releases/1'))}\n`);
  });
});
