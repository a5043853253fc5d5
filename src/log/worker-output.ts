// Carries every worker's stdout and stderr, line by line, into their sinks, and
// knows when the last line of the last worker has been handed to them.
import type { ChildProcess } from 'node:child_process';
import type { Readable, Transform } from 'node:stream';
import { finished } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { lineStream } from './lines.js';
import type { Sink } from './sinks.js';
import { WorkerStderr } from './worker-stderr.js';

/**
 * How long a worker's pipes may stay open after naught is done with every worker.
 * A pipe outlives its worker only when a process the app started still holds it;
 * naught must not wait for that process forever.
 */
export const OUTPUT_GRACE_MS = 2000;

export class WorkerOutput {
  /** Each open pipe: its line cutter, and the promise that settles when its last line is passed on. */
  private readonly open = new Map<Readable, { lines: Transform; done: Promise<void> }>();

  constructor(
    private readonly stdout: Sink | null,
    private readonly stderr: Sink | null,
  ) {}

  /** Carries the worker's output; gives what naught sees of its stderr, null when naught reads none. */
  attach(child: ChildProcess): WorkerStderr | null {
    this.carry(child.stdout, this.stdout);
    if (child.stderr == null || this.stderr === null) return null;
    const stderr = new WorkerStderr();
    this.carry(child.stderr, this.stderr, stderr);
    return stderr;
  }

  /** Waits until the attached pipes have ended (at most OUTPUT_GRACE_MS) and their lines are in the sinks. */
  async drain(): Promise<void> {
    const grace = new AbortController();
    const allEnded = (async () => {
      while (this.open.size > 0) await Promise.all([...this.open.values()].map((pipe) => pipe.done));
    })();
    const late = sleep(OUTPUT_GRACE_MS, true, { signal: grace.signal }).catch(() => false);
    if (await Promise.race([allEnded.then(() => false), late])) {
      for (const [source, { lines }] of this.open) {
        source.destroy();
        // What was read so far still goes out.
        lines.end();
      }
      await allEnded;
    }
    grace.abort();
  }

  private carry(source: Readable | null | undefined, sink: Sink | null, seen?: WorkerStderr): void {
    // No pipe: the stream is not captured, or the spawn failed before node made one.
    if (source == null || sink === null) return;
    const lines = seen === undefined ? lineStream() : lineStream((piece) => seen.see(piece));
    source.on('error', (error) => lines.destroy(error));
    // pipe() pauses this worker's pipe while the sink is behind, and resumes on 'drain'.
    source.pipe(lines).pipe(sink.stream, { end: false });
    const done = finished(lines)
      .catch(() => {})
      .finally(() => this.open.delete(source));
    // Every line it wrote is seen once the cutter has taken them all, whenever the log takes them.
    if (seen !== undefined) void finished(lines, { readable: false }).catch(() => {}).finally(() => seen.end());
    this.open.set(source, { lines, done });
  }
}
