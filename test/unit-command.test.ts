// `naught unit`: the systemd unit it prints for an app (a real systemd runs it in
// test/slow/unit.test.ts).
import { execFile } from 'node:child_process';
import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { NAUGHT, naught } from './helpers/naught.js';
import { useSandbox } from './helpers/sandbox.js';

/** systemd's own check of unit files (systemd is installed by .ci/run). */
function verify(...files: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) =>
    execFile('systemd-analyze', ['verify', ...files], (error, stdout, stderr) => resolve({ code: error === null ? 0 : Number(error.code), output: stdout + stderr })),
  );
}

describe('naught unit', () => {
  const box = useSandbox();

  test('absolute paths, the working directory, the user, the options given, and systemd accepts it', async () => {
    box.installApp('v1');
    const result = await naught(['unit', '--worker-count', '4', '--stop-timeout', '20', '--stdout', '-', '--cwd', '.', 'server.js', '--port', '8080', 'two words', '50%'], { cwd: box.dir });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const lines = result.stdout.split('\n');
    const name = path.basename(box.dir);
    const node = process.execPath;
    const cli = realpathSync(NAUGHT);
    expect(lines).toContain(`Description=${name} under naught`);
    expect(lines).toContain(`User=${userInfo().username}`);
    expect(lines).toContain(`WorkingDirectory=${box.dir}`);
    expect(lines).toContain(`RuntimeDirectory=${name}`);
    expect(lines).toContain(
      `ExecStart=${node} ${cli} start --worker-count 4 --stop-timeout 20 --stdout - --cwd ${box.dir} ` +
        `--ipc-file /run/${name}/naught.ipc --pid-file /run/${name}/naught.pid --log /var/log/${name}/naught.log --stderr /var/log/${name}/stderr.log ` +
        `${box.path('server.js')} --port 8080 "two words" 50%%`,
    );
    expect(lines).toContain(`ExecReload=${node} ${cli} deploy --timeout 120 /run/${name}/naught.ipc`);
    expect(lines).toContain('TimeoutStopSec=35');
    // LimitNICE=+0: naught, as User=, may set a worker's priority back once it is online (--boot-nice).
    for (const line of ['Type=notify', 'KillMode=mixed', 'WatchdogSec=30', 'Restart=on-failure', 'WantedBy=multi-user.target', 'LimitNICE=+0']) expect(lines).toContain(line);

    // systemd's own check of the file (systemd is installed by .ci/run).
    writeFileSync(box.path(`${name}.service`), result.stdout);
    expect(await verify(box.path(`${name}.service`))).toEqual({ code: 0, output: '' });
  });

  test("a directory and arguments with spaces, $, %, quotes and a newline are written as systemd reads them, and systemd accepts it; a path it cannot take is one line", async () => {
    const dir = box.path(`my app $HOME %n "q" 'z'`);
    mkdirSync(dir);
    box.installApp('v1', path.join(path.basename(dir), 'server.js'));
    const result = await naught(['unit', '--name', 'shop', 'server.js', 'two\nlines', 'a\\b', '$PATH', '%h'], { cwd: dir });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const lines = result.stdout.split('\n');
    expect(lines).toContain(`WorkingDirectory=${box.dir}/my app $HOME %%n "q" 'z'`);
    expect(lines.find((line) => line.startsWith('ExecStart='))).toContain(` "${box.dir}/my app $$HOME %%n \\"q\\" 'z'/server.js" "two\\nlines" "a\\\\b" $$PATH %%h`);
    writeFileSync(box.path('shop.service'), result.stdout);
    expect(await verify(box.path('shop.service'))).toEqual({ code: 0, output: '' });

    const newline = box.path('two\nlines');
    mkdirSync(newline);
    box.installApp('v1', path.join(path.basename(newline), 'server.js'));
    expect(await naught(['unit', 'server.js'], { cwd: newline })).toEqual({
      code: 2,
      signal: null,
      stdout: '',
      stderr: `naught: WorkingDirectory=: systemd cannot take ${JSON.stringify(newline)} as a path (a control character, white space at an end, or a backslash at the end); move the app to another directory\n`,
    });
  });

  test('--name and --user; without --stop-timeout the unit waits 45 s for the workers, inside TimeoutStopSec=60', async () => {
    box.installApp('v1');
    const result = await naught(['unit', '--name', 'shop', '--user', 'shop', 'server.js'], { cwd: box.dir });
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines).toContain('User=shop');
    expect(lines).toContain('LogsDirectory=shop');
    expect(lines.find((line) => line.startsWith('ExecStart='))).toContain('--ipc-file /run/shop/naught.ipc --pid-file /run/shop/naught.pid --log /var/log/shop/naught.log --stdout /var/log/shop/stdout.log --stderr /var/log/shop/stderr.log --stop-timeout 45 ');
    expect(lines).toContain('TimeoutStopSec=60');
    const plain = await naught(['unit', '--name', 'shop', '--user', 'shop', '--boot-nice', '0', 'server.js'], { cwd: box.dir });
    expect(plain.stdout.split('\n').find((line) => line.startsWith('ExecStart='))).toContain(' --boot-nice 0 ');
    expect(plain.stdout).not.toContain('LimitNICE');
  });

  test('--listen: the service takes its sockets from a .socket unit of its name, which --socket prints; systemd accepts both', async () => {
    box.installApp('v1');
    const name = path.basename(box.dir);
    const service = await naught(['unit', '--listen', 'web=127.0.0.1:8000', '--worker-count', '2', 'server.js'], { cwd: box.dir });
    const socket = await naught(['unit', '--listen', 'web=127.0.0.1:8000', '--worker-count', '2', '--socket', 'server.js'], { cwd: box.dir });
    expect(service).toMatchObject({ code: 0, stderr: '' });
    expect(socket).toMatchObject({ code: 0, stderr: '' });
    const lines = service.stdout.split('\n');
    expect(lines).toContain(`Requires=${name}.socket`);
    expect(lines).toContain(`After=network-online.target ${name}.socket`);
    // systemd binds them and passes them: naught does not bind them again.
    expect(lines.find((line) => line.startsWith('ExecStart='))).not.toContain('--listen');
    expect(lines).toContain(`#   naught upgrade /run/${name}/naught.ipc  new naught or node without a restart: the old naught serves until the new one's workers are online`);
    expect(socket.stdout.split('\n').filter((line) => !line.startsWith('#') && line !== '')).toEqual([
      '[Unit]',
      `Description=${name}'s listening sockets`,
      '[Socket]',
      'ListenStream=127.0.0.1:8000',
      'FileDescriptorName=web',
      `Service=${name}.service`,
      '[Install]',
      'WantedBy=sockets.target',
    ]);
    writeFileSync(box.path(`${name}.service`), service.stdout);
    writeFileSync(box.path(`${name}.socket`), socket.stdout);
    expect(await verify(box.path(`${name}.socket`), box.path(`${name}.service`))).toEqual({ code: 0, output: '' });
  });

  test.each([
    [['--socket'], 'naught: --socket prints the .socket unit of --listen: give --listen too'],
    [['--socket', '--listen', 'web=8000,admin=9000'], 'naught: --listen: one .socket unit gives all its sockets one name, not web, admin; give them one name, or write a unit for each'],
  ])('naught unit %j: one line, exit 2', async (args, line) => {
    box.installApp('v1');
    expect(await naught(['unit', ...args, 'server.js'], { cwd: box.dir })).toEqual({ code: 2, stdout: '', stderr: `${line}\n`, signal: null });
  });
});
