// Prometheus' text exposition format (version 0.0.4), for the few families naught
// serves: HELP and TYPE lines, then the samples, labels escaped as the format says.
// https://prometheus.io/docs/instrumenting/exposition_formats/

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type Labels = Readonly<Record<string, string | number>>;

export interface Sample {
  labels?: Labels;
  value: number;
}

export type Family =
  | { name: string; help: string; type: 'gauge' | 'counter'; samples: readonly Sample[] }
  /** One series per label set: naught's own Histogram's, or counted elsewhere (a worker's agent). */
  | { name: string; help: string; type: 'histogram'; series: readonly HistogramSeries[] };

/** One histogram as counted: observations at or below each bound (cumulative), and all of them, and their sum. */
export interface HistogramSeries {
  labels: Labels;
  bounds: readonly number[];
  cumulative: readonly number[];
  count: number;
  sum: number;
}

/** Observations counted into buckets by their upper bounds, as a Prometheus histogram keeps them. */
export class Histogram {
  /** Observations at or below each bound, one count a bound. */
  private readonly counts: number[];
  private sum = 0;
  private count = 0;

  constructor(readonly bounds: readonly number[]) {
    this.counts = bounds.map(() => 0);
  }

  observe(value: number): void {
    this.sum += value;
    this.count += 1;
    for (const [index, bound] of this.bounds.entries()) if (value <= bound) this.counts[index]! += 1;
  }

  series(labels: Labels = {}): HistogramSeries {
    return { labels, bounds: this.bounds, cumulative: this.counts, count: this.count, sum: this.sum };
  }
}

function histogramLines(name: string, { labels, bounds, cumulative, count, sum }: HistogramSeries): string[] {
  return [
    ...bounds.map((bound, index) => line(`${name}_bucket`, { ...labels, le: bound }, cumulative[index]!)),
    line(`${name}_bucket`, { ...labels, le: '+Inf' }, count),
    line(`${name}_sum`, labels, sum),
    line(`${name}_count`, labels, count),
  ];
}

export function exposition(families: readonly Family[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${family.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${family.name} ${family.type}`);
    if (family.type === 'histogram') for (const series of family.series) lines.push(...histogramLines(family.name, series));
    else for (const sample of family.samples) lines.push(line(family.name, sample.labels, sample.value));
  }
  return `${lines.join('\n')}\n`;
}

function line(name: string, labels: Labels | undefined, value: number): string {
  const pairs = Object.entries(labels ?? {}).map(([label, text]) => `${label}="${String(text).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return `${name}${pairs.length === 0 ? '' : `{${pairs.join(',')}}`} ${number(value)}`;
}

function number(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return String(value);
}
