// --log-format json: naught.log and naught's console carry one JSON object per line,
// each with the time, the event, the counts, the operation and why, through a deploy,
// a failed deploy and a crash loop; text (1.x's lines) stays the default.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { body } from './helpers/http.js';
import { naught, startApp } from './helpers/naught.js';
import { NotifyListener } from './helpers/notify.js';
import { useSandbox } from './helpers/sandbox.js';

interface Line {
  time: string;
  event: string;
  [field: string]: unknown;
}

/** Every line of `text` as JSON; fails on a line that is not an object with a time and an event. */
function records(text: string): Line[] {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => {
      const record = JSON.parse(line) as Line;
      expect(new Date(record.time).toISOString(), line).toBe(record.time);
      expect(typeof record.event, line).toBe('string');
      return record;
    });
}

describe('--log-format json', () => {
  const box = useSandbox();

  test('naught.log and the console: one object per line through a deploy, a failed deploy and a crash loop', async () => {
    const listener = new NotifyListener(box.path('notify.sock'));
    await listener.ready();
    try {
      const args = ['--worker-count', '2', '--log-format', 'json', '--stdout', '/dev/null', '--stderr', '/dev/null'];
      const { port, fg } = await startApp(box, args, { NOTIFY_SOCKET: listener.address });
      box.installApp('v2');
      expect(await naught(['deploy'], { cwd: box.dir })).toMatchObject({ code: 0 });
      writeFileSync(box.path('server.js'), 'throw new Error("broken release");\n');
      expect(await naught(['deploy'], { cwd: box.dir })).toMatchObject({ code: 1 });
      // A v2 worker dies; its restarts load the broken file: a crash loop.
      const mark = fg.events.length;
      await body(port, '/crash');
      await fg.waitFor('WorkerDeath', mark);
      await fg.waitFor('WorkerDeath', fg.events.findIndex((event, i) => i >= mark && event.event === 'WorkerDeath') + 1);
      box.installApp('v3');
      expect(await naught(['deploy'], { cwd: box.dir })).toMatchObject({ code: 0 });
      expect(await fg.stop()).toEqual({ code: 0, signal: null });

      const log = records(readFileSync(box.path('naught.log'), 'utf8'));
      // The events are those a Node parent got, in order, with the time first.
      const events = log.filter((line) => line.event !== 'Notice');
      expect(events.map((line) => line.event)).toEqual(fg.events.map((event) => event.event));
      expect(Object.keys(events[0]!)).toEqual(['time', 'event', 'count', 'waitingFor', 'operation']);
      expect(log.find((line) => line.event === 'Ready')).toMatchObject({ count: { booting: 0, online: 2, dying: 0, new_online: 0 }, operation: { kind: 'boot', ends: 'ready' } });
      expect(log.find((line) => line.event === 'DeployFailed')).toMatchObject({
        operation: { kind: 'deploy', ends: 'failed' },
        failure: expect.stringMatching(/^new worker [01] exited with code 1$/),
      });
      expect(log.find((line) => line.event === 'WorkerDeath' && line.restart !== undefined)).toMatchObject({
        worker: expect.any(Number),
        restart: { crashes: 2, inMs: expect.any(Number) },
        crashLoops: [{ worker: expect.any(Number), crashes: 2, restartInMs: expect.any(Number) }],
      });
      // What the text log says on a line of its own is a notice.
      expect(log.filter((line) => line.event === 'Notice').map((line) => line.message)).toContainEqual(expect.stringMatching(/notifying systemd/));
      // The console says the same, as JSON too: nothing else is on it.
      expect(records(fg.stderr).map((line) => line.event)).toEqual(log.map((line) => line.event));
    } finally {
      await listener.close();
    }
  });

  test('text stays the default; a format naught does not know is one line, exit 2, nothing started', async () => {
    const { fg } = await startApp(box, []);
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
    expect(readFileSync(box.path('naught.log'), 'utf8')).toMatch(/^Bootup\. booting: 0, online: 0, dying: 0, new_online: 0\n/);
    const bad = await naught(['start', '--log-format', 'xml', 'server.js'], { cwd: box.dir });
    expect(bad).toMatchObject({ code: 2, stdout: '', stderr: "naught: --log-format must be 'text' or 'json', not 'xml'\n" });
    expect(existsSync(box.path('naught.ipc')) || existsSync(box.path('naught.pid'))).toBe(false);
  });
});
