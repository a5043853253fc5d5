// `naught report`, `naught profile` and `naught heap-snapshot`: a file taken from inside a
// live worker (supervisor/examine.ts), written here, as this command's user, to
// --output or to a file in the current directory named for the app, the worker and the
// time. The path is printed. A file that cannot be written is said before anything is
// asked; one that fails part-way is removed.
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { DIAGNOSTICS, type DiagnosticKind } from '../protocol/diagnostics.js';
import { sizeText } from '../protocol/quantities.js';
import { UsageError } from './options.js';
import { OutputFile } from './output-file.js';
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
  const unwritable = canWrite(options.output ?? null);
  if (unwritable !== null) {
    err(`${command}: cannot write ${options.output ?? process.cwd()}: ${unwritable}`);
    return 1;
  }
  const connection = await reach(ipcFile, 1);
  if (typeof connection === 'number') return connection;
  let output = null as OutputFile | null;
  const code = await connection.converse(
    { action: 'examine', kind, worker: number, profileMs: options.seconds ?? 0 },
    (reply) => {
      switch (reply.type) {
        case 'examining': {
          const name = options.output ?? path.resolve(`${reply.app}-worker${number}-${stamp()}.${DIAGNOSTICS[kind].extension}`);
          output = new OutputFile(name, (why) => {
            err(`${command}: cannot write ${name}: ${why}`);
            connection.close();
          });
          if (kind === 'heap-snapshot') err(snapshotWarning(number, reply.pid, reply.memoryBytes));
          return undefined;
        }
        case 'piece':
          // A disk slower than naught holds the pieces back, not this process's memory.
          if (output !== null && !output.stream.write(reply.text)) connection.waitFor(output.stream);
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
      // A file that cannot be written said so already.
      if (!output?.failed) err(`${command}: naught closed the connection before the whole file came`);
      return 1;
    },
  );
  if (code === 0 && output !== null && (await output.close())) {
    out(output.path);
    return 0;
  }
  output?.remove();
  return code === 0 ? 1 : code;
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
