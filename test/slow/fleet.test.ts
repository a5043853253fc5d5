// packaging/ansible/deploy.yml as it is, run by Debian's ansible-core over ssh on three
// hosts (Debian bookworm with systemd, in systemd-nspawn, each with packaging/naught.service
// and a `current` symlink) behind a real HAProxy, with requests through HAProxy the whole
// time. The hosts, HAProxy and ansible share a network namespace of the test's own.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually } from '../helpers/processes.js';
import { startLoad } from './helpers/load.js';
import { Machine } from './helpers/machine.js';
import { NetworkNamespace } from './helpers/netns.js';
import { run } from './helpers/run.js';

const PLAYBOOK = path.resolve('packaging/ansible/deploy.yml');
const HOSTS = ['h1', 'h2', 'h3'];
const HAPROXY_PORT = 8080;
const STATS_PORT = 8404;
const fixture = (version: string): string => readFileSync('test/fixtures/app.cjs', 'utf8').replace('__VERSION__', version);
const address = (index: number, side: 1 | 2): string => `10.77.${index + 1}.${side}`;

describe('the ansible recipe: a fleet behind HAProxy, one host at a time', () => {
  let fleet: NetworkNamespace;
  let dir: string;
  let haproxy: ChildProcess | undefined;
  const machines: Machine[] = [];

  /** Runs `command` in the fleet's network namespace. */
  const inFleet = async (command: string[], env: Record<string, string> = {}): Promise<{ code: number; output: string }> => {
    const { code, stdout, stderr } = await run(fleet.wrap(command), { env: { ...process.env, ...env } });
    return { code, output: stdout + stderr };
  };

  /** A release as CI would build it: a .tar.gz of the app's files. */
  function release(name: string, server: string): string {
    const files = path.join(dir, 'build', name);
    mkdirSync(files, { recursive: true });
    writeFileSync(path.join(files, 'server.js'), server);
    const archive = path.join(dir, `${name}.tar.gz`);
    execFileSync('tar', ['-czf', archive, '-C', files, '.']);
    return archive;
  }

  const playbook = (name: string, archive: string) =>
    inFleet(['ansible-playbook', '-i', path.join(dir, 'inventory.ini'), PLAYBOOK, '-e', `release=${name}`, '-e', `archive=${archive}`, '-e', 'health_url=http://127.0.0.1:8000/hi'], {
      ANSIBLE_HOME: path.join(dir, 'ansible'),
      ANSIBLE_NOCOLOR: '1',
      // No ssh master left running after the playbook.
      ANSIBLE_SSH_ARGS: '-o ControlMaster=no',
      ANSIBLE_PIPELINING: 'true',
    });

  /** The servers HAProxy's health checks see as UP. */
  async function upServers(): Promise<string[]> {
    const csv = await inFleet(['curl', '-sS', `http://127.0.0.1:${STATS_PORT}/stats;csv`]);
    return csv.output
      .split('\n')
      .map((line) => line.split(','))
      .filter((fields) => fields[0] === 'app' && HOSTS.includes(fields[1]!) && fields[17] === 'UP')
      .map((fields) => fields[1]!);
  }

  const onEach = (command: string[]): Promise<string[]> => Promise.all(machines.map(async (machine) => (await machine.must(command)).trim()));

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'naught-fleet-'));
    fleet = NetworkNamespace.create('fleet');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, 'id')]);
    const key = readFileSync(path.join(dir, 'id.pub'), 'utf8');
    await Promise.all(
      HOSTS.map(async (host, index) => {
        const machine = await Machine.boot('bookworm');
        machines[index] = machine;
        // A link from the fleet's namespace into the host's: 10.77.N.1 there, 10.77.N.2 in the host.
        const link = `fleet-${host}`;
        execFileSync('ip', ['-n', fleet.name, 'link', 'add', link, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', String(machine.leader)]);
        execFileSync('ip', ['-n', fleet.name, 'addr', 'add', `${address(index, 1)}/24`, 'dev', link]);
        execFileSync('ip', ['-n', fleet.name, 'link', 'set', link, 'up']);
        execFileSync('nsenter', ['-t', String(machine.leader), '-n', 'ip', 'addr', 'add', `${address(index, 2)}/24`, 'dev', 'eth0']);
        execFileSync('nsenter', ['-t', String(machine.leader), '-n', 'ip', 'link', 'set', 'eth0', 'up']);
        await machine.writeFile('/root/.ssh/authorized_keys', key);
        await machine.must(['chmod', '-R', 'go-rwx', '/root/.ssh']);
        // As packaging/README.md installs naught, with release r1 behind `current`.
        await machine.must(['useradd', '--system', 'myapp']);
        await machine.must(['ln', '-s', '/opt/naught/dist/naught.js', '/usr/local/bin/naught']);
        await machine.writeFile('/srv/myapp/releases/r1/server.js', fixture('v1'));
        await machine.must(['ln', '-s', 'releases/r1', '/srv/myapp/current']);
        await machine.must(['cp', '/opt/naught/packaging/naught.service', '/etc/systemd/system/myapp.service']);
        // Each host says its name in its answers (/hi answers "<version> <$hi>"), and boots in 700 ms.
        await machine.writeFile('/etc/systemd/system/myapp.service.d/test.conf', `[Service]\nEnvironment=hi=${host} BOOT_DELAY_MS=700\n`);
        await machine.must(['systemctl', 'daemon-reload']);
        await machine.must(['systemctl', 'start', 'myapp']);
      }),
    );
    writeFileSync(
      path.join(dir, 'inventory.ini'),
      [
        '[myapp]',
        ...HOSTS.map((host, index) => `${host} ansible_host=${address(index, 2)}`),
        '[myapp:vars]',
        'ansible_user=root',
        `ansible_ssh_private_key_file=${path.join(dir, 'id')}`,
        "ansible_ssh_common_args='-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null'",
        'ansible_python_interpreter=/usr/bin/python3',
        '',
      ].join('\n'),
    );
    writeFileSync(
      path.join(dir, 'haproxy.cfg'),
      [
        'global',
        '  maxconn 2000',
        'defaults',
        '  mode http',
        '  timeout connect 2s',
        '  timeout client 10s',
        '  timeout server 10s',
        'frontend web',
        `  bind 127.0.0.1:${HAPROXY_PORT}`,
        '  default_backend app',
        'backend app',
        '  balance roundrobin',
        '  option httpchk GET /hi',
        ...HOSTS.map((host, index) => `  server ${host} ${address(index, 2)}:8000 check inter 500`),
        'listen stats',
        `  bind 127.0.0.1:${STATS_PORT}`,
        '  stats enable',
        '  stats uri /stats',
        '',
      ].join('\n'),
    );
    const [file, ...args] = fleet.wrap(['haproxy', '-db', '-f', path.join(dir, 'haproxy.cfg')]);
    haproxy = spawn(file!, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    await eventually(async () => (await upServers()).length === HOSTS.length, 'HAProxy to see every host UP', 20_000);
  });

  afterAll(async () => {
    if (haproxy !== undefined && haproxy.exitCode === null) {
      const exited = new Promise((resolve) => haproxy!.once('exit', resolve));
      haproxy.kill('SIGTERM');
      await exited;
    }
    // Each host booted is halted, also when another failed to boot.
    await Promise.all(machines.filter(Boolean).map((machine) => machine.halt()));
    fleet?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a release reaches every host, one at a time, with no request through HAProxy failed', async () => {
    const load = await startLoad((command) => fleet.wrap(command), `http://127.0.0.1:${HAPROXY_PORT}/hi`);
    const run = await playbook('r2', release('r2', fixture('v2')));
    const tally = await load.stop();
    expect(run.code, run.output).toBe(0);
    console.log(`ansible fleet deploy through HAProxy: ${tally.failed} of ${tally.ok + tally.failed} failed, longest request ${tally.longestMs} ms`);
    expect(tally.failed, JSON.stringify(tally.errors)).toBe(0);
    // Every host answered before and after its turn.
    for (const host of HOSTS) expect(Object.keys(tally.bodies)).toEqual(expect.arrayContaining([`v1 ${host}`, `v2 ${host}`]));
    // One host at a time: ansible's serial batches, in inventory order.
    const reloads = [...run.output.matchAll(/TASK \[Reload myapp\] \*+\n(?:.*\n)*?changed: \[(h\d)\]/g)].map((match) => match[1]);
    expect(reloads).toEqual(HOSTS);
    expect(await onEach(['readlink', '/srv/myapp/current'])).toEqual(HOSTS.map(() => 'releases/r2'));
    expect(await onEach(['curl', '-sS', 'http://127.0.0.1:8000/hi'])).toEqual(HOSTS.map((host) => `v2 ${host}`));
    expect(await upServers()).toEqual(HOSTS);
  });

  test('a broken release stops at the first host, which keeps serving the old one; the others are untouched', async () => {
    const load = await startLoad((command) => fleet.wrap(command), `http://127.0.0.1:${HAPROXY_PORT}/hi`);
    const run = await playbook('r3', release('r3', 'throw new Error("broken release");\n'));
    const tally = await load.stop();
    expect(run.code, run.output).not.toBe(0);
    expect(run.output).toContain('release r3 failed on h1');
    expect(run.output).not.toMatch(/\[h2\]|\[h3\]/);
    expect(tally.failed, JSON.stringify(tally.errors)).toBe(0);
    expect(Object.keys(tally.bodies).sort()).toEqual(HOSTS.map((host) => `v2 ${host}`));
    // h1 got the release and went back to r2; h2 and h3 never saw it.
    expect(await onEach(['readlink', '/srv/myapp/current'])).toEqual(HOSTS.map(() => 'releases/r2'));
    expect(await onEach(['ls', '/srv/myapp/releases'])).toEqual(['r1\nr2\nr3', 'r1\nr2', 'r1\nr2']);
    expect(await onEach(['curl', '-sS', 'http://127.0.0.1:8000/hi'])).toEqual(HOSTS.map((host) => `v2 ${host}`));
    expect((await machines[0]!.show('myapp', 'SubState', 'StatusText')).StatusText).toMatch(/^deploy failed: .*; 2 old workers serving$/);
    expect(await upServers()).toEqual(HOSTS);
  });
});
