// The ipc socket: any number of clients at once, and nonsense refused without harm.
import net from 'node:net';
import { describe, expect, test } from 'vitest';
import { freePort } from './helpers/http.js';
import { Foreground, naught, naughtRunning } from './helpers/naught.js';
import { until } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';

/** Sends raw bytes to the socket; resolves with everything naught answered before it closed. */
function exchange(file: string, raw: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(file, () => socket.write(raw));
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
    box.installApp('v1');
    const fg = new Foreground(['start', 'server.js'], { cwd: box.dir, env: { PORT: String(await freePort()) } });
    await fg.waitFor('Ready');
    const socket = box.path('naught.ipc');
    const error = (message: string) => `${JSON.stringify({ type: 'error', message })}\n`;
    expect(await exchange(socket, 'hello\n')).toBe(error('malformed message: not JSON'));
    expect(await exchange(socket, '[1,2]\n')).toBe(error('a request must be a JSON object'));
    expect(await exchange(socket, '{"action":"explode"}\n')).toBe(error('unknown action: "explode"'));
    expect(await exchange(socket, '{"action":"deploy","workerCount":-1}\n')).toBe(error('deploy: workerCount must be a whole number, 0 or more'));
    expect(await exchange(socket, '{"action":"deploy","workerCount":1,"cwd":"relative"}\n')).toBe(error('deploy: cwd must be an absolute path'));
    expect(await exchange(socket, '{"action":"stop","timeout":"soon"}\n')).toBe(error('timeout must be a number of seconds, 0 or more'));
    // A message that never ends is cut off at the size limit instead of filling memory.
    expect(await exchange(socket, 'x'.repeat(2 * 1024 * 1024))).toBe(error('message larger than 1048576 bytes'));

    expect(await naught(['status'], { cwd: box.dir })).toMatchObject({ code: 0, stdout: 'workers online: 1\n' });
    expect(fg.names()).toEqual(['Bootup', 'SpawnNew', 'NewOnline', 'Ready']);
    await fg.stop();
  });

  test('many clients at once: status answers while another client follows a deploy', async () => {
    box.installApp('v1');
    const fg = new Foreground(['start', 'server.js'], { cwd: box.dir, env: { PORT: String(await freePort()) } });
    await fg.waitFor('Ready');
    const deploying = naughtRunning(['deploy'], { cwd: box.dir, env: { BOOT_DELAY_MS: '500' } });
    await until(() => deploying.stderr().includes('SpawnNew'), 'the deploy to begin');
    const statuses = await Promise.all(Array.from({ length: 5 }, () => naught(['status'], { cwd: box.dir })));
    for (const status of statuses) {
      expect(status).toMatchObject({ code: 0, stdout: 'deploy in progress\nbooting: 1, online: 1, dying: 0, new_online: 0\n' });
    }
    expect(await deploying.result).toMatchObject({ code: 0 });
    await fg.stop();
  });
});
