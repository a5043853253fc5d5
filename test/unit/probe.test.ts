// What `naught status --probe` makes of each status: every phase of the cluster machine
// an orchestrator may ask in (test/status-probe.test.ts asks a real naught).
import { describe, expect, test } from 'vitest';
import { probeFailure } from '../../src/cli/probe.js';
import type { NaughtEvent } from '../../src/protocol/messages.js';

function status(count: [number, number, number, number], extra: Partial<NaughtEvent> = {}): NaughtEvent {
  const [booting, online, dying, new_online] = count;
  return { event: 'Status', count: { booting, online, dying, new_online }, waitingFor: null, operation: null, ...extra };
}
const loop = (worker: number) => ({ worker, crashes: 3, restartInMs: 2000 });

describe('probeFailure', () => {
  test.each([
    ['first boot', status([2, 0, 0, 0], { operation: { kind: 'boot' } }), 'no worker is online yet', null],
    ['serving', status([0, 2, 0, 0]), null, null],
    ['a deploy: old workers serve while new ones boot', status([2, 2, 0, 0], { operation: { kind: 'deploy' } }), null, null],
    ['a deploy: new workers online, old ones exiting', status([0, 0, 2, 2], { operation: { kind: 'deploy' } }), null, null],
    ['one worker crash-looping, one serving', status([0, 1, 0, 0], { crashLoops: [loop(1)] }), null, null],
    ['every worker crash-looping', status([1, 0, 0, 0], { crashLoops: [loop(0), loop(1)] }), 'every worker is crash-looping (2)', 'every worker is crash-looping (2)'],
    ['stopping', status([0, 0, 2, 0], { operation: { kind: 'stop' } }), 'naught is stopping', null],
    ['stopping while every worker crash-loops', status([0, 0, 0, 0], { operation: { kind: 'stop' }, crashLoops: [loop(0)] }), 'naught is stopping', null],
  ])('%s', (_phase, event, readiness, liveness) => {
    expect(probeFailure('readiness', event)).toBe(readiness);
    expect(probeFailure('liveness', event)).toBe(liveness);
    expect(probeFailure('none', event)).toBeNull();
  });
});
