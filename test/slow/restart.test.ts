// systemctl restart on a real systemd, 252 (bookworm) and 257 (trixie), under
// requests on fresh connections: the plain unit refuses connections while naught
// is down; with packaging/naught.socket systemd holds the socket, connections wait
// in its queue, and none fails: through a restart, and through a stop and a start.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually } from '../helpers/processes.js';
import type { LoadTally } from './helpers/load.js';
import { Machine } from './helpers/machine.js';
import type { Suite } from './helpers/rootfs.js';

const APP = '/srv/myapp/current/server.js';
const fixture = (version: string): string => readFileSync('test/fixtures/app.cjs', 'utf8').replace('__VERSION__', version);

describe.each(['bookworm', 'trixie'] as Suite[])('systemctl restart on %s', (suite) => {
  let machine: Machine;

  beforeAll(async () => {
    machine = await Machine.boot(suite);
    await machine.must(['useradd', '--system', 'myapp']);
    await machine.must(['ln', '-s', '/opt/naught/dist/naught.js', '/usr/local/bin/naught']);
    await machine.writeFile(APP, fixture('v1'));
    // The units exactly as shipped; the test's changes go in drop-ins. Workers take 300 ms to boot.
    await machine.must(['cp', '/opt/naught/packaging/naught.service', '/etc/systemd/system/myapp.service']);
    await machine.must(['cp', '/opt/naught/packaging/naught.socket', '/etc/systemd/system/myapp.socket']);
    await machine.writeFile('/etc/systemd/system/myapp.service.d/test.conf', '[Service]\nEnvironment=BOOT_DELAY_MS=300\n');
    await machine.must(['systemctl', 'daemon-reload']);
  });

  afterAll(async () => {
    await machine?.halt();
  });

  /** Requests on fresh connections through `steps`; what they counted. */
  async function underLoad(steps: () => Promise<void>): Promise<LoadTally> {
    const load = await machine.load('http://127.0.0.1:8000/hi');
    await steps();
    // Served again after the steps, before the count ends.
    expect(await machine.must(['curl', '-sS', 'http://127.0.0.1:8000/hi'])).toBe('v1 undefined');
    return load.stop();
  }

  const systemctl = async (...args: string[]): Promise<void> => void (await machine.must(['systemctl', ...args]));

  test('the plain unit: connections are refused while naught restarts', async () => {
    await systemctl('start', 'myapp');
    const restart = await underLoad(() => systemctl('restart', 'myapp'));
    console.log(`systemd ${suite}, restart without a socket unit: ${restart.failed} of ${restart.ok + restart.failed} failed ${JSON.stringify(restart.errors)}`);
    expect(restart.failed).toBeGreaterThan(0);
    expect(Object.keys(restart.errors)).toContain('ECONNREFUSED');
    await systemctl('stop', 'myapp');
  });

  test('with naught.socket: a restart, and a stop and a start, fail nothing; the socket is the workers\', bound by systemd', async () => {
    await machine.writeFile('/etc/systemd/system/myapp.service.d/socket.conf', '[Unit]\nRequires=myapp.socket\nAfter=myapp.socket\n');
    await systemctl('daemon-reload');
    await systemctl('start', 'myapp.socket', 'myapp');
    const status = JSON.parse(await machine.must(['naught', 'status', '--json', '/run/myapp/naught.ipc']));
    expect(status.supervisor.sockets).toEqual([{ fd: 3, name: 'web', address: '[::]:8000' }]);

    const restart = await underLoad(() => systemctl('restart', 'myapp'));
    const stopStart = await underLoad(async () => {
      await systemctl('stop', 'myapp');
      await systemctl('start', 'myapp');
    });
    for (const [what, tally] of [['restart', restart], ['stop + start', stopStart]] as const) {
      console.log(`systemd ${suite}, ${what} with naught.socket: ${tally.failed} of ${tally.ok + tally.failed} failed, longest request ${tally.longestMs} ms`);
      expect(tally.failed, `${what}: ${JSON.stringify(tally.errors)}`).toBe(0);
    }
    // The app's listen(PORT) took the socket: no worker said it listens elsewhere.
    expect(await machine.must(['cat', '/var/log/myapp/stderr.log'])).not.toContain('naught:');
    await systemctl('stop', 'myapp', 'myapp.socket');
  });

  test("a unit written by hand, with systemd's default KillMode (SIGTERM to naught and every worker at once) and naught.socket: restarts under load fail nothing", async () => {
    await machine.writeFile('/etc/systemd/system/myapp.service.d/socket.conf', '[Unit]\nRequires=myapp.socket\nAfter=myapp.socket\n');
    // README's minimal contract: a plain server.close() on 'shutdown', no SIGTERM handler.
    await machine.writeFile('/etc/systemd/system/myapp.service.d/killmode.conf', '[Service]\nKillMode=control-group\nEnvironment=SHUTDOWN=naive\n');
    await systemctl('daemon-reload');
    await systemctl('start', 'myapp.socket', 'myapp');
    // Fresh connections, and keep-alive ones whose requests take 20 ms: requests are in flight at every SIGTERM.
    const loads = [await machine.load('http://127.0.0.1:8000/hi', '8'), await machine.load('http://127.0.0.1:8000/slow?ms=20', '16', 'keep-alive')];
    for (let restart = 0; restart < 3; restart += 1) {
      const before = loads[0]!.answered();
      await eventually(async () => loads[0]!.answered() >= before + 8000, '8,000 more answers before the restart', 60_000);
      await systemctl('restart', 'myapp');
    }
    expect(await machine.must(['curl', '-sS', 'http://127.0.0.1:8000/hi'])).toBe('v1 undefined');
    const [fresh, kept] = [await loads[0]!.stop(), await loads[1]!.stop()];
    for (const [what, tally] of [['fresh connections', fresh], ['keep-alive, 20 ms requests', kept]] as const) {
      console.log(`systemd ${suite}, 3 restarts with KillMode=control-group and naught.socket, ${what}: ${tally.failed} of ${tally.ok + tally.failed} failed, longest request ${tally.longestMs} ms`);
      expect(tally.failed, `${what}: ${JSON.stringify(tally.errors)}`).toBe(0);
    }
    expect(await machine.show('myapp', 'NRestarts', 'SubState')).toEqual({ NRestarts: '0', SubState: 'running' });
    await systemctl('stop', 'myapp', 'myapp.socket');
    expect(await machine.show('myapp', 'Result')).toEqual({ Result: 'success' });
    await machine.must(['rm', '/etc/systemd/system/myapp.service.d/killmode.conf', '/etc/systemd/system/myapp.service.d/socket.conf']);
    await systemctl('daemon-reload');
  });

  test('naught upgrade: the new naught becomes the main process, pings the watchdog, deploys and stops gracefully; no request fails', async () => {
    await machine.writeFile('/etc/systemd/system/myapp.service.d/socket.conf', '[Unit]\nRequires=myapp.socket\nAfter=myapp.socket\n');
    // Pings every 2 s, so the new naught's are seen soon.
    await machine.writeFile('/etc/systemd/system/myapp.service.d/watchdog.conf', '[Service]\nWatchdogSec=4\n');
    await systemctl('daemon-reload');
    await systemctl('start', 'myapp.socket', 'myapp');
    const first = await machine.show('myapp', 'MainPID', 'InvocationID');
    const watchdogPing = async (): Promise<number> => Number((await machine.show('myapp', 'WatchdogTimestampMonotonic')).WatchdogTimestampMonotonic);

    /** `naught upgrade` under load, to new code; the new naught's pid. */
    async function upgrade(version: string, from: string): Promise<string> {
      const load = await machine.load('http://127.0.0.1:8000/hi');
      await machine.writeFile(APP, fixture(version));
      const result = await machine.exec(['naught', 'upgrade', '/run/myapp/naught.ipc']);
      expect(result.code, result.stderr).toBe(0);
      const pid = /^upgraded: naught pid (\d+) serves/m.exec(result.stderr)![1]!;
      await eventually(async () => (await machine.exec(['kill', '-0', from])).code !== 0, 'the old naught to exit');
      expect(await machine.must(['curl', '-sS', 'http://127.0.0.1:8000/hi'])).toBe(`${version} undefined`);
      const tally = await load.stop();
      console.log(`systemd ${suite}, naught upgrade: ${tally.failed} of ${tally.ok + tally.failed} failed, longest request ${tally.longestMs} ms`);
      expect(tally.failed, JSON.stringify(tally.errors)).toBe(0);
      // The same run of the unit, with the new naught as its main process, which pings the watchdog.
      expect(await machine.show('myapp', 'MainPID', 'InvocationID', 'SubState', 'NRestarts')).toEqual({ MainPID: pid, InvocationID: first.InvocationID, SubState: 'running', NRestarts: '0' });
      const pinged = await watchdogPing();
      await eventually(async () => (await watchdogPing()) > pinged, 'a watchdog ping from the new naught');
      return pid;
    }
    // Twice: the second new naught is the first one's successor, as systemd's main process.
    const last = await upgrade('v3', await upgrade('v2', first.MainPID!));

    await machine.writeFile(APP, fixture('v4'));
    await systemctl('reload', 'myapp');
    expect(await machine.must(['curl', '-sS', 'http://127.0.0.1:8000/hi'])).toBe('v4 undefined');
    await systemctl('stop', 'myapp', 'myapp.socket');
    expect(await machine.show('myapp', 'Result', 'SubState')).toEqual({ Result: 'success', SubState: 'dead' });
    const journal = await machine.must(['journalctl', '-u', 'myapp', `_SYSTEMD_INVOCATION_ID=${first.InvocationID}`, '--no-pager', '-o', 'short']);
    // The last naught let its workers go as at any stop, and was not killed with them.
    expect(journal).toContain(`naught[${last}]: Shutdown. booting: 0, online: 0, dying: 0, new_online: 0`);
    expect(journal).not.toMatch(/SIGKILL|Killing process|not our child/);
    await machine.must(['rm', '/etc/systemd/system/myapp.service.d/watchdog.conf']);
    await systemctl('daemon-reload');
  });
});
