// What a worker's agent counts of its HTTP responses (worker/requests.ts), as it says
// it in each pong: responses by status class and their durations in fixed buckets,
// since the worker started. The same buckets are naught's Prometheus histogram, and
// the quantiles status gives are read from them as Prometheus' histogram_quantile()
// reads them, so the two agree.

export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;
export type StatusClass = (typeof STATUS_CLASSES)[number];

/**
 * Upper bounds in seconds, finer than Prometheus' default at the low end: a Node
 * worker answers in a millisecond or two, and a quantile read from a bucket is only
 * as good as the bucket is narrow.
 */
export const DURATION_BOUNDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

export interface HttpFigures {
  /** Responses by class, in STATUS_CLASSES' order. */
  byClass: number[];
  /** Responses in each duration bucket (not cumulative), DURATION_BOUNDS' and one past the last. */
  buckets: number[];
  sumSeconds: number;
}

/** A worker's HTTP responses as status and the metrics give them. */
export interface WorkerRequests {
  total: number;
  byClass: Record<StatusClass, number>;
  /** Durations' quantiles, read from the histogram as Prometheus reads them; null before the first response. */
  p50Ms: number | null;
  p99Ms: number | null;
  /** The histogram itself: responses at or below each bound in seconds (cumulative), and their durations' sum. */
  histogram: { bounds: readonly number[]; cumulative: number[]; sumSeconds: number };
}

export function workerRequests(figures: HttpFigures | null): WorkerRequests | null {
  if (figures === null) return null;
  let running = 0;
  const cumulative = figures.buckets.slice(0, DURATION_BOUNDS.length).map((n) => (running += n));
  return {
    total: total(figures),
    byClass: Object.fromEntries(STATUS_CLASSES.map((name, index) => [name, figures.byClass[index]!])) as Record<StatusClass, number>,
    p50Ms: roundedMs(quantileMs(figures, 0.5)),
    p99Ms: roundedMs(quantileMs(figures, 0.99)),
    histogram: { bounds: DURATION_BOUNDS, cumulative, sumSeconds: figures.sumSeconds },
  };
}

/** To the microsecond: a bucket's interpolation is no finer. */
const roundedMs = (ms: number | null): number | null => (ms === null ? null : Math.round(ms * 1000) / 1000);

export function emptyFigures(): HttpFigures {
  return { byClass: STATUS_CLASSES.map(() => 0), buckets: [...DURATION_BOUNDS, Infinity].map(() => 0), sumSeconds: 0 };
}

/** The bucket a duration falls in. */
export function bucketOf(seconds: number): number {
  let index = 0;
  while (index < DURATION_BOUNDS.length && seconds > DURATION_BOUNDS[index]!) index += 1;
  return index;
}

/** The class of a status code; null for one outside 100–599. */
export function classOf(status: number): number | null {
  const index = Math.floor(status / 100) - 1;
  return index >= 0 && index < STATUS_CLASSES.length ? index : null;
}

export function total(figures: HttpFigures): number {
  return figures.byClass.reduce((sum, n) => sum + n, 0);
}

/** What was counted between `before` and `after` (the same worker's, or sums of the same workers'). */
export function since(after: HttpFigures, before: HttpFigures): HttpFigures {
  const minus = (a: number[], b: number[]): number[] => a.map((n, i) => Math.max(0, n - (b[i] ?? 0)));
  return { byClass: minus(after.byClass, before.byClass), buckets: minus(after.buckets, before.buckets), sumSeconds: Math.max(0, after.sumSeconds - before.sumSeconds) };
}

export function sum(all: readonly HttpFigures[]): HttpFigures {
  const plus = (a: number[], b: number[]): number[] => a.map((n, i) => n + (b[i] ?? 0));
  return all.reduce((acc, f) => ({ byClass: plus(acc.byClass, f.byClass), buckets: plus(acc.buckets, f.buckets), sumSeconds: acc.sumSeconds + f.sumSeconds }), emptyFigures());
}

/** The share of 5xx responses, 0–1; null with none counted. */
export function serverErrorShare(figures: HttpFigures): number | null {
  const all = total(figures);
  return all === 0 ? null : figures.byClass[4]! / all;
}

/**
 * The q-quantile of the durations in milliseconds, interpolated within its bucket as
 * histogram_quantile() does; the last bucket has no upper bound, so a quantile there
 * is its lower bound. Null with nothing counted.
 */
export function quantileMs(figures: HttpFigures, q: number): number | null {
  const count = figures.buckets.reduce((s, n) => s + n, 0);
  if (count === 0) return null;
  const rank = q * count;
  let below = 0;
  for (const [index, n] of figures.buckets.entries()) {
    if (below + n >= rank && n > 0) {
      const lower = index === 0 ? 0 : DURATION_BOUNDS[index - 1]!;
      if (index === DURATION_BOUNDS.length) return lower * 1000;
      const upper = DURATION_BOUNDS[index]!;
      return (lower + ((upper - lower) * (rank - below)) / n) * 1000;
    }
    below += n;
  }
  return DURATION_BOUNDS[DURATION_BOUNDS.length - 1]! * 1000;
}

const isCount = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;

/** A worker's figures as the primary may take them (the app's process may send anything), or null. */
export function parseFigures(value: unknown): HttpFigures | null {
  if (typeof value !== 'object' || value === null) return null;
  const { byClass, buckets, sumSeconds } = value as Record<string, unknown>;
  const counts = (list: unknown, length: number): list is number[] => Array.isArray(list) && list.length === length && list.every(isCount);
  if (!counts(byClass, STATUS_CLASSES.length) || !counts(buckets, DURATION_BOUNDS.length + 1)) return null;
  if (typeof sumSeconds !== 'number' || !Number.isFinite(sumSeconds) || sumSeconds < 0) return null;
  return { byClass, buckets, sumSeconds };
}
