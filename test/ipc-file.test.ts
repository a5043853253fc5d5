// The ipc socket as a file: who may use it, the directory it is made in, and what
// a killed naught leaves behind (removed when certainly dead, never when live).
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { body, freePort } from './helpers/http.js';
import { Foreground, naught, startApp } from './helpers/naught.js';
import { useSandbox } from './helpers/sandbox.js';

const nobody = { uid: 65534, gid: 65534 };

/** A socket file nothing listens on, as a naught killed with SIGKILL leaves it. */
function deadSocket(file: string): void {
  execFileSync('python3', ['-c', 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])', file]);
}

describe('the ipc file', () => {
  const box = useSandbox();

  const start = (args: string[] = []) => startApp(box, args, {}, false);

  test('after a SIGKILL, a plain start works again: the dead socket is removed, and it says so', async () => {
    const first = await start();
    await first.fg.waitFor('Ready');
    const killed = first.fg.child.pid!;
    first.fg.child.kill('SIGKILL');
    await first.fg.exited;
    expect(existsSync(box.path('naught.ipc'))).toBe(true);
    expect(await naught(['status'], { cwd: box.dir })).toMatchObject({ code: 1, stderr: expect.stringMatching(/nothing answers on it/) });

    const second = new Foreground(['start', 'server.js'], { cwd: box.dir, env: { PORT: String(first.port) } });
    await second.waitFor('Ready');
    expect(second.stderr).toContain(`naught: removed ipc-file ${box.path('naught.ipc')}, which nothing answered on (pid ${killed} is gone)\n`);
    expect(await body(first.port, '/hi')).toMatch(/^v1/);
    expect(readFileSync(box.path('naught.pid'), 'utf8')).toBe(`${second.child.pid}\n`);
    expect(await second.stop()).toEqual({ code: 0, signal: null });
  });

  test('a live naught is never replaced, whatever --remove-old-ipc says', async () => {
    const { fg } = await start();
    await fg.waitFor('Ready');
    expect(await naught(['start', '--remove-old-ipc', 'true', 'server.js'], { cwd: box.dir })).toMatchObject({ code: 1, stdout: 'workers online: 1\n' });
    expect(readFileSync(box.path('naught.pid'), 'utf8')).toBe(`${fg.child.pid}\n`);
    expect(await naught(['status'], { cwd: box.dir })).toMatchObject({ code: 0, stdout: 'workers online: 1\n' });
    await fg.stop();
  });

  test('a dead socket whose pid file names a running process stays, unless --remove-old-ipc true (1.x)', async () => {
    box.installApp('v1');
    deadSocket(box.path('naught.ipc'));
    const inode = statSync(box.path('naught.ipc')).ino;
    // A running process that is not naught: this test.
    writeFileSync(box.path('naught.pid'), `${process.pid}\n`);
    expect(await naught(['start', 'server.js'], { cwd: box.dir })).toMatchObject({
      code: 1,
      stderr: `unable to start: nothing answers on ipc-file ${box.path('naught.ipc')}, but pid ${process.pid} (from ${box.path('naught.pid')}) is running; if it is not naught, remove the ipc file or pass --remove-old-ipc true\n`,
    });
    expect(statSync(box.path('naught.ipc')).ino).toBe(inode);

    const { fg } = await start(['--remove-old-ipc', 'true']);
    await fg.waitFor('Ready');
    expect(fg.stderr).toContain('which nothing answered on (--remove-old-ipc true)');
    await fg.stop();
  });

  test('a file that is not a socket is never removed', async () => {
    box.installApp('v1');
    writeFileSync(box.path('naught.ipc'), 'precious');
    expect(await naught(['start', '--remove-old-ipc', 'true', 'server.js'], { cwd: box.dir })).toMatchObject({
      code: 1,
      stderr: `unable to start: ipc-file ${box.path('naught.ipc')} exists and is not a socket; remove it, or give another --ipc-file\n`,
    });
    expect(readFileSync(box.path('naught.ipc'), 'utf8')).toBe('precious');
  });

  test('two starts racing over a dead socket: one runs, the other fails, and the files are the winner’s', async () => {
    box.installApp('v1');
    deadSocket(box.path('naught.ipc'));
    const port = await freePort();
    const racers = [0, 1].map(() => new Foreground(['start', 'server.js'], { cwd: box.dir, env: { PORT: String(port) } }));
    const outcome = await Promise.race(racers.map((r, i) => r.exited.then(() => i)));
    const loser = racers[outcome]!;
    const winner = racers[1 - outcome]!;
    expect((await loser.exited).code).toBe(1);
    await winner.waitFor('Ready');
    expect(readFileSync(box.path('naught.pid'), 'utf8')).toBe(`${winner.child.pid}\n`);
    expect(await naught(['status'], { cwd: box.dir })).toMatchObject({ code: 0, stdout: 'workers online: 1\n' });
    expect(await winner.stop()).toEqual({ code: 0, signal: null });
  });

  test('mode 0600 whatever the umask; --ipc-group opens it to one group (0660)', async () => {
    // Another user may walk into the sandbox, so only the socket's own mode keeps them out.
    chmodSync(path.dirname(box.dir), 0o711);
    chmodSync(box.dir, 0o755);
    const umask = process.umask(0);
    let started;
    try {
      started = await start();
    } finally {
      process.umask(umask);
    }
    await started.fg.waitFor('Ready');
    expect(statSync(box.path('naught.ipc')).mode & 0o777).toBe(0o600);
    expect(await naught(['status'], { cwd: box.dir, user: nobody })).toMatchObject({
      code: 1,
      stderr: `unable to connect to ipc-file ${box.path('naught.ipc')}: connect EACCES ${box.path('naught.ipc')}\n`,
    });
    await started.fg.stop();

    // In a directory naught makes for it, the group can reach it too.
    const grouped = await start(['--ipc-group', 'nogroup', '--ipc-file', 'run/app/naught.ipc']);
    await grouped.fg.waitFor('Ready');
    const stats = statSync(box.path('run/app/naught.ipc'));
    expect([stats.mode & 0o777, stats.gid]).toEqual([0o660, 65534]);
    for (const dir of ['run', 'run/app']) expect([statSync(box.path(dir)).mode & 0o777, statSync(box.path(dir)).gid]).toEqual([0o750, 65534]);
    expect(await naught(['status', 'run/app/naught.ipc'], { cwd: box.dir, user: nobody })).toMatchObject({ code: 0, stdout: 'workers online: 1\n' });
    await grouped.fg.stop();
  });

  test('a missing directory is made for the owner only; a world-writable one without the sticky bit is refused', async () => {
    const { fg } = await start(['--ipc-file', 'run/naught.ipc']);
    await fg.waitFor('Ready');
    expect(statSync(box.path('run')).mode & 0o777).toBe(0o700);
    await fg.stop();

    mkdirSync(box.path('open'));
    chmodSync(box.path('open'), 0o777);
    expect(await naught(['start', '--ipc-file', 'open/naught.ipc', 'server.js'], { cwd: box.dir })).toMatchObject({
      code: 1,
      stderr: `unable to start: ${box.path('open')} is writable by every user (mode 777): anyone could replace naught's files there\n`,
    });
    expect(existsSync(box.path('naught.pid'))).toBe(false);
    // Another user's directory, or one a group may write: the same, for the socket, the pid file and the logs.
    mkdirSync(box.path('theirs'));
    chownSync(box.path('theirs'), nobody.uid, nobody.gid);
    mkdirSync(box.path('shared'), { mode: 0o775 });
    chmodSync(box.path('shared'), 0o775);
    for (const [option, dir, said] of [
      ['--ipc-file', 'theirs', 'belongs to uid 65534 (nobody): that user could replace'],
      ['--pid-file', 'theirs', 'belongs to uid 65534 (nobody): that user could replace'],
      ['--log', 'shared', 'is writable by group gid 0 (root) (mode 775): its members could replace'],
      ['--stdout', 'theirs', 'belongs to uid 65534 (nobody): that user could replace'],
    ] as const) {
      expect(await naught(['start', option, `${dir}/file`, 'server.js'], { cwd: box.dir })).toMatchObject({ code: 1, stderr: `unable to start: ${box.path(dir)} ${said} naught's files there\n` });
    }
    expect(readdirSync(box.path('theirs'))).toEqual([]);
    expect(existsSync(box.path('naught.pid'))).toBe(false);
    expect(await naught(['start', '--ipc-group', 'no-such-group', 'server.js'], { cwd: box.dir })).toMatchObject({
      code: 2,
      stderr: 'naught: --ipc-group: no such group: no-such-group\n',
    });
  });
});
