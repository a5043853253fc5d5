// naught's own stdout or stderr, as the supervisor writes it: never blocking the
// event loop that runs the cluster, whatever the reader (a terminal, journald's
// pipe, docker's log driver) does.
//
// Node writes process.stdout/stderr synchronously when they are pipes or files, so a
// slow reader would stall naught itself. Here each console is a queue drained by one
// fs.write at a time on libuv's thread pool. What may wait in it is bounded for
// lines that also went to a file: past CONSOLE_LIMIT_BYTES such lines are dropped
// from the console (counted, and said in their place once it catches up), so a
// flooding worker can neither grow naught's memory nor slow down. Lines whose only
// copy is the console are never dropped: the caller waits for room instead.
//
// A console that is /dev/null (`> /dev/null`, systemd's StandardOutput=null, a test
// harness) takes nothing: each write there was a trip to the thread pool and back for
// nothing, about a tenth of the supervisor's CPU in a log flood.
import { fstatSync, statSync, writev } from 'node:fs';
import { GATHER_MS } from './gather.js';
import { countLines } from './lines.js';

/** Bytes of file-backed lines that may wait for a slow console before they are dropped from it. */
const CONSOLE_LIMIT_BYTES = 4 * 1024 * 1024;

/** The most one write call takes from the queue. */
const WRITE_BATCH_BYTES = 1024 * 1024;

/** Retry delay when the descriptor is non-blocking and full. */
const RETRY_MS = 20;

export class Console {
  private readonly queue: Buffer[] = [];
  private queued = 0;
  private writing = false;
  /** Offered lines wait GATHER_MS for what comes meanwhile (gather.ts). */
  private gathering: NodeJS.Timeout | null = null;
  /** Nobody reads it: /dev/null from the start, or its reader is gone. */
  private broken: boolean;
  private dropped = 0;
  private readonly waiting = new Set<{ below: number; wake: () => void }>();

  constructor(
    private readonly fd: number,
    /** Names the copy a dropped line can still be read from. */
    private readonly name: string,
  ) {
    this.broken = isDevNull(fd);
  }

  /** Queues naught's own lines, and lines that exist nowhere else: never dropped, and written at once (naught may be about to exit). */
  write(data: Buffer | string): void {
    if (this.enqueue(typeof data === 'string' ? Buffer.from(data) : data)) this.pump();
  }

  /** Queues lines that a file also has, unless the console is too far behind (those are counted); they wait GATHER_MS for more (gather.ts). */
  offer(data: Buffer): void {
    if (this.queued + data.length > CONSOLE_LIMIT_BYTES) {
      this.dropped += countLines(data);
      return;
    }
    if (!this.enqueue(data)) return;
    this.gathering ??= setTimeout(() => {
      this.gathering = null;
      this.pump();
    }, GATHER_MS);
  }

  /** Resolves once no more than `bytes` wait (immediately when the console is gone). */
  below(bytes: number): Promise<void> {
    if (this.queued <= bytes || this.broken) return Promise.resolve();
    return new Promise((wake) => this.waiting.add({ below: bytes, wake }));
  }

  /** Whether `data` was queued (not when the console is gone, or for nothing). */
  private enqueue(data: Buffer): boolean {
    if (this.broken || data.length === 0) return false;
    this.queue.push(data);
    this.queued += data.length;
    return true;
  }

  private pump(): void {
    if (this.writing || this.broken) return;
    if (this.queue.length === 0 && this.dropped > 0) {
      // Caught up: say what is missing here, where it is missing.
      const note = `naught: the ${this.name} console fell behind; ${this.dropped} line(s) were left out here (the log file has them)\n`;
      this.dropped = 0;
      this.enqueue(Buffer.from(note));
    }
    if (this.queue.length === 0) return;
    // Everything queued goes out in one system call (up to a bound), not a call per chunk.
    const batch: Buffer[] = [];
    let bytes = 0;
    while (this.queue.length > 0 && bytes < WRITE_BATCH_BYTES) {
      const next = this.queue.shift()!;
      batch.push(next);
      bytes += next.length;
    }
    this.writing = true;
    writev(this.fd, batch, (error, written) => {
      this.writing = false;
      if (error?.code === 'EAGAIN') {
        this.queue.unshift(...batch);
        setTimeout(() => this.pump(), RETRY_MS);
        return;
      }
      if (error) {
        // EPIPE and the like: nobody reads this console any more; the files still have everything.
        this.broken = true;
        this.queue.length = 0;
        this.queued = 0;
      } else {
        this.queued -= written;
        this.queue.unshift(...unwritten(batch, written));
      }
      this.wakeWaiters();
      this.pump();
    });
  }

  private wakeWaiters(): void {
    for (const waiter of this.waiting) {
      if (this.queued <= waiter.below || this.broken) {
        this.waiting.delete(waiter);
        waiter.wake();
      }
    }
  }
}

/** Whether `fd` is the null device (compared with /dev/null's own device number, as a container's is the same). */
function isDevNull(fd: number): boolean {
  try {
    const opened = fstatSync(fd);
    return opened.isCharacterDevice() && opened.rdev === statSync('/dev/null').rdev;
  } catch {
    return false;
  }
}

/** What is left of `batch` after its first `written` bytes. */
function unwritten(batch: Buffer[], written: number): Buffer[] {
  const rest: Buffer[] = [];
  for (const buffer of batch) {
    if (written >= buffer.length) {
      written -= buffer.length;
      continue;
    }
    rest.push(written > 0 ? buffer.subarray(written) : buffer);
    written = 0;
  }
  return rest;
}

/** The supervisor's two consoles. */
export interface Consoles {
  stdout: Console;
  stderr: Console;
}

export function openConsoles(): Consoles {
  return { stdout: new Console(1, 'stdout'), stderr: new Console(2, 'stderr') };
}
