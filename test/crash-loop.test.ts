// A worker that keeps dying: restarted at once the first time, then after 1, 2, 4 s;
// naught stays up, the other worker keeps serving, and status, STATUS= and the log
// say what is happening. A deploy of a fixed release ends the loop.
import { rmSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, test } from 'vitest';
import { body } from './helpers/http.js';
import { naught, startApp } from './helpers/naught.js';
import { NotifyListener } from './helpers/notify.js';
import { until } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';

describe('crash loops', () => {
  const box = useSandbox();
  let listener: NotifyListener | undefined;
  afterEach(async () => {
    await listener?.close();
    listener = undefined;
  });

  async function startLooping() {
    listener = new NotifyListener(box.path('notify.sock'));
    await listener.ready();
    const flag = box.path('broken');
    const { port, fg } = await startApp(box, ['--worker-count', '2'], { CRASH_FLAG: flag, NOTIFY_SOCKET: listener.address });
    // From now on every boot crashes; one worker is made to die.
    writeFileSync(flag, '');
    const mark = fg.events.length;
    const looping = (await body(port, '/crash')).split(' ')[1]!;
    const healthy = looping === '0' ? '1' : '0';
    return { port, fg, notes: listener, flag, mark, looping, healthy };
  }

  test('restarts at once, then after 1, 2 and 4 s; status and STATUS= say so; the other worker serves; a deploy ends it', async () => {
    const { port, fg, notes, flag, mark, looping, healthy } = await startLooping();
    // 1st death: restarted at once (the death event already counts the new worker).
    const first = await fg.waitFor('WorkerDeath', mark);
    expect(first.count).toEqual({ booting: 1, online: 1, dying: 0, new_online: 0 });
    let from = fg.events.indexOf(first) + 1;
    for (const delayMs of [1000, 2000]) {
      const death = await fg.waitFor('WorkerDeath', from);
      expect(death.count).toEqual({ booting: 0, online: 1, dying: 0, new_online: 0 });
      // The time left is taken when the event is made, a moment after the restart was planned.
      expect(death.crashLoops).toEqual([{ worker: Number(looping), crashes: delayMs / 1000 + 1, restartInMs: expect.any(Number) }]);
      expect(death.crashLoops![0]!.restartInMs).toBeGreaterThan(delayMs - 500);
      expect(death.crashLoops![0]!.restartInMs).toBeLessThanOrEqual(delayMs);
      // Meanwhile the other worker answers every request.
      expect(await body(port, '/worker')).toBe(healthy);
      // How long it waits is the machine's (test/unit/machine.test.ts, to the millisecond).
      const spawn = await fg.waitFor('SpawnNew', fg.events.indexOf(death) + 1, delayMs + 5000);
      expect(spawn.crashLoops).toEqual([{ worker: Number(looping), crashes: delayMs / 1000 + 1, restartInMs: null }]);
      from = fg.events.indexOf(spawn) + 1;
    }
    await fg.waitFor('WorkerDeath', from);
    expect(fg.names(mark)).toEqual(['WorkerDeath', 'WorkerDeath', 'SpawnNew', 'WorkerDeath', 'SpawnNew', 'WorkerDeath']);

    expect(await naught(['status'], { cwd: box.dir })).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(new RegExp(`^workers online: 1\\nworker ${looping} crash-looping, next restart in [34] s\\n$`)),
    });
    const status = notes.with('STATUS').at(-1)!.fields.STATUS;
    expect(status).toBe(`1 worker online; worker ${looping} crash-looping, next restart in 4 s`);
    for (const [seconds, deaths] of [[1, 2], [2, 3], [4, 4]]) {
      expect(fg.stderr).toContain(`naught: worker ${looping} crash-looping, next restart in ${seconds} s (${deaths} deaths in a row)\n`);
    }

    // The fixed release comes online for every number; the pending restart is dropped.
    rmSync(flag);
    expect(await naught(['deploy'], { cwd: box.dir })).toMatchObject({ code: 0 });
    expect(await naught(['status'], { cwd: box.dir })).toMatchObject({ code: 0, stdout: 'workers online: 2\n' });
    expect(notes.with('STATUS').at(-1)!.fields.STATUS).toBe('2 workers online');
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
  });

  test('a stop while a restart is pending: the restart is dropped and naught exits at once', async () => {
    const { fg, mark } = await startLooping();
    // The third death in a row: its restart is 2 s away.
    await until(() => fg.names(mark).filter((name) => name === 'WorkerDeath').length === 3, 'three deaths in a row', 10_000);
    expect(fg.events.at(-1)!.crashLoops?.[0]).toMatchObject({ crashes: 3, restartInMs: expect.any(Number) });
    const stopMark = fg.events.length;
    expect(await fg.stop()).toEqual({ code: 0, signal: null });
    expect(fg.names(stopMark)).toEqual(['ShutdownOld', 'OldExit', 'Shutdown']);
  });
});
