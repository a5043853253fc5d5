// Carries every worker's stdout and stderr, line by line, into their sinks, and
// knows when the last line of the last worker has been written.
import type { ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { lineStream } from './lines.js';
import type { Sink } from './sinks.js';

export class WorkerOutput {
  private readonly open = new Set<Promise<void>>();

  constructor(
    private readonly stdout: Sink | null,
    private readonly stderr: Sink | null,
  ) {}

  attach(child: ChildProcess): void {
    this.carry(child.stdout, this.stdout);
    this.carry(child.stderr, this.stderr);
  }

  /** Waits for every attached stream to end, then flushes and closes the sinks. */
  async close(): Promise<void> {
    while (this.open.size > 0) await Promise.all(this.open);
    await Promise.all([this.stdout?.close(), this.stderr?.close()]);
  }

  private carry(source: Readable | null, sink: Sink | null): void {
    if (source === null || sink === null) return;
    const lines = lineStream();
    source.on('error', (error) => lines.destroy(error));
    // pipe() pauses this worker's pipe while the sink is behind, and resumes on 'drain'.
    source.pipe(lines).pipe(sink.stream, { end: false });
    const done = finished(lines)
      .catch(() => {})
      .finally(() => this.open.delete(done));
    this.open.add(done);
  }
}
