// What naught sees of a worker's stderr beside its log: the last lines, and node's
// inspector address, taken out of the log once naught opens the inspector.
import { describe, expect, test } from 'vitest';
import { WorkerStderr } from '../../src/log/worker-stderr.js';
import { STDERR_TAIL_LINES } from '../../src/protocol/diagnostics.js';

const piece = (...lines: string[]): Buffer => Buffer.from(lines.map((line) => `${line}\n`).join(''));

describe('WorkerStderr', () => {
  test('the last lines come from as many pieces as hold them, whatever their sizes', () => {
    const seen = new WorkerStderr();
    seen.see(piece('about to throw'));
    seen.see(piece(...Array.from({ length: 5 }, (_, i) => `a${i}`)));
    seen.see(piece('Error: boom', '    at handler (/srv/app/server.js:3:9)'));
    expect(seen.lastLines()).toEqual(['about to throw', 'a0', 'a1', 'a2', 'a3', 'a4', 'Error: boom', '    at handler (/srv/app/server.js:3:9)']);
    seen.see(piece(...Array.from({ length: 50 }, (_, i) => `b${i}`)));
    seen.see(piece('last'));
    expect(seen.lastLines()).toEqual([...Array.from({ length: STDERR_TAIL_LINES - 1 }, (_, i) => `b${50 - STDERR_TAIL_LINES + 1 + i}`), 'last']);
    // A long line is said cut.
    seen.see(piece('x'.repeat(100_000)));
    expect(seen.lastLines().at(-1)).toHaveLength(500);
  });

  test("node's inspector lines pass to the log until naught opens the inspector; from then on they are naught's, and the address is given", async () => {
    const seen = new WorkerStderr();
    const lines = piece('Debugger listening on ws://127.0.0.1:9229/0f2c', 'app line');
    expect(seen.see(lines).toString()).toBe(lines.toString());
    const address = seen.inspectorAddress();
    const kept = seen.see(piece('before', 'Debugger listening on ws://127.0.0.1:41234/5b1d-aa', 'For help, see: https://nodejs.org/learn/getting-started/debugging', 'after'));
    expect(kept.toString()).toBe('before\nafter\n');
    expect(await address).toBe('ws://127.0.0.1:41234/5b1d-aa');
    expect(seen.see(piece('Debugger attached.')).length).toBe(0);
    expect(seen.lastLines()).toEqual(['Debugger listening on ws://127.0.0.1:9229/0f2c', 'app line', 'before', 'after']);
  });
});
