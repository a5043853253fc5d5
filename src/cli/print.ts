// Everything the CLI prints goes through here: results on stdout, events and
// messages on stderr, as naught 1.x did.
import { eventLine } from '../protocol/event-line.js';
import type { NaughtEvent } from '../protocol/messages.js';

export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function err(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function printEvent(event: NaughtEvent): void {
  err(eventLine(event));
}
