// The packaged units on a real systemd: 252 (Debian bookworm) and 257 (trixie).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually } from '../helpers/processes.js';
import { Machine } from './helpers/machine.js';
import type { Suite } from './helpers/rootfs.js';

const APP = '/srv/myapp/current/server.js';
const fixture = (version: string): string => readFileSync('test/fixtures/app.cjs', 'utf8').replace('__VERSION__', version);

describe.each([
  ['bookworm', 'naught.service'],
  ['trixie', 'naught.service'],
  ['trixie', 'naught-notify-reload.service'],
] as Array<[Suite, string]>)('systemd on %s, packaging/%s', (suite, unitFile) => {
  let machine: Machine;

  beforeAll(async () => {
    machine = await Machine.boot(suite);
    await machine.must(['useradd', '--system', 'myapp']);
    await machine.must(['ln', '-s', '/opt/naught/dist/naught.js', '/usr/local/bin/naught']);
    await machine.writeFile(APP, fixture('v1'));
    // The unit exactly as shipped; the test's changes go in a drop-in.
    await machine.must(['cp', `/opt/naught/packaging/${unitFile}`, '/etc/systemd/system/myapp.service']);
    await machine.writeFile('/etc/systemd/system/myapp.service.d/test.conf', '[Service]\nEnvironment=BOOT_DELAY_MS=700\n');
    await machine.must(['systemctl', 'daemon-reload']);
  });

  afterAll(async () => {
    await machine?.halt();
  });

  const curl = async (route: string): Promise<string> => machine.must(['curl', '-sS', `http://127.0.0.1:8000${route}`]);
  const show = (...properties: string[]) => machine.show('myapp', ...properties);

  test('start waits for every worker; reload deploys with zero failed requests and fails for a broken release; stop is graceful', async () => {
    expect((await machine.exec(['systemctl', 'start', 'myapp'])).code).toBe(0);
    // start returned only after READY=1: the workers (which take 700 ms to boot) already answer.
    expect(await show('SubState', 'StatusText')).toEqual({ SubState: 'running', StatusText: '2 workers online' });
    expect(await curl('/hi')).toBe('v1 undefined');
    const { MainPID } = await show('MainPID');
    expect(await machine.must(['cat', `/proc/${MainPID}/cmdline`])).toContain('/usr/local/bin/naught\0start\0');

    // Requests on fresh connections all through the reload.
    const load = await machine.load('http://127.0.0.1:8000/hi');
    await machine.writeFile(APP, fixture('v2'));
    expect((await machine.exec(['systemctl', 'reload', 'myapp'])).code).toBe(0);
    expect(await curl('/hi')).toBe('v2 undefined');
    const tally = await load.stop();
    expect(tally.failed, JSON.stringify(tally.errors)).toBe(0);
    expect(Object.keys(tally.bodies).sort()).toEqual(['v1 undefined', 'v2 undefined']);

    // A release that crashes at boot: the reload fails and the old workers keep serving.
    await machine.writeFile(APP, 'throw new Error("broken release");\n');
    const failed = await machine.exec(['systemctl', 'reload', 'myapp']);
    expect(failed.code).not.toBe(0);
    expect((await show('StatusText')).StatusText).toMatch(/^deploy failed: new worker [01] exited with code 1; 2 old workers serving$/);
    expect(await curl('/hi')).toBe('v2 undefined');
    expect((await show('SubState')).SubState).toBe('running');

    expect((await machine.exec(['systemctl', 'stop', 'myapp'])).code).toBe(0);
    expect(await show('Result', 'ExecMainStatus', 'SubState')).toEqual({ Result: 'success', ExecMainStatus: '0', SubState: 'dead' });
    const journal = await machine.must(['journalctl', '-u', 'myapp', '--no-pager', '-o', 'cat']);
    expect(journal).toContain('ShutdownOld. booting: 0, online: 1, dying: 1, new_online: 0');
    expect(journal).toContain('Shutdown. booting: 0, online: 0, dying: 0, new_online: 0');
    expect(journal).not.toMatch(/SIGKILL|Killing process/);
  });

  test('the watchdog restarts a wedged naught', async () => {
    await machine.writeFile(APP, fixture('v3'));
    await machine.writeFile('/etc/systemd/system/myapp.service.d/watchdog.conf', '[Service]\nWatchdogSec=1\nTimeoutAbortSec=1\nRestartSec=0.1\n');
    await machine.must(['systemctl', 'daemon-reload']);
    await machine.must(['systemctl', 'start', 'myapp']);
    await wedgeAndExpectRestart(20_000);
    expect(await machine.must(['journalctl', '-u', 'myapp', '--no-pager', '-o', 'cat'])).toContain("Failed with result 'watchdog'");
    expect((await show('StatusText')).StatusText).toBe('2 workers online');
    expect(await curl('/hi')).toBe('v3 undefined');
    await machine.must(['systemctl', 'stop', 'myapp']);
  });

  // A deploy's EXTEND_TIMEOUT_USEC moves systemd's watchdog deadline too: it must not blind it.
  test('wedged right after a successful deploy, after a failed one, and during one: restarted within WatchdogSec + TimeoutAbortSec + 2 s', async () => {
    await machine.writeFile(APP, fixture('v4'));
    await machine.writeFile('/etc/systemd/system/myapp.service.d/watchdog.conf', '[Service]\nWatchdogSec=3\nTimeoutAbortSec=2\nRestartSec=0.1\n');
    await machine.must(['systemctl', 'daemon-reload']);
    await machine.must(['systemctl', 'start', 'myapp']);
    const bound = 3_000 + 2_000 + 2_000;

    expect((await machine.exec(['systemctl', 'reload', 'myapp'])).code).toBe(0);
    await wedgeAndExpectRestart(bound);

    await machine.writeFile(APP, 'throw new Error("broken release");\n');
    expect((await machine.exec(['systemctl', 'reload', 'myapp'])).code).not.toBe(0);
    // What the restart will run.
    await machine.writeFile(APP, fixture('v4'));
    await wedgeAndExpectRestart(bound);

    await machine.writeFile(APP, fixture('v5'));
    // New workers that take 6 s to come online: the deploy is under way when naught stops.
    await machine.writeFile('/etc/systemd/system/myapp.service.d/test.conf', '[Service]\nEnvironment=BOOT_DELAY_MS=6000\n');
    await machine.must(['systemctl', 'daemon-reload']);
    await machine.must(['systemctl', 'reload', '--no-block', 'myapp']);
    await eventually(async () => ((await show('StatusText')).StatusText ?? '').startsWith('deploying'), 'the deploy to begin', 10_000);
    await wedgeAndExpectRestart(bound);

    await machine.writeFile('/etc/systemd/system/myapp.service.d/test.conf', '[Service]\nEnvironment=BOOT_DELAY_MS=700\n');
    await machine.must(['rm', '/etc/systemd/system/myapp.service.d/watchdog.conf']);
    await machine.must(['systemctl', 'daemon-reload']);
    await machine.must(['systemctl', 'stop', 'myapp']);
  });

  test('with --deploy-canary in the unit, a release that answers 500s fails systemctl reload and is rolled back; every request answered', async () => {
    // Releases behind `current`, so the release that runs is on disk beside the new one.
    await machine.writeFile('/srv/myapp/releases/1/server.js', fixture('v6'));
    await machine.writeFile('/srv/myapp/releases/2/server.js', fixture('v7').replace("'use strict';", "'use strict';\nprocess.env.FAIL_EVERY = '2';"));
    await machine.must(['sh', '-c', 'rm -rf /srv/myapp/current && ln -s releases/1 /srv/myapp/current']);
    // The shipped ExecStart, with a canary.
    const shipped = /^ExecStart=naught start ((?:.*\\\n)*.*)$/m.exec(readFileSync(`packaging/${unitFile}`, 'utf8'))![1]!.replace(/\\\n\s*/g, '');
    await machine.writeFile('/etc/systemd/system/myapp.service.d/canary.conf', `[Service]\nExecStart=\nExecStart=naught start --deploy-canary 1 --deploy-canary-window 3 ${shipped}\n`);
    await machine.must(['systemctl', 'daemon-reload']);
    await machine.must(['systemctl', 'start', 'myapp']);
    const load = await machine.load('http://127.0.0.1:8000/hi');
    await machine.must(['ln', '-sfn', 'releases/2', '/srv/myapp/current']);
    const reload = await machine.exec(['systemctl', 'reload', 'myapp']);
    const tally = await load.stop();
    expect(reload.code).not.toBe(0);
    expect((await show('StatusText')).StatusText).toMatch(/^deploy failed: canary worker 0 answered \d+% 5xx \(old workers 0\.0%\) over 3 s; rolled back; 2 old workers serving$/);
    // What failed is the canary's own 500s; the release that runs serves on.
    expect(Object.keys(tally.errors)).toEqual(['status 500']);
    expect(tally.bodies['v7 failing']).toBe(tally.failed);
    expect(await curl('/hi')).toBe('v6 undefined');
    const journal = await machine.must(['journalctl', '-u', 'myapp', '--no-pager', '-o', 'cat']);
    expect(journal).toMatch(/^naught: canary failed: canary worker 0 answered \d+% 5xx \(old workers 0\.0%\) over 3 s; rolling back$/m);
    await machine.must(['systemctl', 'stop', 'myapp']);
    await machine.must(['rm', '/etc/systemd/system/myapp.service.d/canary.conf']);
    await machine.must(['systemctl', 'daemon-reload']);
  });

  /** SIGSTOPs naught (a stopped process answers nothing, as a wedged loop) and waits for systemd to have started it again. */
  async function wedgeAndExpectRestart(deadlineMs: number): Promise<void> {
    await eventually(async () => (await show('SubState')).SubState === 'running', 'the service to run', 20_000);
    const { MainPID: wedged, NRestarts: before } = await show('MainPID', 'NRestarts');
    await machine.must(['kill', '-STOP', wedged!]);
    await eventually(async () => Number((await show('NRestarts')).NRestarts) > Number(before), `systemd to restart the wedged service within ${deadlineMs} ms`, deadlineMs);
    await eventually(async () => {
      const now = await show('SubState', 'MainPID', 'StatusText');
      return now.SubState === 'running' && now.MainPID !== wedged && now.StatusText === '2 workers online';
    }, 'the restarted service to be up', 20_000);
  }
});

describe('systemd on bookworm, --daemon-mode true with Type=forking', () => {
  let machine: Machine;
  beforeAll(async () => {
    machine = await Machine.boot('bookworm');
    await machine.must(['ln', '-s', '/opt/naught/dist/naught.js', '/usr/local/bin/naught']);
    await machine.writeFile(APP, fixture('v1'));
    await machine.writeFile(
      '/etc/systemd/system/myapp.service',
      [
        '[Service]',
        'Type=forking',
        'PIDFile=/run/myapp/naught.pid',
        'NotifyAccess=all',
        'WorkingDirectory=/srv/myapp/current',
        'Environment=PORT=8000',
        'RuntimeDirectory=myapp',
        'ExecStart=naught start --daemon-mode true --ipc-file /run/myapp/naught.ipc --pid-file /run/myapp/naught.pid server.js',
        'ExecReload=naught deploy /run/myapp/naught.ipc',
        'KillMode=mixed',
        'WatchdogSec=1',
        '',
      ].join('\n'),
    );
    await machine.must(['systemctl', 'daemon-reload']);
  });
  afterAll(async () => {
    await machine?.halt();
  });

  test('start returns with the daemon as main pid; its watchdog pings, reload and stop work', async () => {
    const show = (...properties: string[]) => machine.show('myapp', ...properties);
    expect((await machine.exec(['systemctl', 'start', 'myapp'])).code).toBe(0);
    const { MainPID, StatusText } = await show('MainPID', 'StatusText');
    expect(MainPID).toBe((await machine.must(['cat', '/run/myapp/naught.pid'])).trim());
    expect(StatusText).toBe('1 worker online');

    // The daemon took over the watchdog of the CLI that systemd started: the pings arrive.
    const first = Number((await show('WatchdogTimestampMonotonic')).WatchdogTimestampMonotonic);
    await eventually(async () => Number((await show('WatchdogTimestampMonotonic')).WatchdogTimestampMonotonic) > first, 'a watchdog ping');

    await machine.writeFile(APP, fixture('v2'));
    expect((await machine.exec(['systemctl', 'reload', 'myapp'])).code).toBe(0);
    expect(await machine.must(['curl', '-sS', 'http://127.0.0.1:8000/hi'])).toBe('v2 undefined');
    expect((await show('MainPID')).MainPID).toBe(MainPID);

    expect((await machine.exec(['systemctl', 'stop', 'myapp'])).code).toBe(0);
    expect(await show('Result', 'SubState')).toEqual({ Result: 'success', SubState: 'dead' });
  });
});
