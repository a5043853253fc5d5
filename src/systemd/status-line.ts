// The one-line STATUS= that `systemctl status` shows, for each state of the cluster.
// One line it must stay: sd_notify's assignments are separated by newlines.
import { crashLoopText } from '../protocol/event-line.js';
import type { NaughtEvent } from '../protocol/messages.js';
import { printable } from '../protocol/printable.js';
import { durationText } from '../protocol/quantities.js';

function workers(count: number, kind = 'worker'): string {
  return `${count} ${kind}${count === 1 ? '' : 's'}`;
}

export function statusLine(event: NaughtEvent): string {
  return [countsStatus(event), ...(event.crashLoops ?? []).map(crashLoopText)].join('; ');
}

function countsStatus({ event, count, waitingFor, operation, failure, canary }: NaughtEvent): string {
  const all = count.booting + count.online + count.dying + count.new_online;
  if (event === 'Bootup') return 'starting';
  if (event === 'CanaryStart' && canary !== undefined) return `deploying: canary (${canary.workers.length === 1 ? 'worker' : 'workers'} ${canary.workers}) judged for ${durationText(canary.windowMs)} beside ${workers(canary.old, 'old worker')}`;
  if (event === 'CanaryFailed') return `deploying: canary failed (${printable(failure ?? 'unknown reason')}); rolling back`;
  if (event === 'Shutdown') return 'stopped';
  if (event === 'DeployFailed') return `deploy failed: ${printable(failure ?? 'unknown reason')}; ${workers(count.online, 'old worker')} serving`;
  if (waitingFor === 'shutdown') return `stopping: ${workers(all)} left`;
  const coming = count.new_online + count.booting;
  if (waitingFor === 'new' && operation?.kind === 'boot') return `starting: ${count.new_online}/${coming} workers online`;
  if (waitingFor === 'new') return `deploying: ${count.new_online}/${coming} new online, ${workers(count.online, 'old worker')} serving`;
  if (waitingFor === 'old') return `deploying: ${count.new_online} new online, ${workers(count.dying, 'old worker')} shutting down`;
  const starting = count.booting > 0 ? `, ${count.booting} starting` : '';
  return `${workers(count.online)} online${starting}`;
}
