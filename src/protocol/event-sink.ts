// What reads the events: naught.log, the console, the ipc clients that follow, a Node
// parent, systemd, metrics. The supervisor keeps the list (supervisor/event-sinks.ts);
// the sinks below it in the layers only implement this.
import type { NaughtEvent } from './messages.js';

export interface EventSink {
  /** How naught names it when it cannot close in time. */
  readonly name: string;
  event(event: NaughtEvent): void;
  /** Resolves once everything it was given is out. */
  close(): Promise<void>;
}
