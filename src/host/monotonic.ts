// Milliseconds on a monotonic clock, as performance.now() gives them (from another
// origin), without node:perf_hooks, which the global `performance` loads: 1 MB resident
// in the supervisor on Node 26, which needs nothing else of it.
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
