// The command line itself: bad input, help, version, and the start options that
// need their own checks (values that begin with '-', stale ipc files, paths).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import { COMMANDS } from '../src/cli/commands.js';
import { body, freePort } from './helpers/http.js';
import { Foreground, naught } from './helpers/naught.js';
import { until } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';

describe('bad input', () => {
  const box = useSandbox();

  // [arguments, exit code, the one line naught prints]
  const cases: Array<[string[], number, string | RegExp]> = [
    [['start', '--wrker-count', '2', 'server.js'], 2, "naught: unknown option --wrker-count for 'naught start'; did you mean --worker-count?"],
    [['deploy', '--timout', '5'], 2, "naught: unknown option --timout for 'naught deploy'; did you mean --timeout?"],
    [['start', '--colour', 'red', 'server.js'], 2, /^naught: unknown option --colour for 'naught start' \(known: --worker-count, /],
    [['start', '-w', '2', 'server.js'], 2, /^naught: unknown option -w for 'naught start'/],
    [['start', '--worker-count', 'abc', 'server.js'], 2, "naught: --worker-count must be a whole number of 1 or more, or 'auto', not 'abc'"],
    [['start', '--worker-count', '-1', 'server.js'], 2, "naught: --worker-count must be a whole number of 1 or more, or 'auto', not '-1'"],
    [['start', '--worker-count', '0', 'server.js'], 2, "naught: --worker-count must be a whole number of 1 or more, or 'auto', not '0'"],
    [['start', '--worker-count', '2.5', 'server.js'], 2, "naught: --worker-count must be a whole number of 1 or more, or 'auto', not '2.5'"],
    [['start', '--worker-count', '100000', 'server.js'], 2, "naught: --worker-count must be at most 1024 (a node process each), not '100000'"],
    [['deploy', '--worker-count', '1025'], 2, "naught: --worker-count must be at most 1024 (a node process each), not '1025'"],
    [['deploy', '--canary', '0'], 2, "naught: --canary must be a whole number from 1 to 1024, or 'none', not '0'"],
    [['deploy', '--canary', 'half'], 2, "naught: --canary must be a whole number from 1 to 1024, or 'none', not 'half'"],
    [['deploy', '--canary', '1', '--canary-window', '1'], 2, "naught: --canary-window must be a number of seconds from 2 to 2147483, not '1'"],
    [['deploy', '--canary-window', 'none'], 2, "naught: --canary-window must be a number of seconds from 2 to 2147483, not 'none'"],
    [['deploy', '--canary-margin', '101'], 2, "naught: --canary-margin must be a number from 0 to 100 (percentage points), not '101'"],
    [['start', '--deploy-canary', '-1', 'server.js'], 2, "naught: --deploy-canary must be a whole number from 1 to 1024, or 'none', not '-1'"],
    [['start', '--deploy-canary-window', '0.5', 'server.js'], 2, "naught: --deploy-canary-window must be a number of seconds from 2 to 2147483, not '0.5'"],
    [['start', '--canary-margin', '5%', 'server.js'], 2, "naught: --canary-margin must be a number from 0 to 100 (percentage points), not '5%'"],
    [['start', '--max-log-size', '10k', 'server.js'], 2, "naught: --max-log-size must be a whole number of bytes, 1 or more, not '10k'"],
    [['start', '--max-log-size', '-5', 'server.js'], 2, "naught: --max-log-size must be a whole number of bytes, 1 or more, not '-5'"],
    [['start', '--max-log-files', 'many', 'server.js'], 2, "naught: --max-log-files must be a whole number or 'all', not 'many'"],
    [['start', '--max-log-files', '-1', 'server.js'], 2, "naught: --max-log-files must be a whole number or 'all', not '-1'"],
    [['start', '--log-mode', '0755', 'server.js'], 2, "naught: --log-mode must be an octal file mode with no execute bit, such as 0640, not '0755'"],
    [['start', '--log-mode', 'rw-r-----', 'server.js'], 2, "naught: --log-mode must be an octal file mode with no execute bit, such as 0640, not 'rw-r-----'"],
    [['start', '--daemon-mode', 'yes', 'server.js'], 2, "naught: --daemon-mode must be 'true' or 'false', not 'yes'"],
    [['start', '--remove-old-ipc', 'TRUE', 'server.js'], 2, "naught: --remove-old-ipc must be 'true' or 'false', not 'TRUE'"],
    [['start', '--worker-count'], 2, 'naught: --worker-count needs a value'],
    [['start', '--worker-count', '2', '--worker-count', '3', 'server.js'], 2, 'naught: --worker-count is given twice'],
    [['start'], 2, 'naught: missing script: naught start [options] <script> [script-options]'],
    [['start', 'nope.js'], 2, /^naught: script not found: \/.*\/nope\.js$/],
    [['start', '--cwd', 'nowhere', 'server.js'], 2, 'naught: --cwd: no such directory: nowhere'],
    [['start', '--ipc-file', `${'d'.repeat(120)}/naught.ipc`, 'server.js'], 2, /^naught: ipc-file path is \d+ bytes, unix sockets allow 107: /],
    [['start', '--daemon-mode', 'true', '--stdout', '-', 'server.js'], 2, 'naught: --stdout -: a daemon has no console; give a file, or /dev/null'],
    [['start', '--daemon-mode', 'true', '--log', '-', 'server.js'], 2, 'naught: --log -: a daemon has no console; give a file, or /dev/null'],
    [['start', '--stop-timeout', 'soon', 'server.js'], 2, "naught: --stop-timeout must be a number of seconds or 'none', not 'soon'"],
    [['start', '--max-memory', '12Q', 'server.js'], 2, "naught: --max-memory must be a size such as 512M or 1G, a number of bytes, or 'none', not '12Q'"],
    [['deploy', '--max-memory', '0'], 2, "naught: --max-memory must be a size such as 512M or 1G, a number of bytes, or 'none', not '0'"],
    [['start', '--worker-timeout', '1', 'server.js'], 2, "naught: --worker-timeout must be at least 2 seconds, or 'none', not '1'"],
    [['start', '--worker-timeout', 'soon', 'server.js'], 2, "naught: --worker-timeout must be a number of seconds or 'none', not 'soon'"],
    [['deploy', '--batch', '0'], 2, "naught: --batch must be a whole number of 1 or more, or 'all', not '0'"],
    [['start', '--deploy-batch', 'half', 'server.js'], 2, "naught: --deploy-batch must be a whole number of 1 or more, or 'all', not 'half'"],
    [['start', '--max-worker-age', '6 hours', 'server.js'], 2, "naught: --max-worker-age must be a duration of 1 s or more such as 90, 15m, 6h or 1d, or 'none', not '6 hours'"],
    [['unit', '--daemon-mode', 'true', 'server.js'], 2, 'naught: --daemon-mode true does not fit a Type=notify unit; packaging/README.md shows the Type=forking one'],
    [['unit', '--name', 'a b', 'server.js'], 2, "naught: --name must be letters, digits, _ . or -, not 'a b'"],
    [['unit', 'nope.js'], 2, /^naught: script not found: \/.*\/nope\.js$/],
    [['stop', '--timeout', 'soon'], 2, "naught: --timeout must be a number of seconds or 'none', not 'soon'"],
    [['stop', '--timeout', '-1'], 2, "naught: --timeout must be a number of seconds or 'none', not '-1'"],
    // Past node's longest timer (2^31 - 1 ms) a timeout would fire at once.
    [['stop', '--timeout', '2200000'], 2, "naught: --timeout must be a number of seconds up to 2147483 (24 days), or 'none', not '2200000'"],
    [['start', '--drain-timeout', '2147484', 'server.js'], 2, "naught: --drain-timeout must be a number of seconds up to 2147483 (24 days), or 'none', not '2147484'"],
    [['start', '--drain-ramp', 'slowly', 'server.js'], 2, "naught: --drain-ramp must be a number of seconds or 'none', not 'slowly'"],
    [['start', '--boot-yield', '-1', 'server.js'], 2, "naught: --boot-yield must be a number of seconds or 'none', not '-1'"],
    [['deploy', '--override-env', '1'], 2, "naught: --override-env must be 'true' or 'false', not '1'"],
    [['deploy', '--worker-count', 'many'], 2, "naught: --worker-count must be a whole number of 0 or more, or 'auto', not 'many'"],
    [['deploy', '--cwd', 'nowhere'], 2, 'naught: --cwd: no such directory: nowhere'],
    [['status', 'a.ipc', 'b.ipc'], 2, "naught: unexpected argument 'b.ipc' for 'naught status'"],
    [['status', '--timeout', '1'], 2, "naught: unknown option --timeout for 'naught status' (known: --json, --probe)"],
    [['deploy-abort', '--timeout', '1'], 2, "naught: unknown option --timeout for 'naught deploy-abort' (it takes none)"],
    [['version', 'extra'], 2, "naught: unexpected argument 'extra' for 'naught version'"],
    [['strat', 'server.js'], 2, "naught: unknown command 'strat'; did you mean 'start'? (commands: start, unit, stop, status, deploy, rollback, deploy-abort, upgrade, logs, report, profile, heap-snapshot, version, help)"],
    [['help', 'statsu'], 2, "naught: unknown command 'statsu'; did you mean 'status'? (commands: start, unit, stop, status, deploy, rollback, deploy-abort, upgrade, logs, report, profile, heap-snapshot, version, help)"],
    [['launch', 'server.js'], 2, "naught: unknown command 'launch' (commands: start, unit, stop, status, deploy, rollback, deploy-abort, upgrade, logs, report, profile, heap-snapshot, version, help)"],
    // Paths that exist as files where a directory is needed: unusable even for root.
    [['start', '--ipc-file', 'server.js/naught.ipc', 'server.js'], 1, /^unable to start: ipc-file \/.*\/server\.js\/naught\.ipc: connect ENOTDIR /],
    [['start', '--daemon-mode', 'true', '--ipc-file', 'server.js/naught.ipc', 'server.js'], 1, /^unable to start daemon: ipc-file .*: connect ENOTDIR /],
    [['start', '--pid-file', 'server.js/naught.pid', 'server.js'], 1, /^unable to start: EEXIST: file already exists, mkdir '.*server\.js'$/],
    [['start', '--daemon-mode', 'true', '--log', 'server.js/naught.log', 'server.js'], 1, /^unable to start daemon: EEXIST: file already exists, mkdir '.*server\.js'$/],
  ];

  test.each(cases)('naught %j', async (args, code, message) => {
    box.installApp('v1');
    const before = readdirSync(box.dir).sort();
    const result = await naught(args, { cwd: box.dir, env: { PORT: String(await freePort()) } });
    expect(result.code).toBe(code);
    expect(result.stdout).toBe('');
    // One line that names the problem; never a stack trace.
    const errLines = result.stderr.split('\n').filter(Boolean);
    expect(errLines).toHaveLength(1);
    expect(errLines[0]).toMatch(typeof message === 'string' ? new RegExp(`^${escape(message)}$`) : message);
    // Nothing half-started: no socket, no pid file, no new file at all.
    await until(() => !existsSync(box.path('naught.ipc')), 'no ipc file');
    expect(readdirSync(box.dir).sort()).toEqual(before);
  });
});

describe('help and version', () => {
  const box = useSandbox();

  test('version prints the package version', async () => {
    for (const args of [['version'], ['--version'], ['-v']]) {
      expect(await naught(args, { cwd: box.dir })).toMatchObject({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    }
  });

  test('help lists the commands; help <cmd> and <cmd> --help describe every option with its default', async () => {
    const general = await naught(['help'], { cwd: box.dir });
    expect(general.code).toBe(0);
    for (const name of ['start', 'stop', 'status', 'deploy', 'deploy-abort', 'version', 'help']) expect(general.stdout).toContain(name);

    const deployHelp = await naught(['help', 'deploy'], { cwd: box.dir });
    expect(deployHelp).toMatchObject({ code: 0, stderr: '' });
    expect(deployHelp.stdout).toMatch(/--worker-count .*\(default 0\)/);
    expect(deployHelp.stdout).toMatch(/--override-env .*\(default true\)/);
    expect(deployHelp.stdout).toMatch(/--timeout .*\(default none\)/);
    expect(deployHelp.stdout).toMatch(/--cwd .*\(default unchanged\)/);

    // Every option of every command shows an example.
    for (const command of COMMANDS) {
      const text = (await naught(['help', command.name], { cwd: box.dir })).stdout;
      for (const option of Object.keys(command.options)) expect(text, `${command.name} --${option}`).toMatch(new RegExp(`^ +--${option} .*; e\\.g\\. --${option}\\b`, 'm'));
    }

    const startHelp = await naught(['start', '--help'], { cwd: box.dir });
    expect(startHelp.code).toBe(0);
    for (const [option, fallback] of Object.entries({
      'worker-count': '1',
      'ipc-file': 'naught.ipc',
      'pid-file': 'naught.pid',
      log: 'naught.log',
      stdout: 'stdout.log',
      stderr: 'stderr.log',
      'max-log-size': '10485760',
      cwd: '.',
      'daemon-mode': 'false',
      'remove-old-ipc': 'false',
      'node-args': "''",
    })) {
      expect(startHelp.stdout).toMatch(new RegExp(`--${option} .*\\(default ${escape(fallback)}\\)`));
    }
    expect((await naught(['stop', '-h'], { cwd: box.dir })).stdout).toMatch(/--pid-file .*\(default naught\.pid\)/);
  });

  test('no command prints the help and fails', async () => {
    const result = await naught([], { cwd: box.dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('Available Commands');
  });
});

describe('start options', () => {
  const box = useSandbox();

  test('--node-args reach naught itself and the workers, also when the value begins with "-"', async () => {
    const port = await freePort();
    box.installApp('v1');
    const fg = new Foreground(
      ['start', '--node-args', '--harmony   --max-old-space-size=100', '--log', '/dev/null', '--stdout', '/dev/null', '--stderr', '/dev/null', 'server.js'],
      { cwd: box.dir, env: { PORT: String(port) } },
    );
    await fg.waitFor('Ready');
    // After naught's health agent (--worker-timeout is on by default).
    expect(JSON.parse(await body(port, '/execArgv'))).toEqual(['--require', expect.stringMatching(/\/dist\/agent\.js$/), '--harmony', '--max-old-space-size=100']);
    // The supervisor is a copy of the CLI that runs with them; the pid file names it.
    const supervisor = Number(readFileSync(box.path('naught.pid'), 'utf8'));
    expect(supervisor).not.toBe(fg.child.pid);
    expect(readFileSync(`/proc/${supervisor}/cmdline`, 'utf8').split('\0')).toEqual(
      expect.arrayContaining(['--harmony', '--max-old-space-size=100', 'start']),
    );
    // /dev/null: no file is made for any of the three logs.
    expect(readdirSync(box.dir).sort()).toEqual(['naught.ipc', 'naught.pid', 'server.js']);
    // The first process passes signals on: SIGHUP deploys, SIGTERM stops, and it exits as the copy did.
    const mark = fg.events.length;
    box.installApp('v2');
    fg.child.kill('SIGHUP');
    await fg.waitFor('Ready', mark);
    expect(await body(port, '/hi')).toMatch(/^v2/);
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test('--node-args reach a daemon and its workers', async () => {
    const port = await freePort();
    box.installApp('v1');
    const started = await naught(['start', '--daemon-mode', 'true', '--node-args', '--max-old-space-size=100', 'server.js'], {
      cwd: box.dir,
      env: { PORT: String(port) },
    });
    expect(started).toMatchObject({ code: 0, stdout: 'workers online: 1\n' });
    const daemon = Number(readFileSync(box.path('naught.pid'), 'utf8'));
    expect(readFileSync(`/proc/${daemon}/cmdline`, 'utf8').split('\0')).toContain('--max-old-space-size=100');
    expect(JSON.parse(await body(port, '/execArgv'))).toEqual(['--inspect-publish-uid=stderr', '--require', expect.stringMatching(/\/dist\/agent\.js$/), '--max-old-space-size=100', '--inspect-port=0']);
    expect((await naught(['stop'], { cwd: box.dir })).code).toBe(0);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
