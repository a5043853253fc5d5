// The default mode: naught stays in the foreground, takes signals, and tells a
// Node parent every event over its IPC channel (as 1.x did).
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { body, freePort } from './helpers/http.js';
import { Foreground, lines, naught, startApp as startFixture } from './helpers/naught.js';
import { useSandbox } from './helpers/sandbox.js';

const zero = { booting: 0, online: 0, dying: 0, new_online: 0 };

describe('foreground', () => {
  const box = useSandbox();

  async function startApp(env: Record<string, string> = {}, args: string[] = []) {
    const { port, fg } = await startFixture(box, args, { hi: 'no daemons here', ...env });
    return { port, naught: fg };
  }

  test('sends IpcListening then every event object to its Node parent; SIGHUP deploys; SIGTERM stops with exit 0', async () => {
    const { port, naught: fg } = await startApp();
    expect(fg.messages).toEqual([
      { event: 'IpcListening', pid: fg.child.pid },
      { event: 'Bootup', waitingFor: null, count: zero },
      { event: 'SpawnNew', waitingFor: 'new', count: { ...zero, booting: 1 } },
      { event: 'NewOnline', waitingFor: 'new', count: { ...zero, new_online: 1 } },
      { event: 'Ready', waitingFor: null, count: { ...zero, online: 1 } },
    ]);
    expect(await body(port, '/hi')).toBe('v1 no daemons here');

    box.installApp('v2');
    const mark = fg.events.length;
    fg.child.kill('SIGHUP');
    await fg.waitFor('Ready', mark);
    expect(fg.events.slice(mark)).toEqual([
      { event: 'SpawnNew', waitingFor: 'new', count: { ...zero, booting: 1, online: 1 } },
      { event: 'NewOnline', waitingFor: 'new', count: { ...zero, online: 1, new_online: 1 } },
      { event: 'ShutdownOld', waitingFor: 'old', count: { ...zero, dying: 1, new_online: 1 } },
      { event: 'OldExit', waitingFor: 'old', count: { ...zero, new_online: 1 } },
      { event: 'Ready', waitingFor: null, count: { ...zero, online: 1 } },
    ]);
    expect(await body(port, '/hi')).toBe('v2 no daemons here');

    const after = fg.events.length;
    expect(await fg.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(fg.events.slice(after)).toEqual([
      { event: 'ShutdownOld', waitingFor: 'shutdown', count: { ...zero, dying: 1 } },
      { event: 'OldExit', waitingFor: 'shutdown', count: zero },
      { event: 'Shutdown', waitingFor: 'shutdown', count: zero },
    ]);
    // naught's stderr carries the events (as naught.log has them) and the workers'
    // stderr (as stderr.log has it), each complete and in order.
    const workerLines = readFileSync(box.path('stderr.log'), 'utf8');
    expect(workerLines).toBe('v1 listening\nv2 listening\nv1 got shutdown\nv2 got shutdown\n');
    const console = fg.stderr.split('\n');
    const fromWorkers = (line: string): boolean => workerLines.split('\n').includes(line) && line !== '';
    expect(console.filter(fromWorkers).join('\n') + '\n').toBe(workerLines);
    expect(console.filter((line) => !fromWorkers(line)).join('\n')).toBe(readFileSync(box.path('naught.log'), 'utf8'));
    expect(fg.stderr).toContain(lines(['ShutdownOld', 0, 0, 1, 0]));
    expect(existsSync(box.path('naught.ipc'))).toBe(false);
    expect(existsSync(box.path('naught.pid'))).toBe(false);
  });

  test('SIGINT stops like SIGTERM', async () => {
    const { naught: fg } = await startApp({}, ['--worker-count', '2']);
    expect(await fg.stop('SIGINT')).toEqual({ code: 0, signal: null });
    expect(fg.names().slice(-5)).toEqual(['ShutdownOld', 'ShutdownOld', 'OldExit', 'OldExit', 'Shutdown']);
  });

  test('a second SIGTERM forces a stop that hangs', async () => {
    const { naught: fg } = await startApp({ SHUTDOWN: 'ignore' });
    const mark = fg.events.length;
    fg.child.kill('SIGTERM');
    await fg.waitFor('ShutdownOld', mark);
    fg.child.kill('SIGTERM');
    expect(await fg.exited).toEqual({ code: 0, signal: null });
    expect(fg.names(mark)).toEqual(['ShutdownOld', 'DestroyOld', 'OldExit', 'Shutdown']);
  });

  test('SIGTERM waits --stop-timeout for shutdown, then SIGTERM and 1 s later SIGKILL end workers that ignore both', async () => {
    const { naught: fg } = await startApp({ SHUTDOWN: 'stubborn' }, ['--worker-count', '2', '--stop-timeout', '0.5']);
    const mark = fg.events.length;
    const sent = performance.now();
    fg.child.kill('SIGTERM');
    expect(await fg.exited).toEqual({ code: 0, signal: null });
    // 0.5 s for 'shutdown', then 1 s between SIGTERM (ignored) and SIGKILL.
    expect(performance.now() - sent).toBeGreaterThanOrEqual(1450);
    expect(fg.names(mark)).toEqual(['ShutdownOld', 'ShutdownOld', 'Timeout', 'DestroyOld', 'DestroyOld', 'OldExit', 'OldExit', 'Shutdown']);
  });

  test('the CLI commands reach a foreground naught through its ipc file', async () => {
    const { port, naught: fg } = await startApp();
    expect(await naught(['status'], { cwd: box.dir })).toMatchObject({ code: 0, stdout: 'workers online: 1\n', stderr: '' });
    // A second start is refused with the status, whatever the mode.
    expect(await naught(['start', 'server.js'], { cwd: box.dir })).toMatchObject({ code: 1, stdout: 'workers online: 1\n' });

    box.installApp('v2');
    expect(await naught(['deploy', '--worker-count', '2'], { cwd: box.dir, env: { hi: 'from deploy' } })).toMatchObject({ code: 0 });
    expect(await body(port, '/hi')).toBe('v2 from deploy');

    expect(await naught(['stop'], { cwd: box.dir })).toMatchObject({
      code: 0,
      stderr: lines(['ShutdownOld', 0, 1, 1, 0], ['ShutdownOld', 0, 0, 2, 0], ['OldExit', 0, 0, 1, 0], ['OldExit', 0, 0, 0, 0]),
    });
    expect(await fg.exited).toEqual({ code: 0, signal: null });
  });

  test("'-' sends worker output to naught's own stdout and stderr", async () => {
    const { port, naught: fg } = await startApp({}, ['--stdout', '-', '--stderr', '-', '--log', '-']);
    await body(port, '/say?count=3&tag=hello');
    await body(port, '/say?count=2&tag=oops&stream=stderr');
    await fg.stop();
    expect(fg.stdout).toBe('v1 attempting to listen\nhello 0 xxxxxxxxxxx\nhello 1 xxxxxxxxxxx\nhello 2 xxxxxxxxxxx\n');
    expect(fg.stderr).toContain('v1 listening\n');
    expect(fg.stderr).toContain('oops 0 xxxxxxxxxxxx\noops 1 xxxxxxxxxxxx\n');
    expect(fg.stderr).toContain(lines(['Bootup', 0, 0, 0, 0]));
    for (const file of ['stdout.log', 'stderr.log', 'naught.log']) expect(existsSync(box.path(file))).toBe(false);
  });

  test('a crash at boot ends the foreground naught with exit 1 and the crash message', async () => {
    box.installApp('broken');
    const fg = new Foreground(['start', '--worker-count', '2', 'server.js'], {
      cwd: box.dir,
      env: { PORT: String(await freePort()), BOOT: 'crash' },
    });
    expect(await fg.exited).toEqual({ code: 1, signal: null });
    expect(fg.names()).toEqual(['Bootup', 'SpawnNew', 'SpawnNew', 'NewDeath', 'DestroyNew', 'NewDestroyed', 'Shutdown']);
    expect(fg.stderr.endsWith('The server crashed without booting. Check stderr.log.\n')).toBe(true);
  });

  test('SIGTERM while booting stops cleanly with exit 0', async () => {
    box.installApp('v1');
    const fg = new Foreground(['start', 'server.js'], {
      cwd: box.dir,
      env: { PORT: String(await freePort()), BOOT: 'hang' },
    });
    await fg.waitFor('SpawnNew');
    expect(await naught(['status'], { cwd: box.dir })).toMatchObject({ code: 0, stdout: 'booting\nbooting: 1, online: 0, dying: 0, new_online: 0\n' });
    expect(await fg.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(fg.names()).toEqual(['Bootup', 'SpawnNew', 'ShutdownOld', 'OldExit', 'Shutdown']);
    expect(fg.stderr).not.toContain('crashed');
  });
});
