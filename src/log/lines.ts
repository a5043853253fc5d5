// Cuts one worker's output into whole lines. Each chunk it passes on ends with a
// newline, so chunks from many workers can share one file without tearing a line.
import { Transform } from 'node:stream';

/** A line longer than this is cut: holding it whole could take unbounded memory. */
export const MAX_LINE_BYTES = 1024 * 1024;

const NEWLINE = Buffer.from('\n');

/** `see`, given, sees each piece of whole lines and gives what is passed on (log/worker-stderr.ts). */
export function lineStream(see: (lines: Buffer) => Buffer = (lines) => lines): Transform {
  let pending: Buffer[] = [];
  let pendingBytes = 0;

  const takePending = (tail: Buffer): Buffer => {
    const out = pendingBytes === 0 ? tail : Buffer.concat([...pending, tail]);
    pending = [];
    pendingBytes = 0;
    return out;
  };

  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      const last = chunk.lastIndexOf(10);
      if (last === -1) {
        pending.push(chunk);
        pendingBytes += chunk.length;
        callback(null, pendingBytes >= MAX_LINE_BYTES ? see(takePending(NEWLINE)) : undefined);
        return;
      }
      const lines = see(takePending(chunk.subarray(0, last + 1)));
      if (last + 1 < chunk.length) {
        pending.push(chunk.subarray(last + 1));
        pendingBytes = chunk.length - last - 1;
      }
      callback(null, lines.length === 0 ? undefined : lines);
    },
    // A last line without a newline still gets one, so the next writer starts on a fresh line.
    flush(callback) {
      callback(null, pendingBytes === 0 ? undefined : see(takePending(NEWLINE)));
    },
  });
}

/** How many lines (newlines) `data` holds. */
export function countLines(data: Buffer): number {
  let lines = 0;
  for (let at = data.indexOf(10); at !== -1; at = data.indexOf(10, at + 1)) lines += 1;
  return lines;
}
