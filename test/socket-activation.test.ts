// Socket activation with a real passer of sockets, systemd's systemd-socket-activate
// (it binds the address, then execs naught with LISTEN_FDS=1, LISTEN_PID=its pid and
// the socket at fd 3, as a .socket unit does). The workers serve on that socket
// through naught; the real systemd and `systemctl restart` are the slow tier's.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { body, freePort, get, twoWorkers } from './helpers/http.js';
import { NAUGHT, naught } from './helpers/naught.js';
import { eventually, isAlive, until, workerPids } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';

const HELPER = path.resolve('dist/worker.js');

describe('socket activation', () => {
  const box = useSandbox();

  /** systemd-socket-activate binding `listen` for a naught that runs socket-app.mjs; it passes only LISTEN_* and what --setenv names. */
  async function activated(listen: string, naughtArgs: string[], env: Record<string, string>) {
    copyFileSync('test/fixtures/socket-app.mjs', box.path('server.mjs'));
    const setenv = Object.entries({ NAUGHT_HELPER: HELPER, ...env }).flatMap(([name, value]) => ['--setenv', `${name}=${value}`]);
    const passer = spawn('systemd-socket-activate', ['--listen', listen, '--fdname', 'web', ...setenv, process.execPath, NAUGHT, 'start', ...naughtArgs, 'server.mjs'], {
      cwd: box.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    passer.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => passer.on('exit', resolve));
    return {
      passer,
      stderr: () => stderr,
      /** Stops naught as systemd would; it exits 0 and said nothing went wrong. */
      async stop() {
        passer.kill('SIGTERM');
        expect(await exited).toBe(0);
        expect(stderr).not.toContain('Error');
      },
    };
  }

  const bothOnline = (): Promise<void> =>
    eventually(async () => (await naught(['status'], { cwd: box.dir })).stdout === 'workers online: 2\n', 'both workers online');

  test("the workers serve on the socket systemd passed, see it as their own (LISTEN_PID), and not on the app's port", async () => {
    const [port, appPort] = [await freePort(), await freePort()];
    const naughtRun = await activated(`127.0.0.1:${port}`, ['--worker-count', '2'], { PORT: String(appPort) });
    try {
      // The first connection starts naught (systemd-socket-activate waits for one); it is answered once a worker is up.
      await eventually(async () => (await get(port, '/').catch(() => null))?.status === 200, 'an answer on the activated socket', 20_000);
      // The first worker online answers it; the second may still boot.
      await bothOnline();
      expect(await body(port, '/env?name=LISTEN_FDS')).toBe('1');
      expect(await body(port, '/env?name=LISTEN_FDNAMES')).toBe('web');
      const status = JSON.parse((await naught(['status', '--json'], { cwd: box.dir })).stdout);
      expect(status.supervisor.sockets).toEqual([{ fd: 3, name: 'web', address: `127.0.0.1:${port}` }]);
      expect(status.supervisor.pid).toBe(naughtRun.passer.pid);
      // A worker's LISTEN_PID is its own pid: the one not kept busy answers with the other pid.
      const listenPid = await twoWorkers(port, '/env?name=LISTEN_PID');
      expect([listenPid.busy, listenPid.other].sort()).toEqual(status.workers.map((w: { pid: number }) => String(w.pid)).sort());
      // The app's own port is not listened on: the passed socket took its place.
      await expect(get(appPort, '/')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      // A deploy's new workers listen on the same socket; the old ones leave it.
      expect(await naught(['deploy'], { cwd: box.dir })).toMatchObject({ code: 0 });
      const after = JSON.parse((await naught(['status', '--json'], { cwd: box.dir })).stdout);
      const served = await twoWorkers(port, '/');
      expect([served.busy, served.other].sort()).toEqual(after.workers.map((w: { pid: number }) => String(w.pid)).sort());
    } finally {
      await naughtRun.stop();
    }
  });

  test('the only worker killed: the socket stays open, and a request sent while no worker runs is answered by its replacement', async () => {
    const port = await freePort();
    const naughtRun = await activated(`127.0.0.1:${port}`, ['--worker-count', '1'], { PORT: String(await freePort()) });
    try {
      const first = await eventually(async () => (await get(port, '/').catch(() => null))?.status === 200, 'an answer on the activated socket', 20_000).then(() => body(port, '/'));
      process.kill(Number(first), 'SIGKILL');
      await until(() => !isAlive(Number(first)), 'the worker to die');
      const second = await body(port, '/');
      expect(second).not.toBe(first);
      expect(await body(port, '/')).toBe(second);
    } finally {
      await naughtRun.stop();
    }
  });

  // node#44035: a cluster worker's listen on a passed unix socket fails with EEXIST once the
  // primary has closed its copy, as it does when the last worker that listened is gone.
  test('a unix socket systemd passed is served by every worker, after a deploy, and after every worker was killed', async () => {
    const socket = box.path('app.sock');
    const naughtRun = await activated(socket, ['--worker-count', '2'], { PORT: String(await freePort()) });
    try {
      await eventually(async () => (await get(socket, '/').catch(() => null))?.status === 200, 'an answer on the activated socket', 20_000);
      await bothOnline();
      for (const round of ['at first', 'after a deploy', 'after every worker was killed']) {
        if (round === 'after a deploy') expect(await naught(['deploy'], { cwd: box.dir })).toMatchObject({ code: 0 });
        if (round === 'after every worker was killed') {
          const workers = workerPids(box.dir, 'server.mjs');
          for (const pid of workers) process.kill(pid, 'SIGKILL');
          await until(() => workers.every((pid) => !isAlive(pid)), 'the workers to die');
          await bothOnline();
        }
        const served = await twoWorkers(socket, '/');
        expect(served.other, round).not.toBe(served.busy);
      }
    } finally {
      await naughtRun.stop();
    }
  });

  test('LISTEN_FDS meant for another process: one line, exit 1, nothing started', async () => {
    box.installApp('v1');
    const result = await naught(['start', 'server.js'], { cwd: box.dir, env: { LISTEN_FDS: '1', LISTEN_PID: '1' } });
    expect(result).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^unable to start: LISTEN_FDS=1 is for pid 1, not this process \(pid \d+\); the sockets are not naught's \(run naught itself as the service's ExecStart=\)\n$/),
    });
    // Nothing half-started: no socket, no pid file.
    expect(existsSync(box.path('naught.ipc')) || existsSync(box.path('naught.pid'))).toBe(false);
  });

  test.each([
    [['--node-args', '--max-old-space-size=100'], "unable to start: sockets passed by the service manager (LISTEN_FDS) cannot reach the copy of naught that --node-args runs; give node options in NODE_OPTIONS instead"],
    [['--daemon-mode', 'true'], 'unable to start daemon: sockets passed by the service manager (LISTEN_FDS) need naught in the foreground: --daemon-mode false'],
  ])('passed sockets with %j: one line, exit 1, nothing started', async (args, line) => {
    box.installApp('v1');
    const activated = await freePort();
    const passer = spawn('systemd-socket-activate', ['--listen', `127.0.0.1:${activated}`, process.execPath, NAUGHT, 'start', ...args, 'server.js'], {
      cwd: box.dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    passer.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => passer.on('exit', resolve));
    // A connection makes systemd-socket-activate start naught, once it listens; nobody will answer it.
    await eventually(
      () =>
        new Promise<boolean>((resolve) => {
          const socket = net.connect(activated, '127.0.0.1', () => resolve(true));
          socket.on('error', () => resolve(false));
          void exited.then(() => socket.destroy());
        }),
      'systemd-socket-activate to listen',
    );
    expect(await exited).toBe(1);
    expect(stderr.split('\n').filter((l) => l.startsWith('unable'))).toEqual([line]);
    expect(existsSync(box.path('naught.ipc')) || existsSync(box.path('naught.pid'))).toBe(false);
  });
});
