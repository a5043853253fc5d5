// Where every event goes: the sinks in the order they were opened (the ipc clients,
// naught.log, the parent, systemd, metrics) and the console, which may be slow, last.
// Every event reaches all of them, in that order.
//
// At exit they are closed in the same order, each given at most CLOSE_BOUND_MS: a
// console nobody reads (a stopped pager, a full pipe) or a hung socket must not keep
// naught from exiting, and the sinks after it still get their turn.
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventSink } from '../protocol/event-sink.js';
import type { NaughtEvent } from '../protocol/messages.js';

/** How long one sink may take to close at exit. */
export const CLOSE_BOUND_MS = 2000;

export class EventBus {
  readonly #sinks: EventSink[] = [];

  constructor(
    /** Always last, whatever is added after it. */
    private readonly console: EventSink | null,
  ) {}

  add(sink: EventSink): void {
    this.#sinks.push(sink);
  }

  emit(event: NaughtEvent): void {
    for (const sink of this.all()) sink.event(event);
  }

  /** A line for the operator beside the events, where they are read. */
  say(line: string): void {
    for (const sink of this.all()) sink.say?.(line);
  }

  /** Events no longer go to `sink`, which is closed. */
  async drop(sink: EventSink): Promise<void> {
    const at = this.#sinks.indexOf(sink);
    if (at === -1) return;
    this.#sinks.splice(at, 1);
    await sink.close();
  }

  /** Closes every sink, one after the other; one that takes longer than `boundMs` is left behind, and said so. */
  async close(report: (message: string) => void, boundMs = CLOSE_BOUND_MS): Promise<void> {
    for (const sink of [...this.all()]) {
      const deadline = new AbortController();
      const closed = await Promise.race([
        sink.close().then(() => true, () => true),
        sleep(boundMs, false, { signal: deadline.signal }).catch(() => false),
      ]);
      deadline.abort();
      if (!closed) report(`naught: ${sink.name} did not finish within ${boundMs / 1000} s; exiting without it`);
    }
  }

  private all(): EventSink[] {
    return this.console === null ? this.#sinks : [...this.#sinks, this.console];
  }
}
