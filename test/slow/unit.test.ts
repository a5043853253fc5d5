// `naught unit` on a real systemd (252): the unit it prints installs, starts once
// every worker is online, reloads by deploying, and stops cleanly; also in a
// release layout (current -> releases/N), where a reload runs the release switched in.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Machine } from './helpers/machine.js';

const APP = '/srv/shop/server.js';
const fixture = (version: string): string => readFileSync('test/fixtures/app.cjs', 'utf8').replace('__VERSION__', version);

describe('naught unit on systemd 252', () => {
  let machine: Machine;

  beforeAll(async () => {
    machine = await Machine.boot('bookworm');
    await machine.must(['useradd', '--system', 'shop']);
    await machine.writeFile(APP, fixture('v1'));
  });

  afterAll(async () => {
    await machine?.halt();
  });

  test('the printed unit installs, starts, reloads with a deploy and stops', async () => {
    const unit = await machine.must(['node', '/opt/naught/dist/naught.js', 'unit', '--user', 'shop', '--worker-count', '2', '--stop-timeout', '5', APP]);
    expect(unit).toContain('ExecStart=/usr/bin/node /opt/naught/dist/naught.js start --worker-count 2 --stop-timeout 5 --ipc-file /run/shop/naught.ipc');
    await machine.writeFile('/etc/systemd/system/shop.service', unit);
    // The app's own settings, as an operator would add them.
    await machine.writeFile('/etc/systemd/system/shop.service.d/port.conf', '[Service]\nEnvironment=PORT=8000\n');
    await machine.must(['systemctl', 'daemon-reload']);
    expect((await machine.exec(['systemctl', 'start', 'shop'])).code).toBe(0);
    expect(await machine.show('shop', 'SubState', 'StatusText', 'User')).toEqual({ SubState: 'running', StatusText: '2 workers online', User: 'shop' });
    expect(await machine.must(['curl', '-sS', 'http://127.0.0.1:8000/hi'])).toBe('v1 undefined');

    await machine.writeFile(APP, fixture('v2'));
    expect((await machine.exec(['systemctl', 'reload', 'shop'])).code).toBe(0);
    expect(await machine.must(['curl', '-sS', 'http://127.0.0.1:8000/hi'])).toBe('v2 undefined');

    expect((await machine.exec(['systemctl', 'stop', 'shop'])).code).toBe(0);
    expect(await machine.show('shop', 'ActiveState', 'Result')).toEqual({ ActiveState: 'inactive', Result: 'success' });
  });

  test('releases behind a current symlink: the unit written inside current reloads into the release ln -sfn names', async () => {
    await machine.writeFile('/srv/store/releases/1/server.js', fixture('v1'));
    await machine.writeFile('/srv/store/releases/2/server.js', fixture('v2'));
    await machine.must(['ln', '-sfn', 'releases/1', '/srv/store/current']);
    // As an operator does it: a shell in current (which sets $PWD), then naught unit.
    const unit = await machine.must(['sh', '-c', 'cd /srv/store/current && node /opt/naught/dist/naught.js unit --user shop --worker-count 2 --stop-timeout 5 server.js']);
    expect(unit).toContain('\nWorkingDirectory=/srv/store/current\n');
    expect(unit).toContain('\nRuntimeDirectory=store\n');
    await machine.writeFile('/etc/systemd/system/store.service', unit);
    await machine.writeFile('/etc/systemd/system/store.service.d/port.conf', '[Service]\nEnvironment=PORT=8001\n');
    await machine.must(['systemctl', 'daemon-reload']);
    expect((await machine.exec(['systemctl', 'start', 'store'])).code).toBe(0);
    expect(await machine.must(['curl', '-sS', 'http://127.0.0.1:8001/hi'])).toBe('v1 undefined');

    await machine.must(['ln', '-sfn', 'releases/2', '/srv/store/current']);
    expect((await machine.exec(['systemctl', 'reload', 'store'])).code).toBe(0);
    for (let i = 0; i < 4; i += 1) expect(await machine.must(['curl', '-sS', 'http://127.0.0.1:8001/hi'])).toBe('v2 undefined');
    expect(await machine.must(['curl', '-sS', 'http://127.0.0.1:8001/cwd'])).toBe('/srv/store/releases/2');

    expect((await machine.exec(['systemctl', 'stop', 'store'])).code).toBe(0);
    expect(await machine.show('store', 'ActiveState', 'Result')).toEqual({ ActiveState: 'inactive', Result: 'success' });
  });
});
