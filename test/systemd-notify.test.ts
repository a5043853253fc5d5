// sd_notify against a real AF_UNIX datagram listener, through both transports:
// which messages, in which order, from which pid.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { PROGRESS_WINDOW_USEC } from '../src/systemd/systemd.js';
import { body, freePort } from './helpers/http.js';
import { Foreground, NAUGHT, naught } from './helpers/naught.js';
import { NotifyListener } from './helpers/notify.js';
import { until } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';

const PROGRESS = String(PROGRESS_WINDOW_USEC);

describe.each([
  ['the sd-notify addon', {}, false],
  ['the systemd-notify program', { NAUGHT_NOTIFY_TRANSPORT: 'systemd-notify' }, true],
])('sd_notify through %s', (_name, transportEnv, program) => {
  const box = useSandbox();
  let listener: NotifyListener | undefined;
  afterEach(async () => {
    await listener?.close();
    listener = undefined;
  });

  async function startUnder(address: string, env: Record<string, string> = {}, args: string[] = []) {
    listener = new NotifyListener(address);
    await listener.ready();
    const port = await freePort();
    box.installApp('v1');
    const fg = new Foreground(['start', '--worker-count', '2', ...args, 'server.js'], {
      cwd: box.dir,
      env: { PORT: String(port), NOTIFY_SOCKET: address, ...transportEnv, ...env },
    });
    return { port, fg, notes: listener };
  }

  test('READY=1 once every worker is online; RELOADING=1 and READY=1 around each deploy; STOPPING=1; STATUS on every change', async () => {
    const { port, fg, notes } = await startUnder(box.path('notify.sock'));
    const ready = await notes.waitFor('READY');
    expect(ready.fields).toEqual({ READY: '1', STATUS: '2 workers online' });
    // Everything before READY=1 was progress of the start (the program transport may skip some).
    const before = notes.received.slice(0, notes.received.indexOf(ready)).map((n) => n.fields);
    expect(before[0]).toEqual({ STATUS: 'starting' });
    for (const fields of before.slice(1)) expect(fields).toEqual({ STATUS: expect.stringMatching(/^starting: \d\/\d workers online$/), EXTEND_TIMEOUT_USEC: PROGRESS });
    expect(before.at(-1)).toEqual({ STATUS: 'starting: 2/2 workers online', EXTEND_TIMEOUT_USEC: PROGRESS });
    expect(notes.barriers > 0).toBe(program);
    // Every message came from naught itself, so NotifyAccess=main accepts it.
    expect(new Set(notes.received.map((n) => n.pid))).toEqual(new Set([fg.child.pid]));

    // A deploy by signal, then one by command: each is RELOADING=1 … READY=1.
    for (const trigger of [() => fg.child.kill('SIGHUP'), () => naught(['deploy'], { cwd: box.dir })]) {
      const mark = notes.received.length;
      const sent = process.hrtime.bigint() / 1000n;
      void trigger();
      const reloading = await notes.waitFor('RELOADING', '1', mark);
      expect(BigInt(reloading.fields.MONOTONIC_USEC!)).toBeGreaterThanOrEqual(sent);
      expect(BigInt(reloading.fields.MONOTONIC_USEC!)).toBeLessThanOrEqual(process.hrtime.bigint() / 1000n);
      expect(reloading.fields.STATUS).toBe('deploying: 0/1 new online, 2 old workers serving');
      const done = await notes.waitFor('READY', '1', mark);
      expect(done.fields).toEqual({ READY: '1', STATUS: '2 workers online' });
      expect(notes.with('RELOADING', mark)).toHaveLength(1);
    }

    // A failed deploy ends with READY=1 too, and says why.
    const mark = notes.received.length;
    expect((await naught(['deploy'], { cwd: box.dir, env: { BOOT: 'crash' } })).code).toBe(1);
    await notes.waitFor('RELOADING', '1', mark);
    expect((await notes.waitFor('READY', '1', mark)).fields).toEqual({
      READY: '1',
      // Both new workers crash; whichever exits first is the reason.
      STATUS: expect.stringMatching(/^deploy failed: new worker [01] exited with code 1; 2 old workers serving$/),
    });

    // The workers never see the notify socket.
    expect(await body(port, '/env?name=NOTIFY_SOCKET')).toBe('(unset)');

    const stopMark = notes.received.length;
    await fg.stop();
    expect(notes.with('STOPPING', stopMark).map((n) => n.fields)).toEqual([
      { STOPPING: '1', STATUS: 'stopping: 2 workers left', EXTEND_TIMEOUT_USEC: PROGRESS },
    ]);
    // naught waits for its last notification before it exits.
    expect(notes.received.at(-1)!.fields.STATUS).toBe('stopped');
  });

  test('says once which transport it uses, in naught.log and on stderr; status --json names it', async () => {
    const { fg, notes } = await startUnder(box.path('notify.sock'));
    await notes.waitFor('READY');
    const line = program
      ? 'naught: notifying systemd through systemd-notify (NAUGHT_NOTIFY_TRANSPORT=systemd-notify)'
      : 'naught: notifying systemd through the sd-notify addon';
    expect(fg.stderr.split('\n').filter((l) => l.includes('notifying systemd'))).toEqual([line]);
    expect(readFileSync(box.path('naught.log'), 'utf8')).toContain(`${line}\n`);
    const status = JSON.parse((await naught(['status', '--json'], { cwd: box.dir })).stdout);
    expect(status.supervisor.notify).toBe(program ? 'systemd-notify' : 'sd-notify');
    await fg.stop();
  });

  test('an abstract socket address (@name) works', async () => {
    const { fg, notes } = await startUnder(`@naught-test-${randomBytes(6).toString('hex')}`);
    expect((await notes.waitFor('READY')).fields.STATUS).toBe('2 workers online');
    await fg.stop();
  });

  test('WATCHDOG=1 at half of WATCHDOG_USEC, only when WATCHDOG_PID names naught', async () => {
    const { fg, notes } = await startUnder(box.path('notify.sock'), { WATCHDOG_USEC: '200000' });
    await notes.waitFor('READY');
    const mark = notes.received.length;
    await until(() => notes.with('WATCHDOG', mark).length >= 7, 'seven WATCHDOG=1 pings');
    await fg.stop();
    const pings = notes.with('WATCHDOG', mark).map((n) => n.at);
    const intervals = pings.slice(1).map((at, i) => at - pings[i]!).sort((a, b) => a - b);
    // Half of 200 ms: the median of six intervals, apart from a third (67 ms) or the whole (200 ms).
    const median = (intervals[2]! + intervals[3]!) / 2;
    expect(median).toBeGreaterThan(85);
    expect(median).toBeLessThan(140);
  });

  test('with the watchdog on, EXTEND_TIMEOUT_USEC is never longer than WATCHDOG_USEC (systemd extends the watchdog by it too)', async () => {
    const { fg, notes } = await startUnder(box.path('notify.sock'), { WATCHDOG_USEC: '2000000' });
    await notes.waitFor('READY');
    const mark = notes.received.length;
    expect((await naught(['deploy'], { cwd: box.dir })).code).toBe(0);
    await notes.waitFor('READY', '1', mark);
    const extends_ = notes.with('EXTEND_TIMEOUT_USEC', mark).map((n) => n.fields.EXTEND_TIMEOUT_USEC);
    expect(extends_.length).toBeGreaterThan(0);
    expect(new Set(extends_)).toEqual(new Set(['2000000']));
    await fg.stop();
  });

  test('no WATCHDOG=1 when WATCHDOG_PID names another process', async () => {
    const { fg, notes } = await startUnder(box.path('notify.sock'), { WATCHDOG_USEC: '100000', WATCHDOG_PID: '1' });
    await notes.waitFor('READY');
    // A deploy takes several ping intervals (50 ms); none may arrive meanwhile.
    const mark = notes.received.length;
    expect((await naught(['deploy'], { cwd: box.dir, env: { BOOT_DELAY_MS: '300' } })).code).toBe(0);
    await notes.waitFor('READY', '1', mark);
    expect(notes.with('WATCHDOG')).toEqual([]);
    await fg.stop();
  });

  test('a daemon sends READY=1 (no MAINPID=) and takes over the watchdog of the CLI systemd started', async () => {
    listener = new NotifyListener(box.path('notify.sock'));
    await listener.ready();
    box.installApp('v1');
    const cli = naught(['start', '--daemon-mode', 'true', 'server.js'], {
      cwd: box.dir,
      env: { PORT: String(await freePort()), NOTIFY_SOCKET: listener.address, WATCHDOG_USEC: '100000', ...transportEnv },
    });
    const ready = await listener.waitFor('READY');
    expect((await cli).code).toBe(0);
    expect(ready.fields).toEqual({ READY: '1', STATUS: '1 worker online' });
    expect(ready.pid).toBe(Number(readFileSync(box.path('naught.pid'), 'utf8')));
    await until3Pings(listener, listener.received.indexOf(ready));
    expect((await naught(['stop'], { cwd: box.dir })).code).toBe(0);
  });

  test('with --node-args, the copy of naught that runs with them feeds the watchdog of the CLI systemd started', async () => {
    listener = new NotifyListener(box.path('notify.sock'));
    await listener.ready();
    box.installApp('v1');
    // As systemd does: WATCHDOG_PID names the process it started.
    const cli = spawn('sh', ['-c', `export WATCHDOG_PID=$$; exec "${process.execPath}" "${NAUGHT}" start --node-args --max-old-space-size=100 server.js`], {
      cwd: box.dir,
      env: { ...process.env, PORT: String(await freePort()), NOTIFY_SOCKET: listener.address, WATCHDOG_USEC: '100000', ...transportEnv },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => cli.on('exit', (code) => resolve(code)));
    const ready = await listener.waitFor('READY');
    expect(ready.pid).toBe(Number(readFileSync(box.path('naught.pid'), 'utf8')));
    expect(ready.pid).not.toBe(cli.pid);
    await until3Pings(listener, listener.received.indexOf(ready));
    cli.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

// An installed naught (dist/ and node_modules/ side by side) whose addon is missing,
// not built (its install script did not run) or does not load (built for another node).
describe.each([
  ['not installed', 'none', 'naught: notifying systemd through systemd-notify; the optional sd-notify addon is not installed'],
  [
    'not built',
    'unbuilt',
    'naught: notifying systemd through systemd-notify; the sd-notify addon was not built (install naught with --allow-scripts=sd-notify, libsystemd-dev and a C++ compiler)',
  ],
  ['unloadable', 'broken', /^naught: the sd-notify addon does not load \(.*notify\.node: invalid ELF header\); notifying systemd through systemd-notify$/],
] as const)('an sd-notify addon that is %s', (_name, addon, line) => {
  const box = useSandbox();

  test('naught says so once, and notifies through systemd-notify', async () => {
    const root = box.path('naught');
    cpSync(path.resolve('dist'), path.join(root, 'dist'), { recursive: true });
    if (addon !== 'none') {
      for (const name of ['sd-notify', 'bindings', 'file-uri-to-path']) {
        cpSync(path.resolve('node_modules', name), path.join(root, 'node_modules', name), { recursive: true });
      }
      const build = path.join(root, 'node_modules/sd-notify/build');
      if (addon === 'unbuilt') rmSync(build, { recursive: true, force: true });
      else writeFileSync(path.join(build, 'Release/notify.node'), 'not a shared object\n'.repeat(8));
    }
    const notes = new NotifyListener(box.path('notify.sock'));
    let fg: Foreground | undefined;
    try {
      await notes.ready();
      box.installApp('v1');
      fg = new Foreground(['start', 'server.js'], {
        cwd: box.dir,
        bin: path.join(root, 'dist/naught.js'),
        env: { PORT: String(await freePort()), NOTIFY_SOCKET: notes.address },
      });
      expect((await notes.waitFor('READY')).fields).toEqual({ READY: '1', STATUS: '1 worker online' });
      expect(notes.barriers).toBeGreaterThan(0);
      const said = fg.stderr.split('\n').filter((l) => l.includes('sd-notify addon'));
      expect(said).toHaveLength(1);
      expect(said[0]).toMatch(line);
      const status = JSON.parse((await naught(['status', '--json'], { cwd: box.dir })).stdout);
      expect(status.supervisor.notify).toBe('systemd-notify');
      expect((await fg.stop()).code).toBe(0);
    } finally {
      await fg?.stop();
      await notes.close();
    }
  });
});

/** Waits for three watchdog pings after index `from`. */
async function until3Pings(notes: NotifyListener, from: number): Promise<void> {
  await notes.waitFor('WATCHDOG', '1', from);
  const second = notes.received.findIndex((n, i) => i >= from && 'WATCHDOG' in n.fields);
  await notes.waitFor('WATCHDOG', '1', second + 1);
  const third = notes.received.findIndex((n, i) => i > second && 'WATCHDOG' in n.fields);
  await notes.waitFor('WATCHDOG', '1', third + 1);
}
