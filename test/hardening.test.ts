// Nothing a worker, a client or another local user does takes naught down (issue 25).
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { describe, expect, test } from 'vitest';
import { body, freePort } from './helpers/http.js';
import { scrape } from './helpers/metrics.js';
import { naught, startApp } from './helpers/naught.js';
import { eventually, until, workerPids } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';

const nobody = { uid: 65534, gid: 65534 };

describe('naught outlives its workers and its clients', () => {
  const box = useSandbox();

  test('a worker that cannot be started again (naught out of file descriptors): naught lives, backs off, and starts it once it can', async () => {
    const { port, fg } = await startApp(box, ['--worker-count', '2']);
    const pid = fg.child.pid!;
    // Not one more file descriptor for naught: a new worker's pipes cannot be made (EMFILE). The limit is on an fd's
    // number, not on how many are open, and the dying worker's pipes are closed when they close: a limit at the count
    // of open fds let a replacement take the numbers they freed. Below every fd naught holds, none is free.
    execFileSync('prlimit', ['--pid', String(pid), '--nofile=3:']);
    const [victim] = workerPids(box.dir);
    const mark = fg.events.length;
    process.kill(victim!, 'SIGKILL');
    // Its replacement could not start: a crash loop, whose next start waits.
    await until(() => fg.events.slice(mark).some((event) => event.event === 'WorkerDeath' && event.crashLoops !== undefined), 'a start that failed');
    execFileSync('prlimit', ['--pid', String(pid), '--nofile=1024:']);
    await fg.waitFor('WorkerOnline', mark);
    expect(await body(port, '/hi')).toBe('v1 undefined');
    const { workers } = JSON.parse((await naught(['status', '--json'], { cwd: box.dir })).stdout);
    expect(workers.map((worker: { lastExit: string | null }) => worker.lastExit)).toContain('could not start (EMFILE)');
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test('a worker that writes what naught cannot take on its channel is killed and replaced, with one line; naught lives', async () => {
    // Each worker number forges one kind, once: a line that is no JSON (with an escape sequence), 20 MiB with no end,
    // node:cluster listen requests with a port that is no port and with naught's own fd 0, and an act that names
    // a method of Object.prototype.
    const kinds = { line: 'cannot read', long: 'of more than 16 MiB', port: 'node could not take', fd: 'to listen on its own fd 0', proto: 'node could not take' };
    const forgeDir = box.path('forged');
    mkdirSync(forgeDir);
    const { port, fg } = await startApp(box, ['--worker-count', '5'], { FORGE: Object.keys(kinds).join(','), FORGE_DIR: forgeDir });
    const mark = fg.events.length;
    const faults = () => fg.events.slice(mark).filter((event) => event.event === 'WorkerFault');
    // node:cluster hands connections round, so every worker is asked in turn; each forges once.
    for (let tries = 0; faults().length < 5 && tries < 200; tries += 1) await body(port, '/forge-channel').catch(() => {});
    await until(() => faults().length === 5, 'five faults');
    await until(() => fg.events.slice(mark).filter((event) => event.event === 'WorkerOnline').length === 5, 'five replacements');
    expect(await body(port, '/hi')).toBe('v1 undefined');
    const { workers } = JSON.parse((await naught(['status', '--json'], { cwd: box.dir })).stdout);
    const lastExits = new Map(workers.map((worker: { number: number; lastExit: string }) => [worker.number, worker.lastExit]));
    Object.values(kinds).forEach((said, number) => expect(lastExits.get(number)).toContain(said));
    // One line each, and what the worker wrote stays on it.
    expect(fg.stderr.match(/^naught: worker \d (sent|asked) naught .*; killed$/gm)).toHaveLength(5);
    expect(fg.stderr).toContain('\\x1b[2Jnot json');
    expect(fg.stderr).not.toContain('\x1b');
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test('idle connections to --metrics: at most 32 are held, each is let go within seconds, and naught keeps its file descriptors for its workers', async () => {
    const metrics = await freePort();
    const { fg } = await startApp(box, ['--metrics', String(metrics)]);
    const fds = () => readdirSync(`/proc/${fg.child.pid}/fd`).length;
    const before = fds();
    // 250 clients that connect and say nothing, as anyone on the host can.
    const idle = await Promise.all(
      Array.from(
        { length: 250 },
        () =>
          new Promise<{ closed: Promise<number> }>((resolve) => {
            const socket = net.connect(metrics, '127.0.0.1', () => {
              const at = performance.now();
              resolve({ closed: new Promise((done) => socket.on('close', () => done(performance.now() - at))) });
            });
            socket.on('error', () => {});
          }),
      ),
    );
    // One over the limit is accepted and closed at once (net.Server's maxConnections), its fd gone a moment later:
    // waited for, well within the 5 s after which idle ones are let go anyway.
    await until(() => fds() - before <= 32, 'at most 32 idle connections held', 2000);
    for (const lasted of await Promise.all(idle.map(({ closed }) => closed))) expect(lasted).toBeLessThan(8000);
    expect((await scrape(metrics)).size).toBeGreaterThan(0);
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test('under round-robin, a worker that asks naught to hold a port gets a refusal, and naught binds nothing', async () => {
    const { port, fg } = await startApp(box, ['--balance', 'round-robin']);
    const named = await freePort();
    expect(JSON.parse(await body(port, `/forge-listen?port=${named}`))).toEqual({
      cmd: 'NODE_NAUGHT',
      kind: 'listening',
      id: 1,
      error: { code: 'EINVAL', message: 'naught holds no sockets for its workers (--balance round-robin)' },
    });
    // The port is still free: naught did not take it.
    const probe = net.createServer();
    await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(named, '127.0.0.1', resolve));
    await new Promise((resolve) => probe.close(resolve));
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test("a worker's forged agent answer (a delay that is no number) is not believed: /metrics has no NaN, status --json no forged delay", async () => {
    const metrics = await freePort();
    const { port, fg } = await startApp(box, ['--metrics', String(metrics)]);
    // The one worker forges an answer every 10 ms: what naught last believed is almost always a forged one, unless refused.
    expect(await body(port, '/forge-pong')).toBe('forged');
    const workers = async () => JSON.parse((await naught(['status', '--json'], { cwd: box.dir })).stdout).workers;
    // Its answers arrive: it was heard within the last 50 ms (naught pings once a second).
    await eventually(async () => (await workers())[0].silentForMs < 50, 'the forged answers to arrive');
    const [{ loopDelay }] = await workers();
    if (loopDelay !== null) expect([typeof loopDelay.p99Ms, typeof loopDelay.maxMs]).toEqual(['number', 'number']);
    for (const value of (await scrape(metrics)).values()) expect(Number.isNaN(value)).toBe(false);
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });
});

describe('safe in a directory others share', () => {
  const box = useSandbox();

  /** A directory every user may write, sticky as /tmp is, that the other user can walk into. */
  function sharedDirectory(): string {
    chmodSync(path.dirname(box.dir), 0o711);
    chmodSync(box.dir, 0o711);
    const shared = box.path('shared');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    return shared;
  }

  test("a log path another user planted a symlink at is refused, in their directory or a sticky one: the file it names is untouched; logs are made 0640", async () => {
    const shared = sharedDirectory();
    const theirs = box.path('theirs');
    mkdirSync(theirs);
    chownSync(theirs, 65534, 65534);
    writeFileSync(box.path('secret'), 'root only\n', { mode: 0o600 });
    for (const dir of [shared, theirs]) execFileSync('runuser', ['-u', 'nobody', '--', 'ln', '-s', box.path('secret'), path.join(dir, 'stdout.log')]);
    box.installApp('v1');
    const port = await freePort();
    expect(await naught(['start', '--stdout', 'theirs/stdout.log', 'server.js'], { cwd: box.dir, env: { PORT: String(port) } })).toMatchObject({
      code: 1,
      stderr: `unable to start: ${theirs} belongs to uid 65534 (nobody): that user could replace naught's files there\n`,
    });
    // In a sticky directory the name is refused too: by naught's O_NOFOLLOW, or first by the kernel's protected_symlinks.
    const planted = path.join(shared, 'stdout.log');
    expect(await naught(['start', '--stdout', 'shared/stdout.log', 'server.js'], { cwd: box.dir, env: { PORT: String(port) } })).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(new RegExp(`^unable to start: (${planted} is a symbolic link: naught writes no log through one|EACCES: permission denied, open '${planted}')\n$`)),
    });
    // And wherever a symlink is found at a log's path, naught does not write through it.
    mkdirSync(box.path('own'));
    symlinkSync(box.path('secret'), box.path('own/stdout.log'));
    expect(await naught(['start', '--stdout', 'own/stdout.log', 'server.js'], { cwd: box.dir, env: { PORT: String(port) } })).toMatchObject({
      code: 1,
      stderr: `unable to start: ${box.path('own/stdout.log')} is a symbolic link: naught writes no log through one\n`,
    });
    expect(readFileSync(box.path('secret'), 'utf8')).toBe('root only\n');
    expect(statSync(box.path('secret')).mode & 0o777).toBe(0o600);

    // A start of its own: every log naught makes is 0640 under the usual umask 022.
    const umask = process.umask(0o022);
    let started;
    try {
      started = await startApp(box, ['--stdout', 'shared/out.log']);
    } finally {
      process.umask(umask);
    }
    for (const file of ['naught.log', 'shared/out.log', 'stderr.log']) expect([file, statSync(box.path(file)).mode & 0o777]).toEqual([file, 0o640]);
    expect(await started.fg.stop()).toEqual({ code: 0, signal: null });
  });

  test("an --ipc-group member may ask for what runs as it is; a new environment, another directory and upgrade are naught's user's and root's", async () => {
    chmodSync(path.dirname(box.dir), 0o711);
    chmodSync(box.dir, 0o755);
    const { port, fg } = await startApp(box, ['--ipc-group', 'nogroup']);
    const key = box.path('naught.ipc.key');
    expect([statSync(key).mode & 0o777, statSync(key).uid]).toEqual([0o600, 0]);
    const member = { cwd: box.dir, user: nobody, env: { ONLY_THE_MEMBER: 'set' } };
    expect(await naught(['status'], member)).toMatchObject({ code: 0, stdout: 'workers online: 1\n' });
    // A deploy of the configured release, without the member's environment, and it says so.
    const deployed = await naught(['deploy'], member);
    expect(deployed).toMatchObject({ code: 0, stderr: expect.stringMatching(/^naught: the workers keep their environment: only naught's user or root may give them one\n(.*\n)*done\n$/) });
    expect(await body(port, '/env?name=ONLY_THE_MEMBER')).toBe('(unset)');
    expect(await naught(['deploy', '--override-env', 'false', '--cwd', '/root'], member)).toMatchObject({ code: 1, stderr: "naught: deploy: only naught's user or root may give the workers another directory\n" });
    expect(await naught(['upgrade'], member)).toMatchObject({ code: 1, stderr: "naught: upgrade: only naught's user or root may start naught anew (it runs the node they name)\n" });
    // What the CLI would not send, sent by hand: refused all the same.
    const raw = `require('node:net').connect(${JSON.stringify(box.path('naught.ipc'))}, function () { this.end(JSON.stringify({ action: 'deploy', workerCount: 0, env: { NODE_OPTIONS: '--require /tmp/evil.js' } }) + '\\n'); }).on('data', (d) => process.stdout.write(d))`;
    expect(execFileSync(process.execPath, ['-e', raw], { ...nobody, encoding: 'utf8' })).toBe(
      `${JSON.stringify({ type: 'error', message: "deploy: only naught's user or root may give the workers an environment (deploy with --override-env false)" })}\n`,
    );
    // A key of the key's length that is not hex (an empty buffer to compare): refused like any wrong key, and naught stays up.
    const forged = raw.replace("workerCount: 0,", `workerCount: 0, key: ${JSON.stringify('z'.repeat(readFileSync(key, 'utf8').trim().length))},`);
    expect(execFileSync(process.execPath, ['-e', forged], { ...nobody, encoding: 'utf8' })).toBe(
      `${JSON.stringify({ type: 'error', message: "deploy: only naught's user or root may give the workers an environment (deploy with --override-env false)" })}\n`,
    );
    expect(await naught(['status'], member)).toMatchObject({ code: 0, stdout: 'workers online: 1\n' });
    // naught's user (root here) reads the key: its environment goes through.
    expect(await naught(['deploy'], { cwd: box.dir, env: { ONLY_THE_OWNER: 'set' } })).toMatchObject({ code: 0 });
    expect(await body(port, '/env?name=ONLY_THE_OWNER')).toBe('set');
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
    expect(existsSync(key)).toBe(false);
  });

  test('the CLI confides neither its environment nor the key to a socket another user owns (one taken first in /tmp)', async () => {
    const shared = sharedDirectory();
    const socket = path.join(shared, 'naught.ipc');
    const heard = path.join(shared, 'heard');
    // Another user's listener, which keeps the first request it hears.
    const impostor = `require('node:net').createServer((c) => c.once('data', (d) => { require('node:fs').writeFileSync(${JSON.stringify(heard)}, d); c.destroy(); })).listen(${JSON.stringify(socket)}, () => console.log('listening'))`;
    const listener = spawn(process.execPath, ['-e', impostor], { ...nobody, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise((resolve) => listener.stdout!.once('data', resolve));
      const asked = await naught(['deploy', socket], { cwd: box.dir, env: { SECRET: 'root only' } });
      expect(asked.stderr).toContain(`naught: the workers keep their environment: ${socket} belongs to uid 65534, not to you or root\n`);
      expect(JSON.parse(readFileSync(heard, 'utf8'))).toEqual({ action: 'deploy', workerCount: 0 });
    } finally {
      listener.kill();
      await new Promise((resolve) => listener.once('exit', resolve));
    }
  });
});
