// What reads the events: naught.log, the console, the ipc clients that follow, a Node
// parent, systemd, metrics. The supervisor keeps the list (supervisor/event-bus.ts);
// the sinks below it in the layers only implement this.
import type { NaughtEvent } from './messages.js';

export interface EventSink {
  /** How naught names it when it cannot close in time. */
  readonly name: string;
  event(event: NaughtEvent): void;
  /** A line for the operator beside the events, for the sinks people read (naught.log, the console). */
  say?(line: string): void;
  /** Resolves once everything it was given is out. */
  close(): Promise<void>;
}
