// Everything the CLI prints goes through here: results on stdout, events and
// messages on stderr, as naught 1.x did.
//
// Written straight to the descriptor: process.stdout and stderr are streams node
// builds on first use, and for a pipe they load node:net and its streams (3 ms, an
// eighth of `naught version` on Node 26). A descriptor that cannot take the text whole
// now (a non-blocking pipe whose reader is behind) hands over to the stream, which
// waits for room; the rest of the command's output follows it there, in order.
import { writeSync } from 'node:fs';
import { isTerminal } from '../host/node-internals.js';
import { eventLine } from '../protocol/event-line.js';
import { ANSWER_EVENTS, type EventName, type ParentEvent, type Reply } from '../protocol/messages.js';

class Output {
  private stream: NodeJS.WriteStream | null = null;
  private gone = false;
  private onGone: (() => void) | null = null;

  constructor(
    private readonly fd: number,
    private readonly open: () => NodeJS.WriteStream,
  ) {}

  /** false while the reader is behind: wait for `drain` on `waitable()`. */
  write(text: string): boolean {
    if (this.gone) return true;
    if (this.stream !== null) return this.stream.write(text);
    const bytes = Buffer.from(text);
    let done = 0;
    try {
      while (done < bytes.length) done += writeSync(this.fd, bytes, done);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') return this.handOver().write(bytes.subarray(done));
      // The reader went away (EPIPE), or there never was one: it has had all it wanted.
      this.lost();
      return true;
    }
  }

  /** What to wait on for `drain` after write() returned false. */
  waitable(): NodeJS.WriteStream {
    return this.handOver();
  }

  /** `handler` runs once the reader is gone. */
  whenGone(handler: () => void): void {
    this.onGone = handler;
  }

  /** Resolves once what was written is out (process.exit() would drop what a stream still holds). */
  flushed(): Promise<void> {
    const { stream } = this;
    return new Promise((resolve) => {
      if (stream === null || stream.writableLength === 0 || stream.destroyed) return resolve();
      stream.once('error', () => resolve());
      stream.write('', () => resolve());
    });
  }

  isTerminal(): boolean {
    return isTerminal(this.fd);
  }

  private handOver(): NodeJS.WriteStream {
    if (this.stream === null) {
      this.stream = this.open();
      this.stream.on('error', () => this.lost());
    }
    return this.stream;
  }

  private lost(): void {
    if (this.gone) return;
    this.gone = true;
    this.onGone?.();
  }
}

export const stdout = new Output(1, () => process.stdout);
export const stderr = new Output(2, () => process.stderr);

export function out(text: string): void {
  stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function err(text: string): void {
  stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Text that is whole lines already (naught logs): written as it is; false while the reader is behind. */
export function outRaw(text: string): boolean {
  return stdout.write(text);
}

/** Text drawn over on a terminal (a progress line), or whole lines already: written as it is, no newline added; false while the reader is behind. */
export function errRaw(text: string): boolean {
  return stderr.write(text);
}

export function printEvent(event: ParentEvent): void {
  err(eventLine(event));
}

/**
 * Prints an event a following command receives, except answers to other
 * clients' requests and the events in `verdicts`, which the command turns into
 * its own closing words.
 */
export function printFollowed(reply: Reply, verdicts: readonly EventName[]): void {
  if (reply.type !== 'event' || ANSWER_EVENTS.has(reply.event) || verdicts.includes(reply.event)) return;
  printEvent(reply);
}
