// Where one log stream goes: a rotating file, naught's own console stream, or nowhere.
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { RotatingFile, type Reporter } from './rotating-file.js';

export type LogTarget = { kind: 'file'; path: string } | { kind: 'console' } | { kind: 'none' };

export interface Sink {
  readonly stream: Writable;
  /** Resolves once everything written so far is on disk (or handed to the console). */
  close(): Promise<void>;
}

export async function openSink(
  target: LogTarget,
  consoleStream: Writable,
  maxBytes: number,
  report: Reporter,
): Promise<Sink | null> {
  if (target.kind === 'none') return null;
  if (target.kind === 'console') {
    return {
      stream: consoleStream,
      // naught's own stdout/stderr stay open; only wait for what is buffered.
      close: () => (consoleStream.writableNeedDrain ? new Promise((resolve) => consoleStream.once('drain', resolve)) : Promise.resolve()),
    };
  }
  const file = await RotatingFile.open(target.path, maxBytes, report);
  return {
    stream: file,
    close: async () => {
      file.end();
      await finished(file);
    },
  };
}
