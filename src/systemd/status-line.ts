// The one-line STATUS= that `systemctl status` shows, for each state of the cluster.
import { crashLoopText } from '../protocol/event-line.js';
import type { NaughtEvent } from '../protocol/messages.js';

function workers(count: number, kind = 'worker'): string {
  return `${count} ${kind}${count === 1 ? '' : 's'}`;
}

/** `failure` says why the last deploy failed; it is read when the event is DeployFailed. */
export function statusLine(event: NaughtEvent, failure: string | null): string {
  return [countsStatus(event, failure), ...(event.crashLoops ?? []).map(crashLoopText)].join('; ');
}

function countsStatus({ event, count, waitingFor }: NaughtEvent, failure: string | null): string {
  const all = count.booting + count.online + count.dying + count.new_online;
  if (event === 'Bootup') return 'starting';
  if (event === 'Shutdown') return 'stopped';
  if (event === 'DeployFailed') return `deploy failed: ${failure ?? 'unknown reason'}; ${workers(count.online, 'old worker')} serving`;
  if (waitingFor === 'shutdown') return `stopping: ${workers(all)} left`;
  const coming = count.new_online + count.booting;
  // The first boot is a deploy with no old workers; only a real deploy has old ones.
  if (waitingFor === 'new' && count.online + count.dying === 0) return `starting: ${count.new_online}/${coming} workers online`;
  if (waitingFor === 'new') return `deploying: ${count.new_online}/${coming} new online, ${workers(count.online, 'old worker')} serving`;
  if (waitingFor === 'old') return `deploying: ${count.new_online} new online, ${workers(count.dying, 'old worker')} shutting down`;
  const starting = count.booting > 0 ? `, ${count.booting} starting` : '';
  return `${workers(count.online)} online${starting}`;
}
