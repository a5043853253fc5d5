// What naught takes from inside its workers, through each one's inspector
// (worker-inspector.ts): the stack of one found hung, before it is killed, and on
// request a report, a CPU profile or a heap snapshot of a live one, one at a time per
// worker. The primary says which worker is which; this keeps what each one's stderr
// tells and which of them is being examined.
import type { WorkerStderr } from '../log/worker-stderr.js';
import type { InspectorSession } from '../host/inspector-client.js';
import { DIAGNOSTICS, type DiagnosticKind, type HangStack } from '../protocol/diagnostics.js';
import { closeInspector, openInspector, takeHeapSnapshot, takeProfile, takeReport, takeStack } from './worker-inspector.js';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';

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
   * alone, before a heap snapshot's file is passed on.
   */
  async examine(id: number, pid: number, examination: Examination, done: () => void): Promise<void> {
    this.busy.set(id, examination.kind);
    let session: InspectorSession | null = null;
    let snapshot: string | null = null;
    try {
      examination.begin(pid);
      session = await openInspector(pid, this.stderrOf(id));
      if (examination.kind === 'heap-snapshot') {
        snapshot = path.join(await mkdtemp(path.join(tmpdir(), 'naught-')), `worker.${DIAGNOSTICS['heap-snapshot'].extension}`);
        await takeHeapSnapshot(session, snapshot);
      }
      const text = examination.kind === 'report' ? await takeReport(session) : examination.kind === 'profile' ? await takeProfile(session, examination.seconds, examination.signal) : null;
      await closeInspector(session);
      session = null;
      this.busy.delete(id);
      done();
      if (text !== null) for (let at = 0; at < text.length && !examination.signal.aborted; at += PIECE_CHARS) await examination.write(text.slice(at, at + PIECE_CHARS));
      if (snapshot !== null) await passOn(snapshot, examination);
    } finally {
      session?.close();
      this.busy.delete(id);
      if (snapshot !== null) await rm(path.dirname(snapshot), { recursive: true, force: true });
    }
  }
}

/** A file's text, piece by piece, at its reader's pace. */
async function passOn(file: string, { write, signal }: Examination): Promise<void> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of createReadStream(file, { highWaterMark: PIECE_CHARS, signal })) {
    const text = decoder.write(chunk as Buffer);
    if (text !== '') await write(text);
  }
}
