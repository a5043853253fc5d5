// The worker's process.stdout and process.stderr, when naught reads them from a pipe
// (a socket pair, as node:child_process makes it):
//
// - Blocking. libuv opens the worker's end non-blocking, so when the pipe is full
//   node queues what the app writes in the worker's memory: a worker that writes
//   faster than naught can store grows, and one killed with SIGKILL loses what was
//   queued (seen: 730 of 2,000 lines written just before a SIGKILL never arrived).
//   Blocking, a write waits for room, as node's documentation says pipes do on Linux:
//   what write() was given is in the pipe when it returns, and naught reads the pipe
//   to its end even after the worker is gone.
// - Straight. Each write is one write(2) of its own (fs.writeSync), not a trip through
//   node's stream for a pipe, which costs about three times as much per byte
//   (measured: 20 MB of 100-byte lines, 64 at a time, into `cat`: 466 ms through
//   process.stdout, 174 ms with fs.writeSync). Order is kept: while node's stream has
//   anything queued, writes go through it, behind what it holds.
import { writeSync } from 'node:fs';
import { setBlocking } from '../host/node-internals.js';

type Write = NodeJS.WriteStream['write'];

/** Makes `stream` (fd 1 or 2, a pipe or socket naught reads) blocking, and write straight to its fd. */
export function writeStraight(stream: NodeJS.WriteStream, fd: 1 | 2): void {
  setBlocking(stream);
  const original: Write = stream.write;
  stream.write = function write(this: NodeJS.WriteStream, chunk: unknown, encoding?: unknown, callback?: unknown): boolean {
    const done = typeof encoding === 'function' ? encoding : callback;
    const data =
      typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : chunk instanceof Uint8Array ? chunk : null;
    // What the stream alone knows how to handle: anything else, a stream that has queued data, or one that is done.
    if (data === null || this.writableLength > 0 || this.destroyed || this.writableEnded) return original.apply(this, arguments as unknown as Parameters<Write>);
    let written = 0;
    try {
      while (written < data.length) written += writeSync(fd, data, written);
    } catch {
      // Broken (EPIPE: naught is gone), or full if it could not be made blocking: the rest goes the stream's way, which reports or queues it as it always did.
      return original.call(this, data.subarray(written), undefined, done as (error?: Error | null) => void);
    }
    if (typeof done === 'function') process.nextTick(done as () => void);
    return true;
  } as Write;
}
