// `naught report`, `naught profile` and `naught heap-snapshot`: a file taken from inside a
// live worker (supervisor/examine.ts), written here, as this command's user, to
// --output or to a file in the current directory named for the app, the worker and the
// time. The path is printed. A file that cannot be written is said before anything is
// asked; one that fails part-way is removed.
import { accessSync, constants, createWriteStream, rmSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { DIAGNOSTICS, type DiagnosticKind } from '../protocol/diagnostics.js';
import { sizeText } from '../protocol/quantities.js';
import { UsageError } from './options.js';
import { err, out } from './print.js';
import { reach } from './reach.js';

export interface ExamineOptions {
  output: string | undefined;
  /** A profile's length, in milliseconds. */
  seconds?: number;
}

export async function examine(kind: DiagnosticKind, worker: string | undefined, ipcFile: string, options: ExamineOptions): Promise<number> {
  const number = workerNumber(worker);
  const command = `naught ${kind}`;
  const where = options.output ?? process.cwd();
  const writable = canWrite(options.output ?? null);
  if (writable !== null) {
    err(`${command}: cannot write ${where}: ${writable}`);
    return 1;
  }
  const connection = await reach(ipcFile, 1);
  if (typeof connection === 'number') return connection;
  let file: { path: string; stream: WriteStream } | null = null;
  const removeFile = (): void => {
    if (file === null) return;
    file.stream.destroy();
    rmSync(file.path, { force: true });
  };
  const code = await connection.converse(
    { action: 'examine', kind, worker: number, profileMs: options.seconds ?? 0 },
    (reply) => {
      switch (reply.type) {
        case 'examining': {
          const name = options.output ?? path.resolve(`${reply.app}-worker${number}-${stamp()}.${DIAGNOSTICS[kind].extension}`);
          file = { path: name, stream: createWriteStream(name) };
          file.stream.on('error', (error) => {
            err(`${command}: cannot write ${name}: ${error.message}`);
            connection.close();
          });
          if (kind === 'heap-snapshot') err(snapshotWarning(number, reply.pid, reply.memoryBytes));
          return undefined;
        }
        case 'piece':
          // A disk slower than naught holds the pieces back, not this process's memory.
          if (file !== null && !file.stream.write(reply.text)) connection.waitFor(file.stream);
          return undefined;
        case 'examined':
          return 0;
        case 'error':
          err(`${command}: ${reply.message}`);
          return 1;
        default:
          return undefined;
      }
    },
    () => {
      err(`${command}: naught closed the connection before the whole file came`);
      return 1;
    },
  );
  if (code !== 0 || file === null) {
    removeFile();
    return code === 0 ? 1 : code;
  }
  const written = file as { path: string; stream: WriteStream };
  const ok = await new Promise<boolean>((resolve) => {
    written.stream.once('error', () => resolve(false));
    written.stream.end(() => resolve(true));
  });
  if (!ok) {
    removeFile();
    return 1;
  }
  out(written.path);
  return 0;
}

function workerNumber(given: string | undefined): number {
  if (given === undefined) throw new UsageError('which worker? give its number (NAUGHT_WORKER, as naught status shows it), e.g. 0');
  if (!/^\d{1,4}$/.test(given)) throw new UsageError(`a worker is named by its number (0, 1, …), not '${given}'`);
  return Number(given);
}

/** Why `output` (or a new file in the current directory) cannot be written, or null. */
function canWrite(output: string | null): string | null {
  try {
    accessSync(output === null ? process.cwd() : path.dirname(output), constants.W_OK);
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : (error as Error).message;
  }
}

/** 20261207-021502: the local time, as a file name sorts it. */
function stamp(now = new Date()): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${now.getFullYear()}${two(now.getMonth() + 1)}${two(now.getDate())}-${two(now.getHours())}${two(now.getMinutes())}${two(now.getSeconds())}`;
}

function snapshotWarning(worker: number, pid: number, memoryBytes: number | null): string {
  const size = memoryBytes === null ? '' : `, ${sizeText(memoryBytes)} resident`;
  return `naught heap-snapshot: worker ${worker} (pid ${pid}${size}) stops serving while V8 writes its heap out, seconds for every 100 MB of it, and needs 3 to 5 times its heap more memory meanwhile (docs/diagnostics.md)`;
}
