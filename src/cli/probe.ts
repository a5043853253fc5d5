import type { NaughtEvent } from '../protocol/messages.js';

/**
 * What a container orchestrator asks of naught (`naught status --probe`): readiness, whether
 * to send it traffic; liveness, whether restarting the container could help.
 */
export const PROBES = ['none', 'readiness', 'liveness'] as const;
export type Probe = (typeof PROBES)[number];

/** Why the probe fails on this status, or null when it passes. */
export function probeFailure(probe: Probe, { count, operation, crashLoops = [] }: NaughtEvent): string | null {
  // Old workers serve through a deploy (count.online), new ones once they are online.
  const serving = count.online + count.new_online > 0;
  const stopping = operation?.kind === 'stop';
  // A restart of the container starts them again, which naught's own backoff does not.
  const allCrashLooping = !serving && crashLoops.length > 0;
  if (probe === 'readiness') {
    if (stopping) return 'naught is stopping';
    if (allCrashLooping) return `every worker is crash-looping (${crashLoops.length})`;
    if (!serving) return 'no worker is online yet';
  }
  if (probe === 'liveness' && allCrashLooping && !stopping) return `every worker is crash-looping (${crashLoops.length})`;
  return null;
}
