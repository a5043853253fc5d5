// The sinks the supervisor makes itself: naught.log and the console (log sinks), and
// the Node parent. Each renders an event its own way from what it carries (no sink asks
// the cluster anything); the bus (event-bus.ts) gives every event to all of them.
import type { Console } from '../log/console.js';
import type { EventSink } from '../protocol/event-sink.js';
import { eventText } from '../protocol/event-line.js';
import { eventRecord, noticeRecord, type LogFormat } from '../protocol/event-record.js';
import { printable } from '../protocol/printable.js';
import { sendToParent } from './parent.js';

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

/** naught's console: events as they happen on its stderr; closed once both consoles have written what they hold. */
export function consoleSink(consoles: { stdout: Console; stderr: Console }, format: LogFormat): EventSink {
  const flushed = (): Promise<void> => Promise.all([consoles.stdout.below(0), consoles.stderr.below(0)]).then(() => {});
  return logSink('the console', format, (text) => consoles.stderr.write(text), flushed);
}
