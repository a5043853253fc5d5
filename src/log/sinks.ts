// Where one log stream goes: a rotating file (in the foreground also copied to
// naught's console), naught's console only, or nowhere.
//
//   target      foreground            daemon
//   a file      the file + console    the file
//   -           console only          refused (a daemon has no console)
//   /dev/null   nowhere               nowhere
//
// The file is lossless: a worker that writes faster than the disk waits (its pipe
// is paused). The console copy of a file-backed stream never makes anyone wait; it
// drops lines when far behind and says so (see console.ts). A console-only stream
// has no other copy, so there the worker waits for the console instead.
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Console } from './console.js';
import { RotatingFile, type FileOptions } from './rotating-file.js';

export type LogTarget = { kind: 'file'; path: string } | { kind: 'console' } | { kind: 'none' };

export interface Sink {
  /** Takes whole lines. */
  readonly stream: Writable;
  /** Resolves once everything written so far is on disk; the console is drained by its own sink, within a bound. */
  close(): Promise<void>;
  /** Opens the file again by its path (after an external rotation); a no-op without a file. */
  reopen(): void;
  /** A file's: see RotatingFile.watchFiles. */
  watchFiles?: RotatingFile['watchFiles'];
}

/** Bytes a console-only stream may have waiting before its writer is paused. */
const CONSOLE_ONLY_WAIT_BYTES = 64 * 1024;

export async function openSink(target: LogTarget, console: Console | null, file: FileOptions): Promise<Sink | null> {
  if (target.kind === 'none' || (target.kind === 'console' && console === null)) return null;
  if (target.kind === 'console') {
    const only = console!;
    return {
      stream: new Writable({
        write(chunk: Buffer, _encoding, callback) {
          only.write(chunk);
          only.below(CONSOLE_ONLY_WAIT_BYTES).then(() => callback());
        },
      }),
      close: async () => {},
      reopen: () => {},
    };
  }
  const rotating = await RotatingFile.open(target.path, file);
  const stream =
    console === null
      ? rotating
      : new Writable({
          write(chunk: Buffer, _encoding, callback) {
            console.offer(chunk);
            if (rotating.write(chunk)) callback();
            else rotating.once('drain', () => callback());
          },
        });
  return {
    stream,
    close: async () => {
      rotating.end();
      await finished(rotating);
    },
    reopen: () => rotating.reopen(),
    watchFiles: (watcher) => rotating.watchFiles(watcher),
  };
}
