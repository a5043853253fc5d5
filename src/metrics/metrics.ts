// naught's Prometheus metrics (--metrics), in prom-client's registry. Two kinds:
// what is counted as it happens (deploys and how long each took) is an event sink
// like naught.log; what is a state now (workers by state, restarts, each worker's
// memory, CPU and event-loop delay, crash loops) is read at each scrape from what
// `naught status --json` says, so the two can never disagree.
//
// Names follow Prometheus' rules: base units (seconds, bytes), `_total` for
// counters, `_info` for the build. Workers are labelled by their number, stable
// across restarts and deploys, never by pid, which would make a new series at each.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import pkg from '../../package.json' with { type: 'json' };
import type { DeployOutcome, NaughtEvent, StatusDetail, WorkerDetail } from '../protocol/messages.js';
import { RESTART_REASONS } from '../protocol/messages.js';
import type { EventSink } from '../supervisor/event-sinks.js';

/** What a scrape reads: the status naught gives, with its detail. */
export type Snapshot = () => { status: NaughtEvent; detail: StatusDetail };

const DEPLOY_RESULTS: readonly DeployOutcome[] = ['ready', 'failed', 'stopped'];

/** Seconds: from an app that boots at once to one that takes minutes. */
const DEPLOY_BUCKETS = [0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

export interface Metrics {
  /** The text of a scrape, in Prometheus' exposition format. */
  scrape(): Promise<string>;
  contentType: string;
  /** Counts the deploys as their events come. */
  sink: EventSink;
}

export function naughtMetrics(snapshot: Snapshot, now: () => number = () => performance.now()): Metrics {
  const registry = new Registry();
  // naught's own process: CPU, memory, open fds, its event loop's lag, GC, as every Node exporter names them.
  collectDefaultMetrics({ register: registry });
  // Gauges that prom-client names with `_total`, which Prometheus keeps for counters (promtool check metrics says so).
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) registry.removeSingleMetric(name);
  const registers = [registry];

  new Gauge({ name: 'naught_build_info', help: 'naught and the node it runs on; always 1', labelNames: ['version', 'node'], registers }).set(
    { version: pkg.version, node: process.version },
    1,
  );

  const deploys = new Counter({ name: 'naught_deploys_total', help: 'Deploys that ended, by how: ready, failed, or stopped (cut short by a stop)', labelNames: ['result'], registers });
  for (const result of DEPLOY_RESULTS) deploys.inc({ result }, 0);
  const durations = new Histogram({ name: 'naught_deploy_duration_seconds', help: 'Time from a deploy\'s start to its end, whatever the result', buckets: DEPLOY_BUCKETS, registers });

  // Read at each scrape: one snapshot serves every gauge of that scrape.
  let scrape: ReturnType<Snapshot> | null = null;
  const read = (): ReturnType<Snapshot> => (scrape ??= snapshot());

  new Gauge({
    name: 'naught_workers',
    help: 'Worker processes by state, as the event lines count them: booting, online, dying, new_online',
    labelNames: ['state'],
    registers,
    collect() {
      for (const [state, count] of Object.entries(read().status.count)) this.set({ state }, count);
    },
  });
  new Counter({
    name: 'naught_worker_restarts_total',
    help: 'Workers started again since naught started, by why: crash, offline, memory, hang, age',
    labelNames: ['reason'],
    registers,
    collect() {
      this.reset();
      const restarts = read().detail.supervisor.restartsBy;
      for (const reason of RESTART_REASONS) this.inc({ reason }, restarts[reason]);
    },
  });
  new Gauge({
    name: 'naught_crash_looping_workers',
    help: 'Worker numbers whose restarts wait because they keep dying soon after starting',
    registers,
    collect() {
      this.set(read().status.crashLoops?.length ?? 0);
    },
  });
  const perWorker = (name: string, help: string, value: (worker: WorkerDetail) => number | null, kind: typeof Gauge | typeof Counter = Gauge): void => {
    new kind({
      name,
      help,
      labelNames: ['worker'],
      registers,
      collect(this: Gauge | Counter) {
        this.reset();
        for (const worker of newestOfEach(read().detail.workers)) {
          const measured = value(worker);
          if (measured === null) continue;
          if (this instanceof Gauge) this.set({ worker: worker.number }, measured);
          else this.inc({ worker: worker.number }, measured);
        }
      },
    });
  };
  perWorker('naught_worker_resident_memory_bytes', 'Resident memory of each worker', (worker) => worker.memoryBytes);
  perWorker('naught_worker_cpu_seconds_total', 'CPU time (user and system) each worker has used; starts again with each new process', (worker) => worker.cpuSeconds, Counter);
  perWorker('naught_worker_event_loop_delay_p99_seconds', "99th percentile of each worker's event-loop delay over the last second, as naught's agent measures it", (worker) =>
    worker.loopDelay === null ? null : worker.loopDelay.p99Ms / 1000,
  );
  perWorker('naught_worker_event_loop_delay_max_seconds', "Longest event-loop delay of each worker over the last second, as naught's agent measures it", (worker) =>
    worker.loopDelay === null ? null : worker.loopDelay.maxMs / 1000,
  );

  let deployStarted: number | null = null;
  const sink: EventSink = {
    name: 'the metrics',
    event: ({ operation }) => {
      if (operation?.kind !== 'deploy') return;
      if (operation.begins) deployStarted = now();
      if (operation.ends === undefined) return;
      deploys.inc({ result: operation.ends });
      if (deployStarted !== null) durations.observe((now() - deployStarted) / 1000);
      deployStarted = null;
    },
    close: async () => {},
  };

  return {
    scrape: async () => {
      try {
        return await registry.metrics();
      } finally {
        scrape = null;
      }
    },
    contentType: registry.contentType,
    sink,
  };
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
