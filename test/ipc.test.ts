// The ipc socket: any number of clients at once, and nonsense refused without harm.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { describe, expect, test } from 'vitest';
import { naught, naughtRunning, startApp } from './helpers/naught.js';
import { until } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';

/** Sends raw bytes to the socket (then ends our side, if asked); resolves with everything naught answered before it closed. */
function exchange(file: string, raw: string, { end = false } = {}): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(file, () => (end ? socket.end(raw) : socket.write(raw)));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () => resolve(answer));
    // naught may close while we are still sending (that is the point of the size limit).
    socket.on('error', () => {});
  });
}

describe('ipc socket', () => {
  const box = useSandbox();

  test('garbage, unknown actions and bad fields get an error and a closed connection; naught carries on', async () => {
    const { fg } = await startApp(box);
    const socket = box.path('naught.ipc');
    const error = (message: string) => `${JSON.stringify({ type: 'error', message })}\n`;
    expect(await exchange(socket, 'hello\n')).toBe(error('malformed message: not JSON'));
    expect(await exchange(socket, '[1,2]\n')).toBe(error('a request must be a JSON object'));
    expect(await exchange(socket, '{"action":"explode"}\n')).toBe(error('unknown action: "explode"'));
    expect(await exchange(socket, '{"action":"deploy","workerCount":-1}\n')).toBe(error("deploy: workerCount must be a whole number from 0 to 1024, or 'auto'"));
    expect(await exchange(socket, '{"action":"deploy","workerCount":100000}\n')).toBe(error("deploy: workerCount must be a whole number from 0 to 1024, or 'auto'"));
    expect(await exchange(socket, '{"action":"deploy","workerCount":1,"cwd":"relative"}\n')).toBe(error('deploy: cwd must be an absolute path'));
    const badTimeout = error('timeoutMs must be a whole number of milliseconds, 0 to 2147483647');
    expect(await exchange(socket, '{"action":"stop","timeoutMs":"soon"}\n')).toBe(badTimeout);
    expect(await exchange(socket, '{"action":"stop","timeoutMs":2200000000}\n')).toBe(badTimeout);
    expect(await exchange(socket, '{"action":"stop","timeoutMs":1.5}\n')).toBe(badTimeout);
    // A message that never ends is cut off at the size limit instead of filling memory.
    // A newline in what naught only says would have forged a line of naught.log.
    const forged = JSON.stringify({ action: 'upgrade', node: process.execPath, naught: '/nonexistent/naught.js', nodeVersion: 'v26\nReady. booting: 0, online: 9, dying: 0, new_online: 0' });
    expect(await exchange(socket, `${forged}\n`)).toBe(error('upgrade: nodeVersion must be a Node.js version, as process.version gives it'));
    expect(await exchange(socket, 'x'.repeat(2 * 1024 * 1024))).toBe(error('message larger than 1048576 bytes'));

    expect(await naught(['status'], { cwd: box.dir })).toMatchObject({ code: 0, stdout: 'workers online: 1\n' });
    expect(fg.names()).toEqual(['Bootup', 'SpawnNew', 'NewOnline', 'Ready']);
    await fg.stop();
  });

  test('many clients at once: status answers while another client follows a deploy', async () => {
    const { fg } = await startApp(box);
    // The new worker boots until the statuses are in.
    const gate = box.path('boot');
    const deploying = naughtRunning(['deploy'], { cwd: box.dir, env: { BOOT_GATE: gate } });
    await until(() => deploying.stderr().includes('SpawnNew'), 'the deploy to begin');
    const statuses = await Promise.all(Array.from({ length: 5 }, () => naught(['status'], { cwd: box.dir })));
    for (const status of statuses) {
      expect(status).toMatchObject({ code: 0, stdout: 'deploy in progress\nbooting: 1, online: 1, dying: 0, new_online: 0\n' });
    }
    writeFileSync(gate, '');
    expect(await deploying.result).toMatchObject({ code: 0 });
    await fg.stop();
  });

  test('a truncated message is dropped with its connection; pipelined requests are each answered', async () => {
    const { fg } = await startApp(box);
    const socket = box.path('naught.ipc');
    expect(await exchange(socket, '{"action":"sta', { end: true })).toBe('');
    const answers = await exchange(socket, '{"action":"status"}\n'.repeat(3), { end: true });
    expect(answers.split('\n').filter(Boolean).map((line) => JSON.parse(line).type)).toEqual(['status', 'status', 'status']);
    expect(await naught(['status'], { cwd: box.dir })).toMatchObject({ code: 0, stdout: 'workers online: 1\n' });
    await fg.stop();
  });

  test('a client that asks without reading is cut off at 1 MiB of unread replies; naught stays small', async () => {
    const { fg } = await startApp(box);
    const rss = (): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${fg.child.pid}/status`, 'utf8'))![1]) * 1024;
    const before = rss();
    // Up to 100 MB of status requests (~500 MB of replies), never reading one.
    const chunk = '{"action":"status"}\n'.repeat(50_000);
    const written = await new Promise<number>((resolve) => {
      let total = 0;
      const socket = net.connect(box.path('naught.ipc'), () => {
        socket.pause();
        const more = (): void => {
          if (total >= 100 * 1024 * 1024) return;
          total += chunk.length;
          socket.write(chunk, (error) => error ?? more());
        };
        more();
      });
      socket.on('error', () => {});
      socket.on('close', () => resolve(total));
    });
    expect(written).toBeLessThan(100 * 1024 * 1024);
    expect(rss() - before).toBeLessThan(64 * 1024 * 1024);
    expect(await naught(['status'], { cwd: box.dir })).toMatchObject({ code: 0, stdout: 'workers online: 1\n' });
    await fg.stop();
  });

  test('a client that never asks is let go after 5 s; beyond 100 clients at once, more are turned away', async () => {
    const { fg } = await startApp(box);
    const connect = (): Promise<{ socket: net.Socket; closed: Promise<number> }> =>
      new Promise((resolve) => {
        const socket = net.connect(box.path('naught.ipc'), () => {
          const at = performance.now();
          resolve({ socket, closed: new Promise((done) => socket.on('close', () => done(performance.now() - at))) });
        });
        socket.on('error', () => {});
      });
    const idle = await Promise.all(Array.from({ length: 100 }, connect));
    expect(await naught(['status'], { cwd: box.dir })).toMatchObject({ code: 1, stderr: 'naught closed the connection without answering\n' });
    // Each idle client goes at its deadline, and room is made again.
    for (const lasted of await Promise.all(idle.map((c) => c.closed))) expect(lasted).toBeGreaterThanOrEqual(4900);
    expect(await naught(['status'], { cwd: box.dir })).toMatchObject({ code: 0, stdout: 'workers online: 1\n' });
    await fg.stop();
  });

  test('a client that was answered and stays is let go after 5 s: 100 of them lock no one out for good', async () => {
    const { fg } = await startApp(box);
    const answeredThenStays = (): Promise<{ closed: Promise<number> }> =>
      new Promise((resolve) => {
        const socket = net.connect(box.path('naught.ipc'), () => socket.write('{"action":"status"}\n'));
        socket.once('data', () => {
          const at = performance.now();
          resolve({ closed: new Promise((done) => socket.on('close', () => done(performance.now() - at))) });
        });
        socket.on('error', () => {});
      });
    const staying = await Promise.all(Array.from({ length: 100 }, answeredThenStays));
    for (const lasted of await Promise.all(staying.map(({ closed }) => closed))) expect(lasted).toBeGreaterThanOrEqual(4900);
    expect(await naught(['status'], { cwd: box.dir })).toMatchObject({ code: 0, stdout: 'workers online: 1\n' });
    await fg.stop();
  });

  test('at most 90 clients follow naught (the logs, a deploy); the 91st is told so, and naught status still gets in', async () => {
    const { fg } = await startApp(box);
    await until(() => existsSync(box.path('stderr.log')), 'stderr.log');
    // Each follower is taken on once it has the last line of stderr.log.
    const follow = (): Promise<net.Socket> =>
      new Promise((resolve) => {
        const socket = net.connect(box.path('naught.ipc'), () => socket.write('{"action":"logs","streams":["stderr"],"lines":1,"follow":true}\n'));
        socket.once('data', () => resolve(socket));
        socket.on('error', () => {});
      });
    const followers = await Promise.all(Array.from({ length: 90 }, follow));
    const refused = await exchange(box.path('naught.ipc'), '{"action":"logs","streams":["stderr"],"lines":0,"follow":true}\n');
    expect(JSON.parse(refused)).toEqual({ type: 'error', message: 'naught has 90 clients that follow it already; try again once one is done' });
    expect(await naught(['status'], { cwd: box.dir })).toMatchObject({ code: 0, stdout: 'workers online: 1\n' });
    for (const socket of followers) socket.destroy();
    await fg.stop();
  });
});
