// Where events go: naught.log, the console, the ipc clients that follow, a Node
// parent, systemd. Each is a sink with the same small interface; every event
// reaches all of them, in the order of the list, and each renders it its own way
// from what the event carries (no sink asks the cluster anything).
//
// At exit they are closed in the list's order, each given at most CLOSE_BOUND_MS:
// a console nobody reads (a stopped pager, a full pipe) or a hung socket must not
// keep naught from exiting, and the sinks after it still get their turn.
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventSink } from '../protocol/event-sink.js';
import { eventText } from '../protocol/event-line.js';
import { eventRecord, noticeRecord, type LogFormat } from '../protocol/event-record.js';
import { printable } from '../protocol/printable.js';
import { sendToParent } from './parent.js';


/** How long one sink may take to close at exit. */
export const CLOSE_BOUND_MS = 2000;

/** What a log sink writes of a notice, a line naught says beside the events (on that one line, whatever it quotes). */
export function noticeText(format: LogFormat, line: string): string {
  return format === 'json' ? noticeRecord(line) : `${printable(line)}\n`;
}

/** A log sink: for people, the 1.x line of each event and what it says beyond the counts; or a JSON object a line. */
export function logSink(name: string, format: LogFormat, write: (text: string) => void, close: () => Promise<void>): EventSink & { say(line: string): void } {
  return {
    name,
    event: (event) => write(format === 'json' ? eventRecord(event) : eventText(event)),
    say: (line) => write(noticeText(format, line)),
    close,
  };
}

/** The Node process that forked naught with an IPC channel gets 1.x's event objects. */
export const parentSink: EventSink = {
  name: 'the parent process',
  event: ({ event, count, waitingFor, crashLoops }) => sendToParent({ event, count, waitingFor, ...(crashLoops === undefined ? {} : { crashLoops }) }),
  close: async () => {},
};

/** Closes the sinks one after the other; one that takes longer than `boundMs` is left behind, and said so. */
export async function closeSinks(sinks: readonly EventSink[], report: (message: string) => void, boundMs = CLOSE_BOUND_MS): Promise<void> {
  for (const sink of sinks) {
    const deadline = new AbortController();
    const closed = await Promise.race([
      sink.close().then(() => true, () => true),
      sleep(boundMs, false, { signal: deadline.signal }).catch(() => false),
    ]);
    deadline.abort();
    if (!closed) report(`naught: ${sink.name} did not finish within ${boundMs / 1000} s; exiting without it`);
  }
}
