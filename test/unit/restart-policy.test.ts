import { describe, expect, test } from 'vitest';
import { RESTART_BACKOFF, nextRestart } from '../../src/cluster/restart-policy.js';

describe('nextRestart', () => {
  test('a first crash restarts at once; quick deaths in a row wait 1, 2, 4, 8, 16, 16 s', () => {
    const delays: number[] = [];
    let crashes = 0;
    for (let i = 0; i < 7; i += 1) {
      const restart = nextRestart(crashes, 200);
      delays.push(restart.delayMs);
      crashes = restart.crashes;
    }
    expect(delays).toEqual([0, 1000, 2000, 4000, 8000, 16_000, 16_000]);
    expect(crashes).toBe(7);
  });

  test('a worker that lived 30 s before dying starts the count afresh', () => {
    expect(nextRestart(9, RESTART_BACKOFF.resetAfterMs)).toEqual({ crashes: 1, delayMs: 0 });
    expect(nextRestart(9, RESTART_BACKOFF.resetAfterMs - 1)).toEqual({ crashes: 10, delayMs: 16_000 });
  });
});
