// naught upgrade on a bare host: the running naught starts a new one from the node
// and naught of the upgrade command, passes it the sockets it holds (--listen), the
// new one boots all its workers beside the old ones and takes the ipc file and the
// pid file, and only then the old one lets its workers go and exits. Under load: no
// request fails. A new naught that fails leaves the old one serving, untouched.
import { existsSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { body, freePort } from './helpers/http.js';
import { freshConnectionLoad, keepAliveLoad } from './helpers/load.js';
import { Foreground, naught } from './helpers/naught.js';
import { isAlive, parentOf, until, workerPids } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';
import { ENGINE_FLAGS } from '../src/host/engine.js';

const NODE_24 = '/var/cache/naught/node/v24.22.3/bin/node';

describe('naught upgrade', () => {
  const box = useSandbox();

  async function started(extra: string[] = []): Promise<{ port: number; fg: Foreground }> {
    const port = await freePort();
    box.installApp('v1');
    const fg = new Foreground(['start', '--worker-count', '2', '--listen', `127.0.0.1:${port}`, ...extra, 'server.js'], { cwd: box.dir, env: { PORT: String(port) } });
    await fg.waitFor('Ready');
    return { port, fg };
  }

  const status = async () => JSON.parse((await naught(['status', '--json'], { cwd: box.dir })).stdout);

  test('under load: the new naught serves the code on disk with new workers, takes the ipc and pid files, the old one exits 0; no request fails', async () => {
    const { port, fg } = await started();
    const before = await status();
    const oldWorkers = workerPids(box.dir);
    const keepAlive = keepAliveLoad(port, '/hi', 10);
    const fresh = freshConnectionLoad(port, '/hi', 4);
    box.installApp('v2');
    const result = await naught(['upgrade'], { cwd: box.dir });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stderr.trim().split('\n');
    const pid = Number(/^naught: started naught pid (\d+) \(node v[\d.]+\); its workers boot beside the old ones$/.exec(lines[0]!)?.[1]);
    expect(lines.at(-1)).toBe(`upgraded: naught pid ${pid} serves; the old naught stops its workers and exits`);
    // Not the old naught's child (so systemd can take it as its main process: test/slow/restart.test.ts).
    expect(parentOf(pid)).not.toBe(before.supervisor.pid);
    expect(lines).toContain('Ready. booting: 0, online: 2, dying: 0, new_online: 0');
    // The old naught goes once its workers have; the new one answers on the ipc file, named in the pid file.
    expect(await fg.exited).toEqual({ code: 0, signal: null });
    await until(() => oldWorkers.every((worker) => !isAlive(worker)), 'the old workers to be gone');
    const after = await status();
    expect(after.supervisor.pid).toBe(pid);
    expect(readFileSync(box.path('naught.pid'), 'utf8')).toBe(`${pid}\n`);
    // Spawned with the supervisor's engine flags, which its predecessor (under a Node parent) set at run time.
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')).toEqual(expect.arrayContaining([...ENGINE_FLAGS]));
    expect(after.supervisor.sockets).toEqual(before.supervisor.sockets.map((socket: object) => ({ ...socket, fd: 3 })));
    expect(await body(port, '/hi')).toBe('v2 undefined');
    const [held, opened] = [await keepAlive.stop(), await fresh.stop()];
    expect(held.failures).toEqual([]);
    expect(opened.failures).toEqual([]);
    expect(held.ok).toBeGreaterThan(100);
    expect(opened.ok).toBeGreaterThan(20);
    expect(fg.stderr).toContain(`naught: naught pid ${pid} took over; stopping this one's workers\n`);
    // The new naught stops as any does, and removes its files.
    expect(await naught(['stop'], { cwd: box.dir })).toMatchObject({ code: 0 });
    expect(existsSync(box.path('naught.ipc')) || existsSync(box.path('naught.pid'))).toBe(false);
    expect(readdirSync(box.dir).filter((file) => file.endsWith('.ipc'))).toEqual([]);
  });

  test("the new naught runs the app as the last deploy left it (worker count, environment), and naught rollback still brings back the release before", async () => {
    const { port, fg } = await started();
    box.installApp('v2');
    expect(await naught(['deploy', '--worker-count', '3'], { cwd: box.dir, env: { hi: 'there' } })).toMatchObject({ code: 0 });
    const deployed = await status();
    box.installApp('v3');
    // The upgrade command's own environment is not the app's.
    expect(await naught(['upgrade'], { cwd: box.dir, env: { hi: 'upgrade' } })).toMatchObject({ code: 0 });
    expect(await fg.exited).toEqual({ code: 0, signal: null });
    const upgraded = await status();
    expect(upgraded.workers).toHaveLength(3);
    expect(upgraded.supervisor.releases).toEqual(deployed.supervisor.releases);
    expect(deployed.supervisor.releases.previous).toMatchObject({ directory: realpathSync(box.dir), workers: 2 });
    for (let i = 0; i < 6; i += 1) expect(await body(port, '/hi')).toBe('v3 there');
    // Back to the start's release: two workers, its environment (the code is the one on disk).
    expect(await naught(['rollback'], { cwd: box.dir })).toMatchObject({ code: 0 });
    expect((await status()).workers).toHaveLength(2);
    for (let i = 0; i < 4; i += 1) expect(await body(port, '/hi')).toBe('v3 undefined');
    expect(await naught(['stop'], { cwd: box.dir })).toMatchObject({ code: 0 });
  });

  test.skipIf(!existsSync(NODE_24))('the new naught runs on the node of the upgrade command, and can be upgraded again; a daemon stays a daemon', async () => {
    const port = await freePort();
    box.installApp('v1');
    const socket = box.path('app.sock');
    expect(await naught(['start', '--daemon-mode', 'true', '--listen', `web=127.0.0.1:${port},admin=${socket}`, 'server.js'], { cwd: box.dir, env: { PORT: String(port) } })).toMatchObject({ code: 0 });
    const first = await status();
    expect(first.supervisor.node).toBe(process.version);
    expect(await naught(['upgrade'], { cwd: box.dir, node: NODE_24 })).toMatchObject({ code: 0 });
    const second = await status();
    expect(second.supervisor).toMatchObject({ node: 'v24.22.3', mode: 'daemon' });
    expect(second.supervisor.pid).not.toBe(first.supervisor.pid);
    expect(second.supervisor.sockets.map((s: { name: string; address: string }) => [s.name, s.address])).toEqual([
      ['web', `127.0.0.1:${port}`],
      ['admin', socket],
    ]);
    expect(await naught(['upgrade'], { cwd: box.dir })).toMatchObject({ code: 0 });
    const third = await status();
    expect(third.supervisor.node).toBe(process.version);
    await until(() => !isAlive(second.supervisor.pid), 'the second naught to exit');
    // The unix socket stayed through both: a predecessor does not remove what its successor holds.
    expect(existsSync(socket)).toBe(true);
    expect(await body(port, '/hi')).toBe('v1 undefined');
    expect(await naught(['stop'], { cwd: box.dir })).toMatchObject({ code: 0 });
    expect(existsSync(socket)).toBe(false);
  });

  test.each([
    ['crashes at boot', 'throw new Error("broken release");\n', [], 'its workers did not boot'],
    ['never comes online', 'setInterval(() => {}, 1000);\n', ['--timeout', '1'], 'its workers were not online within 1 s'],
  ])('a new release that %s: the upgrade fails, says why; the old naught serves on, its files untouched', async (_what, code, args, reason) => {
    // The new naught stops its workers quickly: these ignore 'shutdown'.
    const { port, fg } = await started(['--stop-timeout', '0.5']);
    const before = await status();
    writeFileSync(box.path('server.js'), code);
    const result = await naught(['upgrade', ...args], { cwd: box.dir });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(new RegExp(`^upgrade failed: the new naught \\(pid \\d+\\): ${reason}; the old naught serves on$`));
    expect(await body(port, '/hi')).toBe('v1 undefined');
    const after = await status();
    expect(after.supervisor.pid).toBe(before.supervisor.pid);
    expect(readFileSync(box.path('naught.pid'), 'utf8')).toBe(`${before.supervisor.pid}\n`);
    expect(readdirSync(box.dir).filter((file) => file.endsWith('.ipc'))).toEqual(['naught.ipc']);
    // The failed naught is gone, with its workers: only the old ones run.
    await until(() => workerPids(box.dir).length === 2, 'only the old workers to run');
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test.each([
    [
      'round-robin, without a held socket',
      ['--balance', 'round-robin'],
      null,
      'upgrade refused: naught holds no socket to pass on: no worker listens at an address naught holds (with --balance round-robin, start naught with --listen or under a .socket unit)',
    ],
    ['during a deploy', ['--listen', 'HELD'], 'deploy', 'upgrade refused: a deploy is under way'],
  ])('%s: refused with one line, nothing started', async (_what, args, during, line) => {
    const port = await freePort();
    box.installApp('v1');
    const fg = new Foreground(['start', ...args.map((a) => (a === 'HELD' ? `127.0.0.1:${port}` : a)), 'server.js'], { cwd: box.dir, env: { PORT: String(port) } });
    await fg.waitFor('Ready');
    const mark = fg.events.length;
    let deploy: Promise<unknown> | null = null;
    if (during === 'deploy') {
      writeFileSync(box.path('server.js'), readFileSync(box.path('server.js'), 'utf8').replace("const { PORT, BOOT = 'normal'", "const { PORT, BOOT = 'hang'"));
      deploy = naught(['deploy', '--timeout', '2'], { cwd: box.dir });
      await fg.waitFor('SpawnNew', mark);
    }
    expect(await naught(['upgrade'], { cwd: box.dir })).toMatchObject({ code: 1, stderr: `${line}\n` });
    await deploy;
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });
});
