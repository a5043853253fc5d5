// `naught deploy` on a terminal: one line that counts the new workers online and
// the old ones gone, redrawn as events arrive, then how long the deploy took.
// (Not on a terminal, the command prints 1.x's event lines instead.) Once a canary
// fails, the workers that start are the running release's, and those that go are
// the canary's: the line counts the rollback from there, as such.
import kleur from 'kleur';
import { monotonicMs } from '../host/monotonic.js';
import type { Reply } from '../protocol/messages.js';

export class DeployProgress {
  private readonly started = monotonicMs();
  /** Old workers when the deploy began (online then), known from its first event. */
  private old: number | null = null;
  private spawned = 0;
  private online = 0;
  private retiring = 0;
  private exited = 0;
  /** The progress line is on screen, not yet ended. */
  private drawn = false;
  /** A canary failed: what follows is its rollback. */
  private rollingBack = false;

  constructor(private readonly write: (text: string) => void) {}

  onReply(reply: Reply): void {
    if (reply.type !== 'event') return;
    this.old ??= reply.count.online;
    if (reply.event === 'CanaryFailed') return this.rollBack();
    // A worker started again in place of one that died (a crash loop's restart) is none of the deploy's.
    if (reply.event === 'SpawnNew' && reply.replacement === undefined) this.spawned += 1;
    else if (reply.event === 'NewOnline') this.online += 1;
    else if (reply.event === 'ShutdownOld') this.retiring += 1;
    else if (reply.event === 'OldExit') this.exited += 1;
    else return;
    this.draw();
  }

  /** Prints a message of its own line below the progress line. */
  say(message: string): void {
    this.write(`${this.drawn ? '\n' : ''}${message}\n`);
    this.drawn = false;
  }

  /** How long the deploy has taken: `done in 1.2 s`. */
  elapsed(): string {
    return `${((monotonicMs() - this.started) / 1000).toFixed(1)} s`;
  }

  /** Counts start again: the deploy's own workers are done with. */
  private rollBack(): void {
    this.rollingBack = true;
    this.spawned = this.online = this.retiring = this.exited = 0;
  }

  private draw(): void {
    const part = (label: string, done: number, of: number): string => {
      const text = `${label} ${done}/${of}`;
      return of > 0 && done === of ? kleur.green(text) : text;
    };
    const line = this.rollingBack
      ? // A canary that died has nothing left to retire.
        `rolling back: ${part('workers of the running release online', this.online, this.spawned)}${this.retiring > 0 ? `, ${part('canary workers exited', this.exited, this.retiring)}` : ''}`
      : `deploying: ${part('new workers online', this.online, this.spawned)}, ${part('old workers exited', this.exited, Math.max(this.old ?? 0, this.retiring))}`;
    // Back to the start of the line and clear it: the line is drawn over.
    this.write(`\r\x1b[2K${line}`);
    this.drawn = true;
  }
}
