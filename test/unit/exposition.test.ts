// Prometheus' text format as naught writes it: HELP and TYPE, escaped labels, histograms.
import { describe, expect, test } from 'vitest';
import { exposition, Histogram } from '../../src/metrics/exposition.js';

describe('exposition', () => {
  test('families with their HELP and TYPE; label values and help escaped as the format says', () => {
    const text = exposition([
      { name: 'a_total', help: 'with a \\ and a\nnewline', type: 'counter', samples: [{ labels: { path: 'C:\\x "y"\nz', n: 3 }, value: 2 }] },
      { name: 'b', help: 'plain', type: 'gauge', samples: [{ value: 0.5 }, { labels: { v: 'inf' }, value: Infinity }, { labels: { v: 'nan' }, value: NaN }] },
    ]);
    expect(text).toBe(
      [
        '# HELP a_total with a \\\\ and a\\nnewline',
        '# TYPE a_total counter',
        'a_total{path="C:\\\\x \\"y\\"\\nz",n="3"} 2',
        '# HELP b plain',
        '# TYPE b gauge',
        'b 0.5',
        'b{v="inf"} +Inf',
        'b{v="nan"} NaN',
        '',
      ].join('\n'),
    );
  });

  test('a histogram counts each observation in every bucket at or above it, and +Inf, sum and count', () => {
    const histogram = new Histogram([1, 5]);
    for (const value of [0.5, 1, 3, 10]) histogram.observe(value);
    expect(exposition([{ name: 'd_seconds', help: 'h', type: 'histogram', series: [histogram.series()] }]).split('\n').slice(2)).toEqual([
      'd_seconds_bucket{le="1"} 2',
      'd_seconds_bucket{le="5"} 3',
      'd_seconds_bucket{le="+Inf"} 4',
      'd_seconds_sum 14.5',
      'd_seconds_count 4',
      '',
    ]);
  });
});
