// systemctl restart on a real systemd, 252 (bookworm) and 257 (trixie), under
// requests on fresh connections: the plain unit refuses connections while naught
// is down; with packaging/naught.socket systemd holds the socket, connections wait
// in its queue, and none fails: through a restart, and through a stop and a start.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Machine, type LoadTally } from './helpers/machine.js';
import type { Suite } from './helpers/rootfs.js';

const APP = '/srv/myapp/current/server.js';
const fixture = readFileSync('test/fixtures/app.cjs', 'utf8').replace('__VERSION__', 'v1');

describe.each(['bookworm', 'trixie'] as Suite[])('systemctl restart on %s', (suite) => {
  let machine: Machine;

  beforeAll(async () => {
    machine = await Machine.boot(suite);
    await machine.must(['useradd', '--system', 'myapp']);
    await machine.must(['ln', '-s', '/opt/naught/dist/naught.js', '/usr/local/bin/naught']);
    await machine.writeFile(APP, fixture);
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
});
