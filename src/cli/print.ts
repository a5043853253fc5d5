// Everything the CLI prints goes through here: results on stdout, events and
// messages on stderr, as naught 1.x did.
import { eventLine } from '../protocol/event-line.js';
import { ANSWER_EVENTS, type EventName, type ParentEvent, type Reply } from '../protocol/messages.js';

export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function err(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Text that is whole lines already (naught logs): written as it is; false while the reader is behind. */
export function outRaw(text: string): boolean {
  return process.stdout.write(text);
}

/** Text drawn over on a terminal (a progress line), or whole lines already: written as it is, no newline added; false while the reader is behind. */
export function errRaw(text: string): boolean {
  return process.stderr.write(text);
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
