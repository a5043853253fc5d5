// Reading a log file as `tail -n N -f` does: its last lines, then every line written
// after them, across rotations (naught's own, at a size, and logrotate's through a
// reopen). The writer (rotating-file.ts) says each file it moves to at the moment it
// does, and the reader opens that very file then: however far behind it is, it reads
// each file to its end, even once that one is renamed, gzipped and removed, and
// loses nothing and reads nothing twice.
import { closeSync, fstat, openSync, read } from 'node:fs';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';

const readAt = promisify(read);
const statOf = promisify(fstat);

/** How much is read at a time. */
const BLOCK_BYTES = 64 * 1024;
/** How often a file at its end is looked at again. */
const POLL_MS = 100;

/** A file of our own, the one the writer has open as `fd` now (Linux's /proc/self/fd). */
export function openWritten(fd: number): number {
  return openSync(`/proc/self/fd/${fd}`, 'r');
}

/**
 * Where the last `lines` whole lines of the file open as `fd` begin and end: a line
 * still being written (no newline yet) is left for whoever follows from `end`. Read
 * back from the end a block at a time, holding none of it: any number of lines costs
 * naught one block.
 */
export async function lastLines(fd: number, lines: number): Promise<{ start: number; end: number }> {
  const block = Buffer.alloc(BLOCK_BYTES);
  let end: number | null = null;
  let newlines = 0;
  for (let to = (await statOf(fd)).size; to > 0; ) {
    const from = Math.max(0, to - BLOCK_BYTES);
    const { bytesRead } = await readAt(fd, block, 0, to - from, from);
    // Cut short meanwhile (copytruncate): what there is ends here.
    if (bytesRead === 0) break;
    // The line that ends at the nth newline from the end begins after the one before it.
    for (let at = block.lastIndexOf(10, bytesRead - 1); at !== -1; at = at === 0 ? -1 : block.lastIndexOf(10, at - 1)) {
      end ??= from + at + 1;
      newlines += 1;
      if (newlines > lines) return { start: from + at + 1, end };
    }
    to = from;
  }
  return { start: 0, end: end ?? 0 };
}

/** Gives `deliver` the bytes of the file open as `fd` from `start` to `end`, a block at a time, each once the last is taken. */
export async function readRange(fd: number, start: number, end: number, deliver: (data: Buffer) => Promise<void>): Promise<void> {
  const block = Buffer.alloc(BLOCK_BYTES);
  for (let at = start; at < end; ) {
    const { bytesRead } = await readAt(fd, block, 0, Math.min(BLOCK_BYTES, end - at), at);
    if (bytesRead === 0) return;
    await deliver(block.subarray(0, bytesRead));
    at += bytesRead;
  }
}

/**
 * Follows the file open as `fd` from `position`, then each file given to next() in
 * turn: each batch of whole lines goes to `deliver`, which may make it wait. A read
 * that fails ends it, told to `failed`. It closes every fd it was given.
 */
export class Follower {
  private stopped = false;
  private readonly wake = new AbortController();
  /** Files the writer moved to, oldest first, each taken once the one before is read to its end. */
  private readonly queue: number[] = [];
  /** Resolves once it has stopped and closed what it was given. */
  readonly done: Promise<void>;

  constructor(
    private fd: number,
    private position: number,
    private readonly deliver: (lines: Buffer) => Promise<void>,
    failed: (error: Error) => void,
  ) {
    this.done = this.run()
      .catch(failed)
      .finally(() => {
        for (const fd of [this.fd, ...this.queue.splice(0)]) closeSync(fd);
      });
  }

  /** The writer moved on to the file open as `fd` (ours). */
  next(fd: number): void {
    if (this.stopped) return void closeSync(fd);
    this.queue.push(fd);
  }

  stop(): void {
    this.stopped = true;
    this.wake.abort();
  }

  private async run(): Promise<void> {
    let pending = Buffer.alloc(0);
    const block = Buffer.alloc(BLOCK_BYTES);
    while (!this.stopped) {
      const { bytesRead } = await readAt(this.fd, block, 0, BLOCK_BYTES, this.position);
      if (bytesRead > 0) {
        this.position += bytesRead;
        const data = Buffer.concat([pending, block.subarray(0, bytesRead)]);
        const end = data.lastIndexOf(10) + 1;
        pending = Buffer.from(data.subarray(end));
        if (end > 0) await this.deliver(data.subarray(0, end));
        continue;
      }
      const next = this.queue.shift();
      if (next !== undefined) {
        // Nothing more comes to a file the writer has left; a last line without its newline still ends here.
        if (pending.length > 0) await this.deliver(Buffer.concat([pending, Buffer.from('\n')]));
        pending = Buffer.alloc(0);
        closeSync(this.fd);
        [this.fd, this.position] = [next, 0];
        continue;
      }
      // Cut short in place (logrotate's copytruncate): read it again from its start.
      if ((await statOf(this.fd)).size < this.position) [this.position, pending] = [0, Buffer.alloc(0)];
      else await sleep(POLL_MS, undefined, { signal: this.wake.signal }).catch(() => {});
    }
  }
}
