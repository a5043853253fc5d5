// The text forms that scripts parse: keep every word and count exactly as naught 1.x wrote them.
import type { Counts, CrashLoop, NaughtEvent } from './messages.js';

export function countsLine(count: Counts): string {
  return `booting: ${count.booting}, online: ${count.online}, dying: ${count.dying}, new_online: ${count.new_online}`;
}

/** `<Event>. booting: B, online: O, dying: D, new_online: N` */
export function eventLine(event: NaughtEvent): string {
  return `${event.event}. ${countsLine(event.count)}`;
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

function countsText({ count, waitingFor }: NaughtEvent): string {
  const counts = countsLine(count);
  if (waitingFor === 'shutdown') return `shutting down\n${counts}\n`;
  // The first boot is a deploy with no old workers; only a real deploy has old ones.
  if (waitingFor !== null && count.online + count.dying > 0) return `deploy in progress\n${counts}\n`;
  if (waitingFor !== null || count.booting > 0) return `booting\n${counts}\n`;
  return `workers online: ${count.online}\n`;
}
