// naught's Prometheus metrics (--metrics). Two kinds: what is counted as it happens
// (deploys, and how long each took) is an event sink like naught.log; what is a state
// now (workers by state, restarts, each worker's memory, CPU and event-loop delay,
// crash loops) is read at each scrape from what `naught status --json` says, so the
// two can never disagree.
//
// Names follow Prometheus' rules: base units (seconds, bytes), `_total` for
// counters, `_info` for the build. Workers are labelled by their number, stable
// across restarts and deploys, never by pid, which would make a new series at each.
//
// Written here rather than with prom-client, the field's standard: measured in the
// supervisor, prom-client as its README uses it made naught 17 % larger (10.4 MB; its
// index also loads its Pushgateway, node:https and TLS), and loaded module by module
// from its private lib/ paths it still took 0.4 MB more than this (docs/metrics.md).
import pkg from '../../package.json' with { type: 'json' };
import type { EventSink } from '../protocol/event-sink.js';
import { STATUS_CLASSES } from '../protocol/http-figures.js';
import { RESTART_REASONS, type DeployOutcome, type NaughtEvent, type StatusDetail, type WorkerDetail } from '../protocol/messages.js';
import { CONTENT_TYPE, exposition, Histogram, type Family, type Sample } from './exposition.js';
import { processFamilies } from './process.js';
import { monotonicMs } from '../host/monotonic.js';

/** What a scrape reads: the status naught gives, with its detail. */
export type Snapshot = () => { status: NaughtEvent; detail: StatusDetail };

const DEPLOY_RESULTS: readonly DeployOutcome[] = ['ready', 'failed', 'stopped'];

/** Seconds: from an app that boots at once to one that takes minutes. */
const DEPLOY_BUCKETS = [0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

export interface Metrics {
  /** The text of a scrape, in Prometheus' exposition format. */
  scrape(): string;
  contentType: string;
  /** Counts the deploys as their events come. */
  sink: EventSink;
}

export function naughtMetrics(snapshot: Snapshot, now: () => number = monotonicMs): Metrics {
  const deploys = countDeploys(now);
  const scrape = (): string => {
    const { status, detail } = snapshot();
    return exposition([
      { name: 'naught_build_info', help: 'naught and the node it runs on; always 1', type: 'gauge', samples: [{ labels: { version: pkg.version, node: process.version }, value: 1 }] },
      {
        name: 'naught_workers',
        help: 'Worker processes by state, as the event lines count them: booting, online, dying, new_online',
        type: 'gauge',
        samples: Object.entries(status.count).map(([state, value]) => ({ labels: { state }, value })),
      },
      {
        name: 'naught_worker_restarts_total',
        help: 'Workers started again since naught started, by why: crash, offline, memory, hang, age',
        type: 'counter',
        samples: RESTART_REASONS.map((reason) => ({ labels: { reason }, value: detail.supervisor.restartsBy[reason] })),
      },
      ...deploys.families(),
      {
        name: 'naught_crash_looping_workers',
        help: 'Worker numbers whose restarts wait because they keep dying soon after starting',
        type: 'gauge',
        samples: [{ value: status.crashLoops?.length ?? 0 }],
      },
      ...workerFamilies(newestOfEach(detail.workers)),
      ...processFamilies(),
    ]);
  };
  return { scrape, contentType: CONTENT_TYPE, sink: deploys.sink };
}

/** The deploys, counted by how they ended and timed, as their events come. */
function countDeploys(now: () => number): { sink: EventSink; families(): Family[] } {
  const deploys: Record<DeployOutcome, number> = { ready: 0, failed: 0, stopped: 0 };
  const durations = new Histogram(DEPLOY_BUCKETS);
  const canaries = { passed: 0, failed: 0 };
  let deployStarted: number | null = null;
  const sink: EventSink = {
    name: 'the metrics',
    event: ({ event, operation }) => {
      if (event === 'CanaryPassed') canaries.passed += 1;
      if (event === 'CanaryFailed') canaries.failed += 1;
      if (operation?.kind !== 'deploy') return;
      if (operation.begins) deployStarted = now();
      if (operation.ends === undefined) return;
      deploys[operation.ends] += 1;
      if (deployStarted !== null) durations.observe((now() - deployStarted) / 1000);
      deployStarted = null;
    },
    close: async () => {},
  };
  const families = (): Family[] => [
    {
      name: 'naught_deploys_total',
      help: 'Deploys that ended, by how: ready, failed, or stopped (cut short by a stop)',
      type: 'counter',
      samples: DEPLOY_RESULTS.map((result) => ({ labels: { result }, value: deploys[result] })),
    },
    { name: 'naught_deploy_duration_seconds', help: "Time from a deploy's start to its end, whatever the result", type: 'histogram', series: [durations.series()] },
    {
      name: 'naught_canaries_total',
      help: "Canary deploys' canaries judged or cut short, by result: passed, or failed (and rolled back)",
      type: 'counter',
      samples: (['passed', 'failed'] as const).map((result) => ({ labels: { result }, value: canaries[result] })),
    },
  ];
  return { sink, families };
}

/** Each worker number's newest process: its memory, CPU time and event-loop delay, where they could be read. */
function workerFamilies(workers: readonly WorkerDetail[]): Family[] {
  const eachWorker = (value: (worker: WorkerDetail) => number | null): Sample[] =>
    workers.flatMap((worker) => {
      const measured = value(worker);
      return measured === null ? [] : [{ labels: { worker: worker.number }, value: measured }];
    });
  return [
    { name: 'naught_worker_resident_memory_bytes', help: 'Resident memory of each worker', type: 'gauge', samples: eachWorker((worker) => worker.memoryBytes) },
    {
      name: 'naught_worker_cpu_seconds_total',
      help: 'CPU time (user and system) each worker has used; starts again with each new process',
      type: 'counter',
      samples: eachWorker((worker) => worker.cpuSeconds),
    },
    {
      name: 'naught_worker_event_loop_delay_p99_seconds',
      help: "99th percentile of each worker's event-loop delay over the last second, as naught's agent measures it",
      type: 'gauge',
      samples: eachWorker((worker) => (worker.loopDelay === null ? null : worker.loopDelay.p99Ms / 1000)),
    },
    {
      name: 'naught_worker_event_loop_delay_max_seconds',
      help: "Longest event-loop delay of each worker over the last second, as naught's agent measures it",
      type: 'gauge',
      samples: eachWorker((worker) => (worker.loopDelay === null ? null : worker.loopDelay.maxMs / 1000)),
    },
    ...requestFamilies(workers),
  ];
}

/** Each worker's HTTP responses, as its agent counts them: none for a worker without an HTTP server or the agent. */
function requestFamilies(workers: readonly WorkerDetail[]): Family[] {
  const counted = workers.flatMap(({ number, requests }) => (requests === null ? [] : [{ worker: number, requests }]));
  return [
    {
      name: 'naught_http_requests_total',
      help: "HTTP responses of each worker by status class (code: 1xx to 5xx), as naught's agent counts them; starts again with each new process",
      type: 'counter',
      samples: counted.flatMap(({ worker, requests }) => STATUS_CLASSES.map((code) => ({ labels: { worker, code }, value: requests.byClass[code] }))),
    },
    {
      name: 'naught_http_request_duration_seconds',
      help: "Time from each HTTP request's headers to its response's end, by worker; starts again with each new process",
      type: 'histogram',
      series: counted.map(({ worker, requests: { total, histogram } }) => ({ labels: { worker }, bounds: histogram.bounds, cumulative: histogram.cumulative, count: total, sum: histogram.sumSeconds })),
    },
  ];
}

/**
 * One process for each worker number: the newest (a replacement from its fork on,
 * a deploy's new worker once it is started), so a number is one series, as its
 * label promises.
 */
function newestOfEach(workers: readonly WorkerDetail[]): WorkerDetail[] {
  const newest = new Map<number, WorkerDetail>();
  for (const worker of workers) {
    const seen = newest.get(worker.number);
    if (seen === undefined || worker.uptimeMs < seen.uptimeMs) newest.set(worker.number, worker);
  }
  return [...newest.values()];
}
