// naught start --listen: naught binds the sockets and holds them for the workers,
// which get them from fd 3 on and listen on them themselves. The address stays
// bound while workers die, so connections wait in its queue instead of being
// refused; the app needs no change (its listen(PORT) takes the held socket).
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { anyAddress, body, freePort, get, twoWorkers, waitingToBeAccepted } from './helpers/http.js';
import { freshConnectionLoad, keepAliveLoad } from './helpers/load.js';
import { Foreground, naught, startApp } from './helpers/naught.js';
import { eventually, isAlive, until, workerPids } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';

const HELPER = path.resolve('dist/worker.js');
const anyAddressIs = (port: number): unknown => expect.stringMatching(new RegExp(`^${anyAddress(port)}$`));

describe('naught start --listen', () => {
  const box = useSandbox();

  /**
   * Every worker SIGKILLed at once; then requests, sent while their replacements wait to boot (BOOT_GATE), which
   * they do once each request waits to be accepted or has failed.
   */
  async function requestsWhileEveryWorkerIsGone(how: 'listen' | 'default' | 'round-robin'): Promise<{ ok: number; failures: string[] }> {
    const port = await freePort();
    const holding = { listen: ['--listen', `127.0.0.1:${port}`], default: [], 'round-robin': ['--balance', 'round-robin'] }[how];
    const gate = box.path('boot');
    writeFileSync(gate, '');
    const { fg } = await startApp(box, ['--worker-count', '2', ...holding], { PORT: String(port), BOOT_GATE: gate });
    const workers = workerPids(box.dir);
    expect(workers).toHaveLength(2);
    rmSync(gate);
    for (const pid of workers) process.kill(pid, 'SIGKILL');
    await until(() => workers.every((pid) => !isAlive(pid)), 'the workers to die');
    const requests = Array.from({ length: 8 }, () => get(port, '/pid'));
    const answered = Promise.allSettled(requests);
    let settled = 0;
    for (const request of requests) request.then(() => (settled += 1), () => (settled += 1));
    await until(() => settled + waitingToBeAccepted(port) === 8, 'every request to wait or fail');
    writeFileSync(gate, '');
    const answers = await answered;
    const ok = answers.filter((a) => a.status === 'fulfilled' && a.value.status === 200).length;
    const failures = answers.flatMap((a) => (a.status === 'rejected' ? [(a.reason as NodeJS.ErrnoException).code ?? String(a.reason)] : []));
    await fg.waitFor('Ready', 0, 10_000);
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
    return { ok, failures };
  }

  test('with every worker dead, connections wait for the replacements instead of failing (and fail under --balance round-robin)', async () => {
    expect(await requestsWhileEveryWorkerIsGone('listen')).toEqual({ ok: 8, failures: [] });
    const without = await requestsWhileEveryWorkerIsGone('round-robin');
    expect(without.ok).toBeLessThan(8);
  });

  test('with no option (--balance kernel): the address the app listens at is held as --listen holds it: every worker dead, connections wait; deploys under load fail nothing', async () => {
    expect(await requestsWhileEveryWorkerIsGone('default')).toEqual({ ok: 8, failures: [] });
    const port = await freePort();
    const { fg } = await startApp(box, ['--worker-count', '2'], { PORT: String(port) });
    // Every worker asks naught for it, over its channel: none gets it from fd 3 on, as LISTEN_FDS is the operator's.
    const keepAlive = keepAliveLoad(port, '/hi', 10);
    const fresh = freshConnectionLoad(port, '/hi', 4);
    for (let i = 0; i < 3; i += 1) expect(await naught(['deploy'], { cwd: box.dir })).toMatchObject({ code: 0 });
    expect(await body(port, '/env?name=LISTEN_FDS')).toBe('(unset)');
    const { supervisor } = JSON.parse((await naught(['status', '--json'], { cwd: box.dir })).stdout);
    expect(supervisor.sockets).toEqual([{ fd: expect.any(Number), name: 'unknown', address: anyAddressIs(port) }]);
    const [held, opened] = [await keepAlive.stop(), await fresh.stop()];
    expect([held.failures, opened.failures]).toEqual([[], []]);
    expect(held.ok + opened.ok).toBeGreaterThan(100);
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
    expect(readFileSync(box.path('stderr.log'), 'utf8')).not.toContain('naught:');
  });

  test('with no option (--balance kernel): naught upgrade passes the learned socket on; no fresh connection fails across it', async () => {
    const port = await freePort();
    const { fg } = await startApp(box, ['--worker-count', '2'], { PORT: String(port) });
    const fresh = freshConnectionLoad(port, '/hi', 4);
    expect(await naught(['upgrade'], { cwd: box.dir })).toMatchObject({ code: 0, stderr: expect.stringMatching(/upgraded: naught pid \d+ serves/) });
    const opened = await fresh.stop();
    expect(opened.failures).toEqual([]);
    expect(opened.ok).toBeGreaterThan(10);
    expect(await fg.exited).toEqual({ code: 0, signal: null });
    // The new naught holds it as learned: one socket, and a deploy that moves the app closes it.
    const { supervisor } = JSON.parse((await naught(['status', '--json'], { cwd: box.dir })).stdout);
    expect(supervisor.sockets).toEqual([{ fd: expect.any(Number), name: 'unknown', address: anyAddressIs(port) }]);
    const moved = await freePort();
    expect(await naught(['deploy'], { cwd: box.dir, env: { PORT: String(moved) } })).toMatchObject({ code: 0 });
    await eventually(async () => (await get(port, '/hi').catch((error: NodeJS.ErrnoException) => error.code)) === 'ECONNREFUSED', 'the old address to refuse');
    expect(await naught(['stop'], { cwd: box.dir })).toMatchObject({ code: 0 });
  });

  test('with no option (--balance kernel): a release that listens elsewhere: the old address is closed once no worker listens there, with one line; moving back binds it afresh', async () => {
    const [first, second] = [await freePort(), await freePort()];
    const { fg } = await startApp(box, ['--worker-count', '2'], { PORT: String(first) });
    const refused = async (port: number): Promise<boolean> => (await get(port, '/hi').catch((error: NodeJS.ErrnoException) => error.code)) === 'ECONNREFUSED';
    expect(await naught(['deploy'], { cwd: box.dir, env: { PORT: String(second) } })).toMatchObject({ code: 0 });
    expect((await get(second, '/hi')).status).toBe(200);
    // Connections to the first address are refused, not left in a queue nobody accepts from.
    await eventually(() => refused(first), 'the first address to refuse connections');
    const closed = (port: number): RegExp => new RegExp(`^naught: closed the socket at ${anyAddress(port)}: no worker of the running release listens there$`, 'm');
    expect(fg.stderr).toMatch(closed(first));
    let { supervisor } = JSON.parse((await naught(['status', '--json'], { cwd: box.dir })).stdout);
    expect(supervisor.sockets).toEqual([{ fd: expect.any(Number), name: 'unknown', address: anyAddressIs(second) }]);
    expect(await naught(['deploy'], { cwd: box.dir, env: { PORT: String(first) } })).toMatchObject({ code: 0 });
    expect((await get(first, '/hi')).status).toBe(200);
    await eventually(() => refused(second), 'the second address to refuse connections');
    expect(fg.stderr).toMatch(closed(second));
    ({ supervisor } = JSON.parse((await naught(['status', '--json'], { cwd: box.dir })).stdout));
    expect(supervisor.sockets).toEqual([{ fd: expect.any(Number), name: 'unknown', address: anyAddressIs(first) }]);
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test('with no option (--balance kernel): an address another program holds fails the boot with the line naming it', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, resolve));
    const { port } = taken.address() as net.AddressInfo;
    try {
      box.installApp('v1');
      const result = await naught(['start', 'server.js'], { cwd: box.dir, env: { PORT: String(port) } });
      expect(result.code).toBe(1);
      expect(readFileSync(box.path('stderr.log'), 'utf8')).toContain(`naught cannot hold ${port} for the workers: the address is in use`);
    } finally {
      taken.close();
    }
  });

  test('with no option: servers on two ports, a unix socket and port 0; naught holds the three it may, all serve through deploys, the file goes at the stop', async () => {
    const [first, second] = [await freePort(), await freePort()];
    const unix = box.path('app.sock');
    const { fg } = await startApp(box, ['--worker-count', '2'], { PORT: String(first), SECOND_PORT: String(second), UNIX_PATH: unix, EPHEMERAL: '1' });
    const held = async (): Promise<unknown[]> => JSON.parse((await naught(['status', '--json'], { cwd: box.dir })).stdout).supervisor.sockets.map(({ address }: { address: string }) => address);
    const addresses = [anyAddressIs(first), anyAddressIs(second), unix];
    expect(await held()).toEqual(expect.arrayContaining(addresses));
    expect(await held()).toHaveLength(3);
    /** Both workers answer at `target`, asked 20 at a time. */
    const servedByBoth = (target: number | string): Promise<void> =>
      eventually(async () => new Set(await Promise.all(Array.from({ length: 20 }, () => body(target, '/pid')))).size === 2, `both workers to answer at ${target}`);
    for (const target of [first, second, unix]) await servedByBoth(target);
    // Port 0 is node:cluster's, as without naught: the workers share the port it chose.
    expect((await get(Number(await body(first, '/ephemeral')), '/hi')).status).toBe(200);

    const loads = [freshConnectionLoad(first, '/hi', 4), freshConnectionLoad(second, '/hi', 4)];
    box.installApp('v2');
    for (let i = 0; i < 2; i += 1) expect(await naught(['deploy'], { cwd: box.dir })).toMatchObject({ code: 0 });
    for (const result of await Promise.all(loads.map((load) => load.stop()))) {
      expect(result.failures).toEqual([]);
      expect(result.ok).toBeGreaterThan(10);
    }
    for (const target of [first, second, unix]) expect(await body(target, '/hi')).toBe('v2 undefined');
    await servedByBoth(unix);
    expect(await held()).toEqual(expect.arrayContaining(addresses));
    expect(await held()).toHaveLength(3);
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
    expect(existsSync(unix)).toBe(false);
  });

  test('with no option: one worker that removes its unix socket\'s file before it listens, as single-process apps do: naught binds the path afresh, and a deploy serves on', async () => {
    const unix = box.path('app.sock');
    const { fg } = await startApp(box, [], { PORT: String(await freePort()), UNIX_PATH: unix, UNLINK_FIRST: '1' });
    expect(await body(unix, '/hi')).toBe('v1 undefined');
    box.installApp('v2');
    expect(await naught(['deploy'], { cwd: box.dir })).toMatchObject({ code: 0 });
    expect(await body(unix, '/hi')).toBe('v2 undefined');
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
    expect(existsSync(unix)).toBe(false);
  });

  test('an unmodified app serves on the held port; status --json shows it; deploys under keep-alive load fail nothing', async () => {
    const port = await freePort();
    const { fg } = await startApp(box, ['--worker-count', '2', '--listen', `web=127.0.0.1:${port}`], { PORT: String(port) });
    const shown = await naught(['status', '--json'], { cwd: box.dir });
    expect(shown).toMatchObject({ code: 0, stderr: '' });
    const status = JSON.parse(shown.stdout);
    expect(status.supervisor.sockets).toEqual([{ fd: expect.any(Number), name: 'web', address: `127.0.0.1:${port}` }]);
    // The workers see it as systemd would pass it: fd 3, named, LISTEN_PID their own.
    expect(await body(port, '/env?name=LISTEN_FDS')).toBe('1');
    expect(await body(port, '/env?name=LISTEN_FDNAMES')).toBe('web');
    expect(workerPids(box.dir).map(String)).toContain(await body(port, '/env?name=LISTEN_PID'));
    const keepAlive = keepAliveLoad(port, '/hi', 10);
    const fresh = freshConnectionLoad(port, '/hi', 4);
    for (let i = 0; i < 3; i += 1) expect(await naught(['deploy'], { cwd: box.dir })).toMatchObject({ code: 0 });
    const [held, opened] = [await keepAlive.stop(), await fresh.stop()];
    expect(held.failures).toEqual([]);
    expect(opened.failures).toEqual([]);
    expect(held.ok + opened.ok).toBeGreaterThan(100);
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
    // Nothing said about listening elsewhere: the app's listen(PORT) took the held socket.
    expect(readFileSync(box.path('stderr.log'), 'utf8')).not.toContain('naught:');
  });

  test('with --node-args: the copy that carries them binds and holds the socket; naught upgrade is refused with why', async () => {
    const port = await freePort();
    const gate = box.path('boot');
    writeFileSync(gate, '');
    const { fg } = await startApp(box, ['--worker-count', '2', '--node-args', '--max-old-space-size=100', '--listen', `127.0.0.1:${port}`], { PORT: String(port), BOOT_GATE: gate });
    expect(await body(port, '/execArgv')).toContain('--max-old-space-size=100');
    const fresh = freshConnectionLoad(port, '/hi', 4);
    // The replacements boot once the load's four connections wait for them.
    rmSync(gate);
    for (const pid of workerPids(box.dir)) process.kill(pid, 'SIGKILL');
    await until(() => waitingToBeAccepted(port) === 4, 'the load to wait for the replacements');
    writeFileSync(gate, '');
    await fg.waitFor('Ready', fg.events.length, 10_000);
    expect((await fresh.stop()).failures).toEqual([]);
    const refused = await naught(['upgrade'], { cwd: box.dir });
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringMatching(/^upgrade refused: this naught is the copy that --node-args runs, .* give node options in NODE_OPTIONS instead of --node-args to upgrade\n$/) });
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test("a unix socket by name with naught/worker's listen(); its file is removed at the stop", async () => {
    copyFileSync('test/fixtures/socket-app.mjs', box.path('server.mjs'));
    const socket = box.path('app.sock');
    const port = await freePort();
    const fg = new Foreground(['start', '--worker-count', '2', '--listen', `admin=127.0.0.1:${await freePort()},web=${socket}`, 'server.mjs'], {
      cwd: box.dir,
      env: { PORT: String(port), NAUGHT_HELPER: HELPER, SOCKET_NAME: 'web' },
    });
    await fg.waitFor('Ready');
    expect(await body(socket, '/env?name=LISTEN_FDNAMES')).toBe('admin:web');
    const served = await twoWorkers(socket, '/');
    expect(served.other).not.toBe(served.busy);
    await expect(get(port, '/')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
    expect(existsSync(socket)).toBe(false);
  });

  test('under round-robin, an app that listens where no held socket is bound listens there itself, and says so', async () => {
    const [held, own] = [await freePort(), await freePort()];
    const { fg } = await startApp(box, ['--listen', `127.0.0.1:${held}`, '--balance', 'round-robin'], { PORT: String(own) });
    expect((await get(own, '/hi')).status).toBe(200);
    expect(readFileSync(box.path('stderr.log'), 'utf8')).toContain(
      `naught: this worker listens on port ${own} itself: none of the sockets naught holds is bound there (unknown (127.0.0.1:${held}))\n`,
    );
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test('an address in use: one line, exit 1, nothing started', async () => {
    box.installApp('v1');
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as net.AddressInfo;
    try {
      for (const [mode, prefix] of [['false', 'unable to start'], ['true', 'unable to start daemon']]) {
        const result = await naught(['start', '--daemon-mode', mode!, '--listen', `127.0.0.1:${port}`, 'server.js'], { cwd: box.dir });
        expect(result).toMatchObject({ code: 1, stderr: `${prefix}: --listen 127.0.0.1:${port}: the address is in use\n` });
        expect(existsSync(box.path('naught.ipc')) || existsSync(box.path('naught.pid'))).toBe(false);
      }
    } finally {
      taken.close();
    }
  });

  test.each([
    ['8000x', "naught: --listen must be a port, host:port, [v6 host]:port or a unix socket path, each maybe name=, several with commas, not '8000x'"],
    ['70000', "naught: --listen must be a port, host:port, [v6 host]:port or a unix socket path, each maybe name=, several with commas, not '70000'"],
    ['8000,9000', "naught: --listen: give each socket its own name, as in web=8000,admin=127.0.0.1:9000, not '8000,9000'"],
    ['nosuchhost.invalid:8000', 'unable to start: --listen nosuchhost.invalid:8000: no such host: nosuchhost.invalid'],
  ])('--listen %s: one line, nothing started', async (value, line) => {
    box.installApp('v1');
    const result = await naught(['start', '--listen', value, 'server.js'], { cwd: box.dir });
    expect(result).toMatchObject({ code: line.startsWith('naught:') ? 2 : 1, stderr: `${line}\n` });
    expect(existsSync(box.path('naught.ipc')) || existsSync(box.path('naught.pid'))).toBe(false);
  });
});
