// What naught takes from inside its workers, through each one's inspector
// (worker-inspector.ts): the stack of one found hung, before it is killed, and on
// request a report, a CPU profile or a heap snapshot of a live one, one at a time per
// worker. The primary says which worker is which; this keeps what each one's stderr
// tells and which of them is being examined.
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { InspectorSession } from '../host/inspector-client.js';
import type { WorkerStderr } from '../log/worker-stderr.js';
import { DIAGNOSTICS, type DiagnosticKind, type HangStack } from '../protocol/diagnostics.js';
import { closeInspector, openInspector, takeHeapSnapshot, takeProfile, takeReport, takeStack } from './worker-inspector.js';

/** What one examination asks, and where its content goes, piece by piece, each once its reader took the last. */
export interface Examination {
  kind: DiagnosticKind;
  /** A CPU profile's length. */
  seconds: number;
  write(piece: string): Promise<void>;
  /** Called once the worker was found, before anything is taken. */
  begin(pid: number): void;
  /** Aborts when the reader is gone: a profile ends early, the rest is dropped. */
  signal: AbortSignal;
}

/** How much of the content one piece carries: its JSON stays under the ipc socket's message limit. */
const PIECE_CHARS = 64 * 1024;

export class WorkerDiagnostics {
  private readonly stderrs = new Map<number, WorkerStderr>();
  /** The workers being examined, and what is taken of each. */
  private readonly busy = new Map<number, DiagnosticKind | 'stack'>();

  constructor(
    /** Keeps a hung worker's report (a file naught owns), and says where; null when it could not. */
    private readonly keepReport: (number: number, report: string) => string | null,
  ) {}

  /** Worker `id` started; naught reads its stderr through `stderr` (null: naught reads none). */
  attach(id: number, stderr: WorkerStderr | null): void {
    if (stderr !== null) this.stderrs.set(id, stderr);
  }

  forget(id: number): void {
    this.stderrs.delete(id);
  }

  stderrOf(id: number): WorkerStderr | null {
    return this.stderrs.get(id) ?? null;
  }

  /**
   * The stack of hung worker `id` (pid, NAUGHT_WORKER `number`) with its report kept, or
   * why there is none. Never rejects; the machine waits for it no longer than STACK_WAIT_MS,
   * then kills the worker, which ends the session.
   */
  async stackOf(id: number, pid: number, number: number): Promise<HangStack> {
    this.busy.set(id, 'stack');
    let session: InspectorSession | null = null;
    try {
      session = await openInspector(pid, this.stderrOf(id));
      const { frames, report } = await takeStack(session);
      return { frames, report: this.keepReport(number, report) };
    } catch (error) {
      return { missing: (error as Error).message };
    } finally {
      // The worker is killed next; its inspector goes with it.
      session?.close();
      this.busy.delete(id);
    }
  }

  /** What worker `id` is busy with, in words that follow `worker N is busy`, or null. */
  busyWith(id: number): string | null {
    const kind = this.busy.get(id);
    if (kind === undefined) return null;
    return kind === 'stack' ? 'naught takes its stack before killing it' : `naught takes ${DIAGNOSTICS[kind].what} of it`;
  }

  /**
   * Takes what `examination` asks of live worker `id` and passes it on; throws why
   * not, in words that follow `worker N`. `done` is called once the worker is left
   * alone, before what was taken is passed on.
   */
  async examine(id: number, pid: number, examination: Examination, done: () => void): Promise<void> {
    this.busy.set(id, examination.kind);
    // A heap snapshot goes to a file first: naught's own, in a directory only its user may enter.
    const scratch = examination.kind === 'heap-snapshot' ? await mkdtemp(path.join(tmpdir(), 'naught-')) : null;
    try {
      examination.begin(pid);
      const taken = await this.take(id, pid, examination, scratch);
      this.busy.delete(id);
      done();
      await passOn(taken, examination);
    } finally {
      this.busy.delete(id);
      if (scratch !== null) await rm(scratch, { recursive: true, force: true });
    }
  }

  /** Opens the worker's inspector, takes what is asked, and closes it again: the text, or the file it is in. */
  private async take(id: number, pid: number, { kind, seconds, signal }: Examination, scratch: string | null): Promise<Taken> {
    const session = await openInspector(pid, this.stderrOf(id));
    try {
      let taken: Taken;
      if (kind === 'heap-snapshot') {
        taken = { file: path.join(scratch!, `worker.${DIAGNOSTICS[kind].extension}`) };
        await takeHeapSnapshot(session, taken.file);
      } else {
        taken = { text: kind === 'report' ? await takeReport(session) : await takeProfile(session, seconds, signal) };
      }
      await closeInspector(session);
      return taken;
    } finally {
      session.close();
    }
  }
}

type Taken = { text: string } | { file: string };

/** What was taken, piece by piece, each once the reader took the last. */
async function passOn(taken: Taken, { write, signal }: Examination): Promise<void> {
  if ('text' in taken) {
    for (let at = 0; at < taken.text.length && !signal.aborted; at += PIECE_CHARS) await write(taken.text.slice(at, at + PIECE_CHARS));
    return;
  }
  const decoder = new StringDecoder('utf8');
  for await (const chunk of createReadStream(taken.file, { highWaterMark: PIECE_CHARS, signal })) {
    const text = decoder.write(chunk as Buffer);
    if (text !== '') await write(text);
  }
}
