// What naught needs of one worker's stderr beside its log file: the last lines it wrote
// (said when it dies), and the address of node's inspector, which node writes there
// when naught opens it (cluster/worker-inspector.ts). That address is a secret (whoever
// has it can run code in the worker), so from then on node's inspector lines go to
// naught alone, never to the log.
import { lastLines, STDERR_LINE_CHARS, STDERR_TAIL_LINES } from '../protocol/diagnostics.js';

/** The most of a piece's last lines kept: each line is said cut to STDERR_LINE_CHARS anyway (4 bytes a character at most). */
const TAIL_BYTES = STDERR_TAIL_LINES * STDERR_LINE_CHARS * 4;

/** What node writes to stderr about its inspector (src/inspector_socket_server.cc, inspector_agent.cc). */
const INSPECTOR_LINE = /^(Debugger listening on ws:\/\/\S+|For help, see: https:\/\/nodejs\.org\/\S*|Debugger attached\.|Debugger ending on ws:\/\/\S+|Waiting for the debugger to disconnect\.\.\.)$/;
const LISTENING = /^Debugger listening on (ws:\/\/\S+)$/m;

export class WorkerStderr {
  /** Copies of the last lines of the last pieces, as many pieces as hold STDERR_TAIL_LINES lines. */
  private readonly tail: Array<{ text: Buffer; lines: number }> = [];
  private tailLines = 0;
  /** Set once naught opens the inspector: its lines are taken out. */
  private hiding = false;
  private awaiting: ((url: string) => void) | null = null;
  private resolveEnded!: () => void;
  /** Resolves when the worker's stderr has ended and every line is in. */
  readonly ended = new Promise<void>((resolve) => (this.resolveEnded = resolve));

  /** Sees each piece of whole lines on its way to the log; gives what goes on. */
  see(lines: Buffer): Buffer {
    const kept = this.hiding ? this.takeInspectorLines(lines) : lines;
    if (kept.length > 0) this.remember(kept);
    return kept;
  }

  end(): void {
    this.resolveEnded();
  }

  /** The last lines it wrote (diagnostics.ts bounds them). */
  lastLines(): string[] {
    return lastLines(Buffer.concat(this.tail.map(({ text }) => text)).toString('utf8'));
  }

  /** Copies the last STDERR_TAIL_LINES lines of `piece` (whole lines), at most TAIL_BYTES of them: a copy holds no pipe buffer. */
  private remember(piece: Buffer): void {
    let before = piece.length - 1;
    let lines = 0;
    while (lines < STDERR_TAIL_LINES && before >= 0) {
      before = before === 0 ? -1 : piece.lastIndexOf(10, before - 1);
      lines += 1;
    }
    this.tail.push({ text: Buffer.from(piece.subarray(Math.max(before + 1, piece.length - TAIL_BYTES))), lines });
    this.tailLines += lines;
    while (this.tailLines - this.tail[0]!.lines >= STDERR_TAIL_LINES) this.tailLines -= this.tail.shift()!.lines;
  }

  /** Resolves with the inspector's address the next time node says it; from now on node's inspector lines are naught's. */
  inspectorAddress(): Promise<string> {
    this.hiding = true;
    return new Promise((resolve) => (this.awaiting = resolve));
  }

  private takeInspectorLines(lines: Buffer): Buffer {
    const text = lines.toString('utf8');
    const listening = LISTENING.exec(text);
    if (listening !== null && this.awaiting !== null) {
      this.awaiting(listening[1]!);
      this.awaiting = null;
    }
    const kept = text.split('\n').filter((line, index, all) => (index === all.length - 1 ? line !== '' : !INSPECTOR_LINE.test(line)));
    return Buffer.from(kept.length === 0 ? '' : `${kept.join('\n')}\n`);
  }
}
