// --metrics: Prometheus' text format at /metrics, what naught knows of its workers
// and deploys, labelled by worker number; a port is loopback's, a unix socket is
// private as the ipc socket is; bad input is one line; naught upgrade keeps serving it.
import { existsSync, statSync } from 'node:fs';
import net from 'node:net';
import { describe, expect, test } from 'vitest';
import { body, freePort } from './helpers/http.js';
import { scrape, scrapeLoad, series } from './helpers/metrics.js';
import { Foreground, naught, startApp } from './helpers/naught.js';
import { eventually, workerPids } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';

describe('--metrics', () => {
  const box = useSandbox();

  test('a deploy, a failed deploy and a crash, as a scrape counts them; workers by number, never by pid', async () => {
    const metricsPort = await freePort();
    const { port, fg } = await startApp(box, ['--worker-count', '2', '--metrics', String(metricsPort), '--stdout', '/dev/null', '--stderr', '/dev/null']);
    try {
      const first = await scrape(metricsPort);
      expect(series(first, 'naught_workers')).toEqual(new Map([['state="booting"', 0], ['state="online"', 2], ['state="dying"', 0], ['state="new_online"', 0]]));
      expect(series(first, 'naught_build_info')).toEqual(new Map([[`version="2.0.0-alpha.0",node="${process.version}"`, 1]]));
      expect([...series(first, 'naught_worker_resident_memory_bytes').keys()]).toEqual(['worker="0"', 'worker="1"']);
      for (const bytes of series(first, 'naught_worker_resident_memory_bytes').values()) expect(bytes).toBeGreaterThan(10 * 1024 * 1024);
      expect([...series(first, 'naught_worker_cpu_seconds_total').keys()]).toEqual(['worker="0"', 'worker="1"']);
      // naught's own process, as every Node exporter names it.
      expect(first.get('process_resident_memory_bytes')).toBeGreaterThan(10 * 1024 * 1024);
      // The agent says each worker's loop delay with its next answer to a ping (every second).
      await eventually(async () => series(await scrape(metricsPort), 'naught_worker_event_loop_delay_max_seconds').size === 2, 'the loop delay of both workers');

      box.installApp('v2');
      expect(await naught(['deploy'], { cwd: box.dir })).toMatchObject({ code: 0 });
      box.installApp('v3');
      expect(await naught(['deploy', '--timeout', '0.001'], { cwd: box.dir })).toMatchObject({ code: 1 });
      const mark = fg.events.length;
      await body(port, '/crash');
      await fg.waitFor('WorkerOnline', mark);

      const after = await scrape(metricsPort);
      expect(series(after, 'naught_deploys_total')).toEqual(new Map([['result="ready"', 1], ['result="failed"', 1], ['result="stopped"', 0]]));
      expect(after.get('naught_deploy_duration_seconds_count')).toBe(2);
      expect(after.get('naught_deploy_duration_seconds_sum')).toBeGreaterThan(0);
      expect(series(after, 'naught_worker_restarts_total')).toEqual(
        new Map([['reason="crash"', 1], ['reason="offline"', 0], ['reason="memory"', 0], ['reason="hang"', 0], ['reason="age"', 0]]),
      );
      expect(after.get('naught_crash_looping_workers')).toBe(0);
      expect(series(after, 'naught_workers').get('state="online"')).toBe(2);
      // No series names a pid.
      const pids = workerPids(box.dir).map(String);
      for (const key of after.keys()) for (const pid of pids) expect(key).not.toContain(pid);
      // Anything but GET /metrics is not there.
      expect(await fetch(`http://127.0.0.1:${metricsPort}/`).then((response) => response.status)).toBe(404);
    } finally {
      expect(await fg.stop()).toEqual({ code: 0, signal: null });
    }
    // Gone with naught.
    await expect(scrape(metricsPort)).rejects.toThrow(/ECONNREFUSED/);
  });

  test('a bare port is bound on 127.0.0.1 alone; a unix socket is the owner\'s (0600), its group\'s with --ipc-group, and goes at the stop', async () => {
    const metricsPort = await freePort();
    const socket = box.path('run', 'metrics.sock');
    const { fg } = await startApp(box, ['--metrics', String(metricsPort)]);
    expect(await connects('127.0.0.1', metricsPort)).toBe(true);
    // Bound on loopback alone: another local address of the host does not answer.
    expect(await connects('127.0.0.2', metricsPort)).toBe(false);
    expect(await fg.stop()).toEqual({ code: 0, signal: null });

    const other = new Foreground(['start', '--metrics', socket, '--ipc-group', '0', 'server.js'], { cwd: box.dir, env: { PORT: String(await freePort()) } });
    await other.waitFor('Ready');
    expect(statSync(socket).mode & 0o777).toBe(0o660);
    expect(series(await scrape(socket), 'naught_workers').get('state="online"')).toBe(1);
    expect(await other.stop()).toEqual({ code: 0, signal: null });
    expect(existsSync(socket)).toBe(false);

    const third = new Foreground(['start', '--metrics', socket, 'server.js'], { cwd: box.dir, env: { PORT: String(await freePort()) } });
    await third.waitFor('Ready');
    expect(statSync(socket).mode & 0o777).toBe(0o600);
    // Killed, naught leaves the socket file; the next start finds nothing answers on it and removes it.
    third.child.kill('SIGKILL');
    await third.exited;
    for (const pid of workerPids(box.dir)) process.kill(pid, 'SIGKILL');
    await eventually(async () => workerPids(box.dir).length === 0, 'the workers to be gone');
    expect(existsSync(socket)).toBe(true);
    const fourth = new Foreground(['start', '--remove-old-ipc', 'true', '--metrics', socket, 'server.js'], { cwd: box.dir, env: { PORT: String(await freePort()) } });
    await fourth.waitFor('Ready');
    expect(fourth.stderr).toContain(`naught: removed the metrics socket ${socket}, which nothing answered on\n`);
    expect(series(await scrape(socket), 'naught_workers').get('state="online"')).toBe(1);
    expect(await fourth.stop()).toEqual({ code: 0, signal: null });
  });

  test('an address in use, or one that is not an address: one line, nothing started', async () => {
    box.installApp('v1');
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as net.AddressInfo;
    try {
      for (const daemon of ['false', 'true']) {
        const inUse = await naught(['start', '--daemon-mode', daemon, '--metrics', String(port), 'server.js'], { cwd: box.dir, env: { PORT: String(await freePort()) } });
        const prefix = daemon === 'true' ? 'unable to start daemon' : 'unable to start';
        expect(inUse).toMatchObject({ code: 1, stdout: '', stderr: `${prefix}: --metrics 127.0.0.1:${port}: the address is in use\n` });
        expect(existsSync(box.path('naught.ipc')) || existsSync(box.path('naught.pid'))).toBe(false);
        expect(workerPids(box.dir)).toEqual([]);
      }
    } finally {
      taken.close();
    }
    for (const bad of ['abc', '70000', 'localhost:', ':9100', '1.2.3.4:x']) {
      const result = await naught(['start', '--metrics', bad, 'server.js'], { cwd: box.dir });
      expect(result).toMatchObject({ code: 2, stdout: '', stderr: `naught: --metrics must be a port, host:port, [v6 host]:port or a unix socket path, not '${bad}'\n` });
    }
    expect(existsSync(box.path('naught.ipc'))).toBe(false);
  });

  test('naught upgrade: the new naught serves the endpoint, TCP and unix socket, and no scrape fails across the hand-over', async () => {
    const appPort = await freePort();
    const metricsPort = await freePort();
    const socket = box.path('metrics.sock');
    box.installApp('v1');
    // Two naughts side by side would not fit one ipc file: one has TCP metrics, the other a unix socket.
    const runs: Array<{ metrics: string; target: number | string; ipc: string }> = [
      { metrics: String(metricsPort), target: metricsPort, ipc: 'a.ipc' },
      { metrics: socket, target: socket, ipc: 'b.ipc' },
    ];
    for (const [index, run] of runs.entries()) {
      const listen = `127.0.0.1:${index === 0 ? appPort : await freePort()}`;
      const fg = new Foreground(['start', '--ipc-file', run.ipc, '--pid-file', `${run.ipc}.pid`, '--listen', listen, '--metrics', run.metrics, 'server.js'], {
        cwd: box.dir,
        env: { PORT: listen.split(':')[1]! },
      });
      await fg.waitFor('Ready');
      const before = await scrape(run.target);
      const load = scrapeLoad(run.target);
      const upgraded = await naught(['upgrade', run.ipc], { cwd: box.dir });
      expect(upgraded.code, upgraded.stderr).toBe(0);
      expect(await fg.exited).toEqual({ code: 0, signal: null });
      const { ok, failures } = await load.stop();
      expect(failures).toEqual([]);
      expect(ok).toBeGreaterThan(10);
      // The new naught answers: its own process, its workers online.
      const after = await scrape(run.target);
      expect(after.get('process_start_time_seconds')).toBeGreaterThanOrEqual(before.get('process_start_time_seconds')!);
      expect(after.get('naught_workers{state="online"}')).toBe(1);
      expect(after.get('naught_workers{state="dying"}')).toBe(0);
      expect(await naught(['stop', run.ipc], { cwd: box.dir })).toMatchObject({ code: 0 });
    }
    expect(existsSync(socket)).toBe(false);
  });
});

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}
