// The JSON form of naught's log (--log-format json): one object per line, for a log
// shipper (Loki, an ELK stack, journald's JSON) to read without parsing 1.x's text.
// An event is the event naught emits, with the time; a notice is a line naught says
// beside the events (a deploy's failure is in its event, `failure`).
import type { NaughtEvent } from './messages.js';

export const LOG_FORMATS = ['text', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** An event, as a line of the JSON log: `time` (ISO 8601, UTC) first. */
export type EventRecord = { time: string } & NaughtEvent;

/** A line naught says beside the events, without its `naught: ` prefix. */
export interface NoticeRecord {
  time: string;
  event: 'Notice';
  message: string;
}

export function eventRecord(event: NaughtEvent, now = new Date()): string {
  return `${JSON.stringify({ time: now.toISOString(), ...event } satisfies EventRecord)}\n`;
}

export function noticeRecord(line: string, now = new Date()): string {
  return `${JSON.stringify({ time: now.toISOString(), event: 'Notice', message: line.replace(/^naught: /, '') } satisfies NoticeRecord)}\n`;
}
