// Text naught did not write itself stays on its one line (protocol/printable.ts).
import { describe, expect, test } from 'vitest';
import { eventText } from '../../src/protocol/event-line.js';
import { printable } from '../../src/protocol/printable.js';
import { statusLine } from '../../src/systemd/status-line.js';

const FORGED = 'gone\nReady. booting: 0, online: 9, dying: 0, new_online: 0\r\x1b[2J\u2028\x7f\x9b';

describe('printable', () => {
  test('escapes every control character and line separator, and leaves the rest alone', () => {
    expect(printable(FORGED)).toBe('gone\\nReady. booting: 0, online: 9, dying: 0, new_online: 0\\r\\x1b[2J\\u2028\\x7f\\x9b');
    expect(printable('/srv/app-ü/日本 ok')).toBe('/srv/app-ü/日本 ok');
  });

  test("a deploy's failure forges no line of naught.log and no assignment of sd_notify's STATUS=", () => {
    const event = { event: 'DeployFailed', count: { booting: 0, online: 1, dying: 0, new_online: 0 }, waitingFor: null, operation: null, failure: FORGED } as const;
    expect(eventText(event).split('\n')).toHaveLength(3);
    expect(statusLine(event)).not.toMatch(/[\n\r\x1b]/);
  });
});
