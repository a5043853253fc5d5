// What naught learns from inside a worker: the JavaScript stack of one that hangs, the
// last lines of one that died, and the files `naught report`, `profile` and
// `heap-snapshot` take. All of it comes from the worker, which may be hostile: each
// piece is checked and bounded here before naught says or keeps it.
import { printable } from './printable.js';

/** One JavaScript frame: function (empty for an anonymous one), file, line and column from 1. */
export interface StackFrame {
  fn: string;
  file: string;
  line: number;
  column: number;
}

/** What naught took of a hung worker before killing it: its frames and where the whole report went, or why there is none. */
export type HangStack = { frames: StackFrame[]; report: string | null } | { missing: string };

/** The frames naught keeps and says: the innermost ones. */
export const MAX_FRAMES = 20;
/** The frames a notice names. */
export const NOTICE_FRAMES = 5;
/** The last lines of a dead worker's stderr naught keeps, and how much of each. */
export const STDERR_TAIL_LINES = 20;
export const STDERR_LINE_CHARS = 500;

/** The three files naught takes of a live worker on demand. */
export const DIAGNOSTICS = {
  report: { extension: 'json', what: 'a diagnostic report' },
  profile: { extension: 'cpuprofile', what: 'a CPU profile' },
  'heap-snapshot': { extension: 'heapsnapshot', what: 'a heap snapshot' },
} as const;
export type DiagnosticKind = keyof typeof DIAGNOSTICS;

/** The shortest CPU profile: V8 samples every millisecond. */
export const MIN_PROFILE_SECONDS = 0.1;

const text = (value: unknown, chars: number): string | null => (typeof value === 'string' ? value.slice(0, chars) : null);
const position = (value: unknown): number | null => (Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : null);

/** The frames a worker gave, as far as they are frames; the innermost MAX_FRAMES. */
export function parseFrames(value: unknown): StackFrame[] {
  if (!Array.isArray(value)) return [];
  const frames: StackFrame[] = [];
  for (const item of value.slice(0, MAX_FRAMES)) {
    if (typeof item !== 'object' || item === null) break;
    const { fn, file, line, column } = item as Record<string, unknown>;
    const frame = { fn: text(fn ?? '', 200), file: text(file ?? '', 1000), line: position(line), column: position(column) };
    if (frame.fn === null || frame.file === null || frame.line === null || frame.column === null) break;
    frames.push(frame as StackFrame);
  }
  return frames;
}

/** `spinForever (/srv/app/server.js:12:9)`, as node writes a frame, on one line; `wait (native)` for V8's own. */
export function frameText({ fn, file, line, column }: StackFrame): string {
  const where = file === '' && line === 0 ? 'native' : `${printable(file === '' ? '<anonymous>' : file)}:${line}:${column}`;
  return fn === '' ? where : `${printable(fn)} (${where})`;
}

/** Where a hung worker's JavaScript was: `hung in spinForever (/srv/app/server.js:12:9)`, `hung at /srv/app/server.js:3:5` (an anonymous function); null without a frame. */
export function hungWhere(stack: HangStack): string | null {
  if ('missing' in stack) return null;
  const [top] = stack.frames;
  if (top === undefined) return null;
  return top.fn === '' ? `hung at ${frameText(top)}` : `hung in ${frameText(top)}`;
}

/** The last lines of `text`, at most STDERR_TAIL_LINES, each cut to STDERR_LINE_CHARS. */
export function lastLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.slice(-STDERR_TAIL_LINES).map((line) => line.slice(0, STDERR_LINE_CHARS));
}
