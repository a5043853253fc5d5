import { describe, expect, test } from 'vitest';
import { nearest } from '../../src/cli/suggest.js';

describe('nearest', () => {
  test.each([
    ['strat', 'start'],
    ['deplyo', 'deploy'],
    ['stop', 'stop'],
    ['worker-cnt', 'worker-count'],
    ['launch', undefined],
    ['xy', undefined],
  ])('%s → %s', (typed, expected) => {
    expect(nearest(typed, ['start', 'stop', 'status', 'deploy', 'deploy-abort', 'worker-count'])).toBe(expected);
  });
});
