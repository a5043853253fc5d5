// The 1.x command table against a daemon: every command, its exact output and exit code.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { body, freePort } from './helpers/http.js';
import { lines, naught } from './helpers/naught.js';
import { isAlive, until } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';

describe('daemon mode', () => {
  const box = useSandbox();

  test('start, status, deploy (same, more and fewer workers), stop: output, exit codes and logs', async () => {
    const port = await freePort();
    const run = (args: string[], env: Record<string, string> = {}) =>
      naught(args, { cwd: box.dir, env: { PORT: String(port), ...env } });
    box.installApp('server1');

    expect(await run(['start', '--daemon-mode', 'true', 'server.js'], { hi: 'sup dawg' })).toMatchObject({
      code: 0,
      stdout: 'workers online: 1\n',
      stderr: lines(['Bootup', 0, 0, 0, 0], ['SpawnNew', 1, 0, 0, 0], ['NewOnline', 0, 0, 0, 1]),
    });
    const pid = Number(readFileSync(box.path('naught.pid'), 'utf8'));
    expect(isAlive(pid)).toBe(true);

    // Starting twice prints the running server's status and fails.
    expect(await run(['start', '--daemon-mode', 'true', 'server.js'])).toMatchObject({ code: 1, stdout: 'workers online: 1\n', stderr: '' });
    expect(await run(['status'])).toMatchObject({ code: 0, stdout: 'workers online: 1\n', stderr: '' });
    expect(await body(port, '/hi')).toBe('server1 sup dawg');

    box.installApp('server2');
    expect(await run(['deploy'], { hi: 'hola' })).toMatchObject({
      code: 0,
      stdout: '',
      stderr:
        lines(['SpawnNew', 1, 1, 0, 0], ['NewOnline', 0, 1, 0, 1], ['ShutdownOld', 0, 0, 1, 1], ['OldExit', 0, 0, 0, 1]) +
        'done\n',
    });
    expect(await body(port, '/hi')).toBe('server2 hola');

    expect(await run(['deploy', '--worker-count', '2'])).toMatchObject({
      code: 0,
      stdout: '',
      stderr:
        lines(
          ['SpawnNew', 1, 1, 0, 0],
          ['SpawnNew', 2, 1, 0, 0],
          ['NewOnline', 1, 1, 0, 1],
          ['NewOnline', 0, 1, 0, 2],
          ['ShutdownOld', 0, 0, 1, 2],
          ['OldExit', 0, 0, 0, 2],
        ) + 'done\n',
    });
    expect(await run(['deploy', '--worker-count', '1'])).toMatchObject({
      code: 0,
      stdout: '',
      stderr:
        lines(
          ['SpawnNew', 1, 2, 0, 0],
          ['NewOnline', 0, 2, 0, 1],
          ['ShutdownOld', 0, 1, 1, 1],
          ['ShutdownOld', 0, 0, 2, 1],
          ['OldExit', 0, 0, 1, 1],
          ['OldExit', 0, 0, 0, 1],
        ) + 'done\n',
    });
    // The environment of the first deploy stays: later deploys only add to it.
    expect(await body(port, '/hi')).toBe('server2 hola');

    expect(await run(['stop'])).toMatchObject({
      code: 0,
      stdout: '',
      stderr: lines(['ShutdownOld', 0, 0, 1, 0], ['OldExit', 0, 0, 0, 0]),
    });
    // stop returns once the daemon itself is gone, and it cleaned up after itself.
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(box.path('naught.ipc'))).toBe(false);
    expect(existsSync(box.path('naught.pid'))).toBe(false);

    expect(await run(['stop'])).toMatchObject({ code: 0, stdout: '', stderr: 'server not running\n' });
    expect(await run(['status'])).toMatchObject({ code: 1, stdout: '', stderr: 'server not running\n' });
    expect(await run(['deploy'])).toMatchObject({ code: 1, stdout: '', stderr: 'server not running\n' });

    expect(readFileSync(box.path('stdout.log'), 'utf8')).toBe('server1 attempting to listen\n' + 'server2 attempting to listen\n'.repeat(4));
    const stderrLog = readFileSync(box.path('stderr.log'), 'utf8').split('\n').filter(Boolean).sort();
    expect(stderrLog).toEqual(
      [
        'server1 listening',
        'server1 got shutdown',
        ...Array(4).fill('server2 listening'),
        ...Array(4).fill('server2 got shutdown'),
      ].sort(),
    );
    expect(readFileSync(box.path('naught.log'), 'utf8')).toBe(
      lines(
        ['Bootup', 0, 0, 0, 0],
        ['SpawnNew', 1, 0, 0, 0],
        ['NewOnline', 0, 0, 0, 1],
        ['Ready', 0, 1, 0, 0],
        ['SpawnNew', 1, 1, 0, 0],
        ['NewOnline', 0, 1, 0, 1],
        ['ShutdownOld', 0, 0, 1, 1],
        ['OldExit', 0, 0, 0, 1],
        ['Ready', 0, 1, 0, 0],
        ['SpawnNew', 1, 1, 0, 0],
        ['SpawnNew', 2, 1, 0, 0],
        ['NewOnline', 1, 1, 0, 1],
        ['NewOnline', 0, 1, 0, 2],
        ['ShutdownOld', 0, 0, 1, 2],
        ['OldExit', 0, 0, 0, 2],
        ['Ready', 0, 2, 0, 0],
        ['SpawnNew', 1, 2, 0, 0],
        ['NewOnline', 0, 2, 0, 1],
        ['ShutdownOld', 0, 1, 1, 1],
        ['ShutdownOld', 0, 0, 2, 1],
        ['OldExit', 0, 0, 1, 1],
        ['OldExit', 0, 0, 0, 1],
        ['Ready', 0, 1, 0, 0],
        ['ShutdownOld', 0, 0, 1, 0],
        ['OldExit', 0, 0, 0, 0],
        ['Shutdown', 0, 0, 0, 0],
      ),
    );
  });

  test('non-default options, script arguments, many workers, and stop by ipc-file', async () => {
    const port = await freePort();
    box.installApp('server3');
    const started = await naught(
      [
        'start',
        '--daemon-mode', 'true',
        '--worker-count', '5',
        '--ipc-file', 'some/dir/ipc',
        '--pid-file', 'run/naught.pid',
        '--log', 'log/naught/a.log',
        '--stderr', 'log/stderr/b',
        '--stdout', 'log/stdout/c.',
        '--cwd', '.',
        'server.js',
        '--custom1', 'aoeu',
        'herp derp',
        '--worker-count', '7',
      ],
      { cwd: box.dir, env: { PORT: String(port) } },
    );
    expect(started).toMatchObject({
      code: 0,
      stdout: 'workers online: 5\n',
      stderr: lines(
        ['Bootup', 0, 0, 0, 0],
        ['SpawnNew', 1, 0, 0, 0],
        ['SpawnNew', 2, 0, 0, 0],
        ['SpawnNew', 3, 0, 0, 0],
        ['SpawnNew', 4, 0, 0, 0],
        ['SpawnNew', 5, 0, 0, 0],
        ['NewOnline', 4, 0, 0, 1],
        ['NewOnline', 3, 0, 0, 2],
        ['NewOnline', 2, 0, 0, 3],
        ['NewOnline', 1, 0, 0, 4],
        ['NewOnline', 0, 0, 0, 5],
      ),
    });
    // Everything after the script reaches it untouched, naught-like options included.
    expect(JSON.parse(await body(port, '/argv'))).toEqual(['--custom1', 'aoeu', 'herp derp', '--worker-count', '7']);
    expect(existsSync(box.path('run/naught.pid'))).toBe(true);
    expect(await naught(['status', 'some/dir/ipc'], { cwd: box.dir })).toMatchObject({ code: 0, stdout: 'workers online: 5\n' });

    expect(await naught(['stop', '--pid-file', 'run/naught.pid', 'some/dir/ipc'], { cwd: box.dir })).toMatchObject({
      code: 0,
      stdout: '',
      stderr: lines(
        ['ShutdownOld', 0, 4, 1, 0],
        ['ShutdownOld', 0, 3, 2, 0],
        ['ShutdownOld', 0, 2, 3, 0],
        ['ShutdownOld', 0, 1, 4, 0],
        ['ShutdownOld', 0, 0, 5, 0],
        ['OldExit', 0, 0, 4, 0],
        ['OldExit', 0, 0, 3, 0],
        ['OldExit', 0, 0, 2, 0],
        ['OldExit', 0, 0, 1, 0],
        ['OldExit', 0, 0, 0, 0],
      ),
    });
    expect(readFileSync(box.path('log/stdout/c.'), 'utf8')).toBe('server3 attempting to listen\n'.repeat(5));
    expect(readFileSync(box.path('log/naught/a.log'), 'utf8')).toContain('Shutdown. booting: 0');
    expect(existsSync(box.path('log/stderr/b'))).toBe(true);
  });

  test('runbook signals to the daemon: kill -HUP deploys, kill -TERM stops', async () => {
    const port = await freePort();
    box.installApp('v1');
    expect(await naught(['start', '--daemon-mode', 'true', '--worker-count', '2', 'server.js'], { cwd: box.dir, env: { PORT: String(port) } })).toMatchObject({ code: 0 });
    const pid = Number(readFileSync(box.path('naught.pid'), 'utf8'));
    const logged = () => readFileSync(box.path('naught.log'), 'utf8');

    box.installApp('v2');
    process.kill(pid, 'SIGHUP');
    await until(() => logged().split('Ready.').length === 3, 'the deploy to finish');
    expect(await body(port, '/hi')).toBe('v2 undefined');

    process.kill(pid, 'SIGTERM');
    await until(() => !isAlive(pid), 'the daemon to exit');
    expect(logged().split('\n').slice(-4)).toEqual([
      'OldExit. booting: 0, online: 0, dying: 1, new_online: 0',
      'OldExit. booting: 0, online: 0, dying: 0, new_online: 0',
      'Shutdown. booting: 0, online: 0, dying: 0, new_online: 0',
      '',
    ]);
    expect(existsSync(box.path('naught.ipc'))).toBe(false);
  });

  test('a server that crashes at boot: the crash message, exit 1, nothing left running', async () => {
    box.installApp('broken');
    const result = await naught(['start', '--daemon-mode', 'true', 'server.js'], {
      cwd: box.dir,
      env: { PORT: String(await freePort()), BOOT: 'crash' },
    });
    expect(result).toMatchObject({
      code: 1,
      stdout: '',
      stderr:
        lines(['Bootup', 0, 0, 0, 0], ['SpawnNew', 1, 0, 0, 0], ['NewDeath', 0, 0, 0, 0]) +
        'The server crashed without booting. Check stderr.log.\n',
    });
    expect(readFileSync(box.path('stderr.log'), 'utf8')).toBe('broken crashing at boot\n');
    // start returns once the daemon is gone, with its files.
    expect(existsSync(box.path('naught.ipc'))).toBe(false);
    expect(existsSync(box.path('naught.pid'))).toBe(false);
  });
});
