// The text forms that scripts parse: keep every word and count exactly as naught 1.x wrote them.
import type { Counts, CrashLoop, NaughtEvent, ParentEvent } from './messages.js';
import { frameText, hungWhere, NOTICE_FRAMES, type HangStack } from './diagnostics.js';
import { printable } from './printable.js';
import { durationText } from './quantities.js';

export function countsLine(count: Counts): string {
  return `booting: ${count.booting}, online: ${count.online}, dying: ${count.dying}, new_online: ${count.new_online}`;
}

/** `<Event>. booting: B, online: O, dying: D, new_online: N` */
export function eventLine(event: Pick<ParentEvent, 'event' | 'count'>): string {
  return `${event.event}. ${countsLine(event.count)}`;
}

/**
 * What naught.log and the console say of one event: its 1.x line, then, for an
 * operator, why a deploy failed, why a worker is replaced or killed, and a crash loop
 * that a death began or goes on. What others wrote (an error, a path) stays on its line.
 */
export function eventText(event: NaughtEvent): string {
  let text = `${eventLine(event)}\n`;
  if (event.event === 'DeployFailed' && event.failure !== undefined) text += `naught: deploy failed: ${printable(event.failure)}\n`;
  if (event.health !== undefined && event.worker !== undefined) {
    const { reason, retiring } = event.health;
    const action = reason !== 'hang' ? 'replacing it, online first' : retiring ? 'killed (it was being retired)' : 'killed, and replaced';
    const hung = event.stack === undefined ? null : hungWhere(event.stack);
    text += `naught: worker ${event.worker}${hung === null ? '' : ` ${hung}:`} ${printable(event.health.detail)}; ${action}\n`;
    if (event.stack !== undefined) text += stackText(event.stack);
  }
  if (event.death !== undefined && event.worker !== undefined) text += deathText(event.worker, event.death);
  if (event.fault !== undefined && event.worker !== undefined) text += `naught: worker ${event.worker} ${printable(event.fault)}; killed\n`;
  const canary = canaryText(event);
  if (canary !== null) text += `naught: ${canary}\n`;
  if (event.restart !== undefined && event.worker !== undefined) {
    const { crashes, inMs } = event.restart;
    text += `naught: ${crashLoopText({ worker: event.worker, crashes, restartInMs: inMs })} (${crashes} deaths in a row)\n`;
  }
  return text;
}

/** Under a hung worker's line: the next frames of its stack and where its report is, or why naught has no stack. */
function stackText(stack: HangStack): string {
  if ('missing' in stack) return `naught:   no stack: ${printable(stack.missing)}\n`;
  const frames = stack.frames.slice(1, NOTICE_FRAMES).map((frame) => `naught:   at ${frameText(frame)}\n`);
  return frames.join('') + (stack.report === null ? '' : `naught:   its report: ${printable(stack.report)}\n`);
}

/** `worker 1 exited with code 1`, and the last lines it wrote to stderr, each marked as the worker's. */
function deathText(worker: number, { exit, stderr }: { exit: string; stderr: string[] }): string {
  return `naught: worker ${worker} ${printable(exit)}${lastLinesText(stderr, 'naught: ')}\n`;
}

/** `; its last lines on stderr:` and, each on its own line after `prefix`, `  | <line>`; nothing without lines. */
export function lastLinesText(stderr: string[], prefix: string): string {
  if (stderr.length === 0) return '';
  return `; its last lines on stderr:${stderr.map((line) => `\n${prefix}  | ${printable(line)}`).join('')}`;
}

/** What a canary event says, in one line: `canary failed: canary worker 0 answered 48% 5xx (old workers 0.0%) over 10 s; rolling back`. */
export function canaryText({ event, canary, verdict, failure }: NaughtEvent): string | null {
  if (event === 'CanaryStart' && canary !== undefined) {
    const which = canary.workers.length === 1 ? `worker ${canary.workers} serves` : `workers ${canary.workers} serve`;
    return `canary: ${which} the new release beside ${canary.old} old for ${durationText(canary.windowMs)}`;
  }
  if (event === 'CanaryPassed' && verdict !== undefined) return `canary passed: ${printable(verdict.text)}`;
  if (event === 'CanaryFailed' && failure !== undefined) return `canary failed: ${printable(failure)}; rolling back`;
  return null;
}

/** `worker 2 crash-looping, next restart in 8 s` */
export function crashLoopText({ worker, restartInMs }: CrashLoop): string {
  const next = restartInMs === null ? 'starting again now' : `next restart in ${Math.ceil(restartInMs / 1000)} s`;
  return `worker ${worker} crash-looping, ${next}`;
}

/** What `naught status` (and `naught start` when one is running) prints: the 1.x lines, then one line per crash loop. */
export function statusText(event: NaughtEvent): string {
  return countsText(event) + (event.crashLoops ?? []).map((loop) => `${crashLoopText(loop)}\n`).join('');
}

function countsText({ count, operation }: NaughtEvent): string {
  const counts = countsLine(count);
  if (operation?.kind === 'stop') return `shutting down\n${counts}\n`;
  if (operation?.kind === 'deploy') return `deploy in progress\n${counts}\n`;
  // Outside an operation, a worker restarting after a crash boots too.
  if (operation?.kind === 'boot' || count.booting > 0) return `booting\n${counts}\n`;
  return `workers online: ${count.online}\n`;
}
