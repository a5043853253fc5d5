// A worker's HTTP figures: what the primary takes from its channel, and the quantiles read from them.
import { describe, expect, test } from 'vitest';
import { DURATION_BOUNDS, bucketOf, classOf, emptyFigures, parseFigures, quantileMs, since, workerRequests } from '../../src/protocol/http-figures.js';
import { workerReport } from '../../src/protocol/agent.js';

const BUCKETS = DURATION_BOUNDS.length + 1;

describe('http figures', () => {
  test('buckets and classes: a duration on a bound is in that bound; statuses outside 100–599 are no class', () => {
    expect([bucketOf(0), bucketOf(0.0005), bucketOf(0.00051), bucketOf(10), bucketOf(11)]).toEqual([0, 0, 1, DURATION_BOUNDS.length - 1, DURATION_BOUNDS.length]);
    expect([classOf(100), classOf(204), classOf(404), classOf(599), classOf(600), classOf(99), classOf(0)]).toEqual([0, 1, 3, 4, null, null, null]);
  });

  test("quantiles are interpolated within their bucket as Prometheus' histogram_quantile() does", () => {
    const figures = emptyFigures();
    // 100 responses: 50 up to 1 ms (bucket 1: 0.5–1 ms), 50 in 5–10 ms (bucket 4).
    figures.buckets[1] = 50;
    figures.buckets[4] = 50;
    figures.byClass[1] = 100;
    expect(quantileMs(figures, 0.5)).toBeCloseTo(1, 6);
    expect(quantileMs(figures, 0.99)).toBeCloseTo(5 + (5 * 49) / 50, 6);
    expect(quantileMs(emptyFigures(), 0.5)).toBeNull();
    // Past the last bound there is no upper bound: the quantile is that bound.
    const slow = emptyFigures();
    slow.buckets[DURATION_BOUNDS.length] = 3;
    expect(quantileMs(slow, 0.99)).toBe(10_000);
    expect(workerRequests(figures)).toMatchObject({ total: 100, byClass: { '2xx': 100, '5xx': 0 }, p50Ms: 1, p99Ms: 9.9 });
  });

  test('a window is the difference of two readings, never below zero (a reading from a newer process)', () => {
    const before = { byClass: [0, 10, 0, 0, 2], buckets: [12, ...Array(BUCKETS - 1).fill(0)], sumSeconds: 0.01 };
    const after = { byClass: [0, 15, 0, 0, 1], buckets: [16, ...Array(BUCKETS - 1).fill(0)], sumSeconds: 0.02 };
    expect(since(after, before)).toEqual({ byClass: [0, 5, 0, 0, 0], buckets: [4, ...Array(BUCKETS - 1).fill(0)], sumSeconds: 0.01 });
  });

  test('what a hostile worker sends as figures is dropped, the pong kept', () => {
    const good = { byClass: [0, 1, 0, 0, 0], buckets: [1, ...Array(BUCKETS - 1).fill(0)], sumSeconds: 0.001 };
    expect(parseFigures(good)).toEqual(good);
    const forged: unknown[] = [
      null,
      'lots',
      { ...good, byClass: [0, 1, 0, 0] },
      { ...good, byClass: [0, -1, 0, 0, 0] },
      { ...good, byClass: [0, 1.5, 0, 0, 0] },
      { ...good, buckets: Array(BUCKETS + 1).fill(0) },
      { ...good, buckets: [Number.NaN, ...Array(BUCKETS - 1).fill(0)] },
      { ...good, sumSeconds: Infinity },
      { ...good, sumSeconds: '1' },
    ];
    for (const http of forged) {
      expect(parseFigures(http)).toBeNull();
      expect(workerReport({ cmd: 'NODE_NAUGHT', kind: 'pong', http })).toEqual({ kind: 'pong', delay: null, http: null });
    }
  });
});
