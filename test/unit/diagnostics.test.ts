// What naught says and keeps of what it takes from inside a worker, which may be hostile
// (protocol/diagnostics.ts), and who may ask for it (protocol/ipc-key.ts).
import { describe, expect, test } from 'vitest';
import { frameText, hungWhere, MAX_FRAMES, parseFrames } from '../../src/protocol/diagnostics.js';
import { eventText } from '../../src/protocol/event-line.js';
import { ownerOnly } from '../../src/protocol/ipc-key.js';
import type { NaughtEvent } from '../../src/protocol/messages.js';
import { parseRequest } from '../../src/protocol/requests.js';

const COUNT = { booting: 1, online: 1, dying: 1, new_online: 0 };
const FRAME = { fn: 'spinForever', file: '/srv/app/server.js', line: 12, column: 9 };

describe('diagnostics', () => {
  test("a worker's frames are kept as far as they are frames, the innermost MAX_FRAMES, each bounded", () => {
    expect(parseFrames([FRAME, { fn: '', file: 'node:events', line: 514, column: 20 }])).toEqual([FRAME, { fn: '', file: 'node:events', line: 514, column: 20 }]);
    expect(parseFrames(Array(100).fill(FRAME))).toHaveLength(MAX_FRAMES);
    expect(parseFrames([FRAME, { fn: 1, file: 'x', line: 1, column: 1 }, FRAME])).toEqual([FRAME]);
    expect(parseFrames([{ ...FRAME, line: -1 }])).toEqual([]);
    expect(parseFrames('not frames')).toEqual([]);
    expect(parseFrames([{ ...FRAME, fn: 'x'.repeat(10_000) }])[0]!.fn).toHaveLength(200);
  });

  test('frames are written as node writes them, on one line whatever the worker sent', () => {
    expect(frameText(FRAME)).toBe('spinForever (/srv/app/server.js:12:9)');
    expect(frameText({ ...FRAME, fn: '' })).toBe('/srv/app/server.js:12:9');
    expect(frameText({ fn: 'wait', file: '', line: 0, column: 0 })).toBe('wait (native)');
    expect(frameText({ ...FRAME, fn: 'a\nReady. booting: 0' })).toBe('a\\nReady. booting: 0 (/srv/app/server.js:12:9)');
    expect(hungWhere({ frames: [FRAME], report: null })).toBe('hung in spinForever (/srv/app/server.js:12:9)');
    expect(hungWhere({ frames: [{ ...FRAME, fn: '' }], report: null })).toBe('hung at /srv/app/server.js:12:9');
    expect(hungWhere({ missing: 'why' })).toBeNull();
  });

  test('WorkerHang names where the worker was stuck, its next frames and its report; or why there is no stack', () => {
    const hang = (stack: NaughtEvent['stack']): NaughtEvent => ({
      event: 'WorkerHang',
      count: COUNT,
      waitingFor: null,
      operation: null,
      worker: 1,
      health: { reason: 'hang', detail: 'has not answered for 2.1 s (--worker-timeout 2 s)' },
      stack,
    });
    const frames = [FRAME, { fn: 'handle', file: '/srv/app/server.js', line: 20, column: 3 }, ...Array(10).fill({ fn: 'emit', file: 'node:events', line: 514, column: 20 })];
    expect(eventText(hang({ frames, report: '/var/log/app/hang-1.json' }))).toBe(
      [
        'WorkerHang. booting: 1, online: 1, dying: 1, new_online: 0',
        'naught: worker 1 hung in spinForever (/srv/app/server.js:12:9): has not answered for 2.1 s (--worker-timeout 2 s); killed, and replaced',
        'naught:   at handle (/srv/app/server.js:20:3)',
        'naught:   at emit (node:events:514:20)',
        'naught:   at emit (node:events:514:20)',
        'naught:   at emit (node:events:514:20)',
        'naught:   its report: /var/log/app/hang-1.json',
        '',
      ].join('\n'),
    );
    expect(eventText(hang({ missing: 'it exited before its stack was taken' })).split('\n').slice(1)).toEqual([
      'naught: worker 1 has not answered for 2.1 s (--worker-timeout 2 s); killed, and replaced',
      'naught:   no stack: it exited before its stack was taken',
      '',
    ]);
  });

  test("a death is said with the worker's last lines, each marked as the worker's and kept on its line", () => {
    const death = (stderr: string[]): NaughtEvent => ({ event: 'WorkerDeath', count: COUNT, waitingFor: null, operation: null, worker: 2, death: { exit: 'exited with code 1', stderr } });
    expect(eventText(death([])).split('\n')[1]).toBe('naught: worker 2 exited with code 1');
    expect(eventText(death(['Error: boom', 'Ready. booting: 0\x1b[2J'])).split('\n').slice(1)).toEqual([
      'naught: worker 2 exited with code 1; its last lines on stderr:',
      'naught:   | Error: boom',
      'naught:   | Ready. booting: 0\\x1b[2J',
      '',
    ]);
  });

  test('an examine request is checked; a heap snapshot is for naught’s user and root only', () => {
    expect(parseRequest({ action: 'examine', kind: 'profile', worker: 1, profileMs: 2000 })).toEqual({ action: 'examine', kind: 'profile', worker: 1, profileMs: 2000 });
    expect(parseRequest({ action: 'examine', kind: 'report', worker: 0 })).toEqual({ action: 'examine', kind: 'report', worker: 0, profileMs: 0 });
    expect(parseRequest({ action: 'examine', kind: 'core-dump', worker: 0 })).toBe('examine: kind must be one of report, profile, heap-snapshot');
    expect(parseRequest({ action: 'examine', kind: 'report', worker: -1 })).toBe('examine: worker must be a worker number, 0 to 1023');
    expect(parseRequest({ action: 'examine', kind: 'profile', worker: 0, profileMs: 10 })).toBe('examine: a profile needs profileMs of 100 or more');
    expect(parseRequest({ action: 'examine', kind: '__proto__', worker: 0 })).toMatch(/^examine: kind must be/);
    expect(ownerOnly({ action: 'examine', kind: 'heap-snapshot', worker: 0, profileMs: 0 })).toMatch(/^heap-snapshot: only naught's user or root/);
    expect(ownerOnly({ action: 'examine', kind: 'profile', worker: 0, profileMs: 1000 })).toBeNull();
  });
});
