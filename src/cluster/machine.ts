// The cluster's state machine: `step(state, input, now)` returns the next state,
// the events to tell every sink and the effects for the driver (primary.ts) to
// carry out. It is pure: no process, timer or clock here; `now` is milliseconds
// on any monotonic clock, and every delay is an `arm` effect whose expiry comes
// back as a `timer` input. A step never changes the state it was given.
//
// Workers, by what naught waits of them:
//   booting      forked, not online yet
//   online       serving (a worker of the current release outside a deploy)
//   recycling    serving while its replacement boots (over --max-memory, or old)
//   new_online   a deploy's new worker, online, waiting for its siblings
//   draining     retired by a deploy, a stop or its replacement, its agent told to
//                  drain it (worker/drain.ts): 'shutdown' once it says it is drained,
//                  or after the release's drain timeout
//   retiring     told to shut down; exits awaited
//   offline      said 'offline' itself; already replaced, left to finish
//   hung         stopped answering (--worker-timeout); replaced, being killed
//   destroying   a new worker of a failed deploy, being killed
// 1.x counted four sets: recycling is `online`; draining, retiring, offline and hung are
// `dying`; destroying workers are not counted (1.x stopped counting them at
// DestroyNew); see COUNTED_AS.
//
// Health (health.ts): a `health` timer pings the workers through the agent and
// reads their memory (the `probe` effect); answers come back as `alive` and
// `memory` inputs. Outside an operation, one worker at a time is recycled.
//
// Operations, one at a time:
//   boot, deploy  phase 'new': the batch's new workers start (all N unless
//                   --batch k); none of the old is touched. A new death, a
//                   timeout or an abort destroys the batch's new ones (DeployFailed;
//                   for a boot, a stop follows: nothing serves).
//                 phase 'old': the batch's new workers are online; the old workers
//                   of its numbers retire. After the last batch the release is
//                   committed, every other worker retires, and Ready once none is
//                   left; before it, the next batch starts. The numbers of a batch
//                   run the new release from then on, also when the deploy fails.
//   canary        a deploy with --canary k: its first batch is workers 0..k-1; once
//                   their old workers are gone they serve beside the old ones for the
//                   window (canary.ts judges it). Passed, the rest follow in batches.
//                   Failed (a canary worker exits, hangs, outgrows --max-memory, or
//                   answers too many 5xx; an abort or a timeout), workers of the
//                   release that runs replace the canary, online first (a batch of
//                   that release), and the deploy fails, 'rolled back'.
//   rollback      a deploy of the release that ran before the last deploy that went
//                   through: its code as it was, pinned, and its settings.
//   stop          every worker retires; Shutdown once none is left; a timeout
//                   or a force destroys the ones still there.
import { describeExit, type ExitInfo } from '../protocol/exit.js';
import {
  RESTART_REASONS,
  type CanaryVerdict,
  type Counts,
  type CrashLoop,
  type DeployChanges,
  type DeployOutcome,
  type EventName,
  type EventOperation,
  type NaughtEvent,
  type ReleaseSummary,
  type RestartReason,
  type WaitingFor,
  type WorkerDetail,
} from '../protocol/messages.js';
import { durationText, sizeText } from '../protocol/quantities.js';
import type { HttpFigures } from '../protocol/http-figures.js';
import { CANARY_MARGIN_PERCENT, CANARY_WINDOW_MS, judge, type CanaryPlan } from './canary.js';
import { ageLimitMs, checkPeriodMs, isChecked, STACK_WAIT_MS, type Health } from './health.js';
import type { HangStack } from '../protocol/diagnostics.js';
import type { Code } from './release.js';
import { isCrashLoop, nextRestart } from './restart-policy.js';

/** A worker that is not gone after SIGTERM gets SIGKILL this much later. */
export const KILL_GRACE_MS = 1000;

/** What every worker of one release is started with. */
export interface Release {
  /** Tells releases apart; a deploy's workers are those of its release. */
  readonly id: number;
  readonly count: number;
  /** The whole environment of the workers (NAUGHT_WORKER is added per worker). */
  readonly env: Readonly<Record<string, string>>;
  /** The working directory as given (a `current` symlink stays one): the next deploy starts from it. */
  readonly cwd: string;
  /** What this release runs, resolved when it began. */
  readonly code: Code;
  readonly health: Health;
  /** How long a retired worker's agent may drain it before 'shutdown'; null: no drain ('shutdown' at once, 1.x). */
  readonly drainMs: number | null;
  /** Within the drain, how long a worker that serves hands its load over to its successors (worker/drain.ts); 0: at once. */
  readonly rampMs: number;
  /** Workers a deploy replaces at a time when it does not say (--deploy-batch); undefined: all at once. */
  readonly deployBatch?: number;
  /** A deploy's canary when it does not say (--deploy-canary, its window and margin); absent or count 0: none. */
  readonly deployCanary?: CanaryPlan;
}

export type WorkerState = 'booting' | 'online' | 'recycling' | 'new_online' | 'draining' | 'retiring' | 'offline' | 'hung' | 'destroying';

/** The 1.x count each state is in; null: not counted. */
export const COUNTED_AS: Readonly<Record<WorkerState, keyof Counts | null>> = {
  booting: 'booting',
  online: 'online',
  recycling: 'online',
  new_online: 'new_online',
  draining: 'dying',
  retiring: 'dying',
  offline: 'dying',
  hung: 'dying',
  destroying: null,
};

export interface Worker {
  /** Unique for as long as naught runs; effects and inputs name workers by it. */
  readonly id: number;
  /** NAUGHT_WORKER. */
  readonly number: number;
  readonly release: Release;
  readonly state: WorkerState;
  readonly startedAt: number;
  /** When it last showed its event loop runs: its start, 'online', an answer to a ping. */
  readonly lastSeen: number;
  /** SIGTERM sent; SIGKILL follows unless it exits. */
  readonly killing: boolean;
  /**
   * Its IPC channel is open: its agent can answer a ping. naught's disconnect only asks
   * the worker to close it (node:cluster closes it once the worker's servers have
   * closed), so a retiring worker is judged by its answers until it closes the channel,
   * and one whose loop is stuck never does.
   */
  readonly channelOpen: boolean;
  /** What it sent naught that naught could not take (host/channel-guard.ts): it is being killed for it. */
  readonly fault: string | null;
  /** Its HTTP responses since it started, as its agent last said (worker/requests.ts); null: none said. */
  readonly http: HttpFigures | null;
  /** Its loop stopped answering: why naught takes it for hung, while naught takes its stack before killing it (effect 'stack'). */
  readonly hang: { detail: string; retiring: boolean } | null;
  /** naught is looking inside it on request (cluster/worker-inspector.ts): a heap snapshot stops its loop, so silence says nothing. */
  readonly examined: boolean;
}

/** What naught remembers of one worker number across the processes that had it. */
export interface NumberRecord {
  /** Deaths in a row soon after starting; a deploy or a stop starts it afresh. */
  readonly crashes: number;
  /** When the delayed restart is due, while one is pending. */
  readonly restartAt: number | null;
  /** For as long as naught runs: starts again, by why, and how the last death went. */
  readonly restarts: Readonly<Record<RestartReason, number>>;
  readonly lastExit: string | null;
  /** The last lines the last worker with this number wrote to stderr before a death nobody asked for. */
  readonly lastStderr: string[] | null;
  /** The stack naught took of the last one that hung. */
  readonly lastStack: HangStack | null;
  /** What it runs when not the current release: a batch of a deploy moved it on. */
  readonly release: Release | null;
}

export interface DeployOperation {
  readonly kind: 'boot' | 'deploy';
  readonly startedAt: number;
  readonly release: Release;
  readonly phase: 'new' | 'old';
  /** Why it fails, once it does; the new workers are being destroyed. */
  readonly failure: string | null;
  /** A deploy given a timeout fails (or, past phase 'new', destroys the old workers left) after it. */
  readonly timeoutMs: number | null;
  /** Requests answered when it ends: its own, refused deploys, aborts. */
  readonly waiting: readonly Waiting[];
  /** The worker numbers being replaced now, [from, to), and how many at a time. */
  readonly batch: { readonly from: number; readonly to: number; readonly size: number };
  /** A canary deploy's canary, until it passed. */
  readonly canary: CanaryRun | null;
}

/**
 * A canary as it runs: its workers boot and their old workers go ('boot'), then they
 * serve beside the old ones ('window'); a failure replaces them with the release that
 * runs ('rollback': the operation's release is that one then).
 */
export interface CanaryRun {
  readonly plan: CanaryPlan;
  readonly stage: 'boot' | 'window' | 'rollback';
  /** The canary's release. */
  readonly releaseId: number;
  /** Workers a batch replaces after it passed. */
  readonly restBatch: number;
  /** Each worker's figures when the window began, by worker id. */
  readonly baseline: ReadonlyMap<number, HttpFigures | null>;
  /** Why it failed: set in 'boot' (acted on once its old workers are gone), and in 'rollback'. */
  readonly failure: string | null;
}

export interface StopOperation {
  readonly kind: 'stop';
  readonly startedAt: number;
}

export type Operation = DeployOperation | StopOperation;

/** A request answered when the deploy ends: the deploy itself, or one that found it running, or an abort of it. */
interface Waiting {
  readonly ticket: number;
  readonly role: 'deploy' | 'refused' | 'abort';
}

export interface State {
  /** Every live worker process, in spawn order. */
  readonly workers: readonly Worker[];
  readonly numbers: ReadonlyMap<number, NumberRecord>;
  /** What resuscitated workers are started with: the last release that went online. */
  readonly current: Release;
  /** The release `current` replaced: what `naught rollback` brings back. */
  readonly previous: Release | null;
  readonly op: Operation | null;
  /** The operation's first event has been emitted. */
  readonly announced: boolean;
  /** Shutdown was emitted: nothing runs and nothing will start. */
  readonly closed: boolean;
  /** When the health timer is due; null: it does not run. */
  readonly checkDueAt: number | null;
  readonly nextWorkerId: number;
  readonly nextReleaseId: number;
}

/** How a request ended, as the machine tells its requester (`ticket` names the request); the CLI's words for each are in supervisor/control.ts. */
export type Outcome =
  | 'ready'
  | 'failed'
  | 'stopped'
  /** A deploy runs: this one will not; 'failed' follows when that one ends. */
  | 'busy'
  /** naught is stopping: no deploy. */
  | 'stopping'
  /** deploy-abort: nothing to abort, or the aborted deploy has ended. */
  | 'nothing-to-abort'
  | 'aborted'
  /** deploy-abort came after the last new workers were online: the deploy went through, its old workers were killed. */
  | 'too-late'
  /** stop: one was under way already; its Shutdown still follows. */
  | 'already-stopping';

/** A deploy as the machine takes it: what the CLI asked (protocol/messages.ts), with the count the supervisor made of it; the working directory the driver resolved comes beside it. */
export type Deploy = Omit<DeployChanges, 'cwd'> & {
  /** 0 keeps the current count. */
  count: number;
};

export type Input =
  | { kind: 'boot'; ticket: number }
  /** `resolved` is what the working directory (the request's, or the current one) named when asked. */
  | { kind: 'deploy'; ticket: number; request: Deploy; cwd: string; resolved: { code: Code } | { failure: string } }
  /** `resolved`: the previous release's code, still there, or why not; null when there is no previous release. */
  | { kind: 'rollback'; ticket: number; resolved: { code: Code } | { failure: string } | null }
  | { kind: 'abort'; ticket: number }
  | { kind: 'stop'; ticket?: number; timeoutMs?: number }
  /** A stop that does not wait: begins one if needed and destroys every retiring worker. */
  | { kind: 'force' }
  | { kind: 'online'; worker: number }
  | { kind: 'offline'; worker: number }
  | { kind: 'exit'; worker: number; exit: ExitInfo }
  | { kind: 'timer'; timer: Timer }
  /** The worker's agent answered a ping: its event loop runs; `http`: its HTTP figures, when it has any. */
  | { kind: 'alive'; worker: number; http?: HttpFigures | null }
  /** The worker's agent has drained it: no HTTP connection is left. */
  | { kind: 'drained'; worker: number }
  /** The worker's IPC channel closed: its agent can no longer answer, and silence says nothing. */
  | { kind: 'disconnected'; worker: number }
  /** The worker sent naught what it cannot take on its channel: it is killed, and its exit is a crash. */
  | { kind: 'fault'; worker: number; why: string }
  /** The worker's resident memory, read for a health check. */
  | { kind: 'memory'; worker: number; bytes: number }
  /** The stack naught took of a worker it found hung, or why there is none. */
  | { kind: 'stack'; worker: number; stack: HangStack }
  /** naught begins or ends looking inside the worker on request. */
  | { kind: 'examined'; worker: number; examined: boolean };

/**
 * A timer the machine arms and the driver fires back as a `timer` input: the operation's
 * own (a deploy's or a stop's timeout), the health checks, and each worker's (a number's
 * restart after a crash, a worker's SIGKILL after its grace, a worker's drain).
 */
export type Timer = { kind: 'deploy' | 'stop' | 'health' | 'canary' } | { kind: 'restart'; number: number } | { kind: 'kill' | 'drain' | 'stack'; worker: number };

/** One name per timer: arming a timer again replaces the one of that name. */
export function timerKey(timer: Timer): string {
  if (timer.kind === 'restart') return `restart:${timer.number}`;
  return 'worker' in timer ? `${timer.kind}:${timer.worker}` : timer.kind;
}

export type Effect =
  | { kind: 'fork'; worker: number; number: number; release: Release }
  /** Send 'shutdown' and disconnect: node:cluster stops routing to it and closes its listeners. */
  | { kind: 'shutdown'; worker: number }
  /** Ask the worker's agent to drain it: it stops accepting (after `rampMs`), and says when its HTTP connections are gone. */
  | { kind: 'drain'; worker: number; rampMs: number }
  | { kind: 'disconnect'; worker: number }
  | { kind: 'signal'; worker: number; signal: 'SIGTERM' | 'SIGKILL' }
  | { kind: 'arm'; timer: Timer; ms: number }
  | { kind: 'cancel'; timer: Timer }
  | { kind: 'answer'; ticket: number; outcome: Outcome }
  /** A health check: ping these workers' agents, read these workers' memory. */
  | { kind: 'probe'; ping: number[]; measure: number[] }
  /** Take the JavaScript stack of a worker found hung (a `stack` input follows, or the timer of that name). */
  | { kind: 'stack'; worker: number };

export interface Step {
  state: State;
  events: NaughtEvent[];
  effects: Effect[];
}

export function initialState(release: Omit<Release, 'id'>, previous: Omit<Release, 'id'> | null = null): State {
  // Numbered in the order they ran.
  const first = previous === null ? 0 : 1;
  return {
    workers: [],
    numbers: new Map(),
    current: { ...release, id: first },
    previous: previous === null ? null : { ...previous, id: 0 },
    op: null,
    announced: false,
    closed: false,
    checkDueAt: null,
    nextWorkerId: 1,
    nextReleaseId: first + 1,
  };
}

export function step(state: State, input: Input, now: number): Step {
  const run = new Run(state, now);
  run.apply(input);
  return { state: run.result(), events: run.events, effects: run.effects };
}

/** A stop is under way (or done). */
export function stopping(state: State): boolean {
  return state.op?.kind === 'stop';
}

export function waitingFor(state: State): WaitingFor {
  if (state.op === null) return null;
  return state.op.kind === 'stop' ? 'shutdown' : state.op.phase;
}

export function counts(state: State): Counts {
  const count: Counts = { booting: 0, online: 0, dying: 0, new_online: 0 };
  for (const { state: workerState } of state.workers) {
    const key = COUNTED_AS[workerState];
    if (key !== null) count[key] += 1;
  }
  return count;
}

/** The state as an event (a `status` reply is one, named Status). */
export function snapshot(state: State, event: EventName, now: number): NaughtEvent {
  const loops = crashLoops(state, now);
  return {
    event,
    count: counts(state),
    waitingFor: waitingFor(state),
    operation: state.op === null ? null : { kind: state.op.kind },
    ...(loops.length > 0 ? { crashLoops: loops } : {}),
  };
}

/** Worker numbers in a crash loop: waiting for their restart, or starting once more. */
export function crashLoops(state: State, now: number): CrashLoop[] {
  const loops: CrashLoop[] = [];
  for (const [worker, { crashes, restartAt }] of state.numbers) {
    if (!isCrashLoop(crashes)) continue;
    // Rounded: restartAt - now is the delay itself plus a float's error in the step that planned it.
    if (restartAt !== null) loops.push({ worker, crashes, restartInMs: Math.max(0, Math.round(restartAt - now)) });
    else if (state.workers.some((w) => w.number === worker && w.state === 'booting')) loops.push({ worker, crashes, restartInMs: null });
  }
  return loops;
}

/** The state of each worker as `status --json` reports it (1.x's words; pid and memory are the driver's to add). */
export const DETAIL_STATE: Readonly<Record<WorkerState, WorkerDetail['state']>> = {
  booting: 'booting',
  online: 'online',
  recycling: 'recycling',
  new_online: 'new_online',
  draining: 'draining',
  retiring: 'dying',
  offline: 'dying',
  hung: 'hung',
  destroying: 'destroying',
};

/** Every live worker and the operation under way, for `naught status --json`. */
export function detail(state: State, now: number) {
  const op = state.op;
  const operation = op === null ? null : { kind: op.kind, forMs: Math.round(now - op.startedAt) };
  const releaseOf = (worker: Worker): WorkerDetail['release'] => {
    if (worker.release.id === state.current.id) return 'current';
    // Release ids grow with each deploy: newer than the current one is a deploy's, running or stopped part-way.
    return worker.release.id > state.current.id ? 'new' : 'old';
  };
  const workers = state.workers
    .map((worker) => ({
      id: worker.id,
      number: worker.number,
      state: DETAIL_STATE[worker.state],
      release: releaseOf(worker),
      directory: worker.release.code.cwd,
      uptimeMs: Math.round(now - worker.startedAt),
      silentForMs: Math.round(now - worker.lastSeen),
      ...restartCounts(state.numbers.get(worker.number)),
      lastExit: state.numbers.get(worker.number)?.lastExit ?? null,
      lastStderr: state.numbers.get(worker.number)?.lastStderr ?? null,
      lastStack: state.numbers.get(worker.number)?.lastStack ?? null,
      http: worker.http,
    }))
    .sort((a, b) => a.number - b.number || b.uptimeMs - a.uptimeMs);
  const releases = { current: releaseSummary(state.current), previous: state.previous === null ? null : releaseSummary(state.previous) };
  return { operation, workers, releases };
}

function releaseSummary({ id, code, count }: Release): ReleaseSummary {
  return { id, directory: code.cwd, script: code.script, workers: count };
}

/** Starts again of every worker number, by why: they only grow (a number's record is kept for as long as naught runs). */
export function restartTotals(state: State): Record<RestartReason, number> {
  const totals = { ...NO_RESTARTS };
  for (const record of state.numbers.values()) for (const reason of RESTART_REASONS) totals[reason] += record.restarts[reason];
  return totals;
}

/** How a worker ended, after what it sent naught when that was why it was killed. */
function exitText(worker: Worker, exit: ExitInfo): string {
  return worker.fault === null ? describeExit(exit) : `${worker.fault}, then ${describeExit(exit)}`;
}

function inBatch(op: DeployOperation, number: number): boolean {
  return number >= op.batch.from && number < op.batch.to;
}

function isLastBatch(op: DeployOperation): boolean {
  return op.batch.to >= op.release.count;
}

/** `0`, `0–2`: a range of worker numbers, [from, to). */
function numbersText(from: number, to: number): string {
  return to - from === 1 ? String(from) : `${from}–${to - 1}`;
}

/** Starts again of one worker number: all of them, and by why. */
function restartCounts(record: NumberRecord | undefined): { restarts: number; restartsBy: Record<RestartReason, number> } {
  const restartsBy = { ...NO_RESTARTS, ...record?.restarts };
  return { restarts: Object.values(restartsBy).reduce((sum, n) => sum + n, 0), restartsBy };
}

const NO_RESTARTS: Readonly<Record<RestartReason, number>> = { crash: 0, offline: 0, memory: 0, hang: 0, age: 0 };

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type DraftWorker = Mutable<Worker>;
type DraftRecord = Omit<Mutable<NumberRecord>, 'restarts'> & { restarts: Record<RestartReason, number> };

/** One step's work on a copy of the state. */
class Run {
  readonly events: NaughtEvent[] = [];
  readonly effects: Effect[] = [];
  private readonly workers: DraftWorker[];
  private readonly numbers: Map<number, DraftRecord>;
  private current: Release;
  private previous: Release | null;
  private op: Operation | null;
  private announced: boolean;
  private closed: boolean;
  private checkDueAt: number | null;
  private nextWorkerId: number;
  private nextReleaseId: number;

  constructor(
    state: State,
    private readonly now: number,
  ) {
    this.workers = state.workers.map((worker) => ({ ...worker }));
    this.numbers = new Map([...state.numbers].map(([number, record]) => [number, { ...record, restarts: { ...record.restarts } }]));
    this.current = state.current;
    this.previous = state.previous;
    this.op = state.op;
    this.announced = state.announced;
    this.closed = state.closed;
    this.checkDueAt = state.checkDueAt;
    this.nextWorkerId = state.nextWorkerId;
    this.nextReleaseId = state.nextReleaseId;
  }

  result(): State {
    return {
      workers: this.workers,
      numbers: this.numbers,
      current: this.current,
      previous: this.previous,
      op: this.op,
      announced: this.announced,
      closed: this.closed,
      checkDueAt: this.checkDueAt,
      nextWorkerId: this.nextWorkerId,
      nextReleaseId: this.nextReleaseId,
    };
  }

  apply(input: Input): void {
    switch (input.kind) {
      case 'boot':
        return this.boot(input.ticket);
      case 'deploy':
        return this.deploy(input);
      case 'rollback':
        return this.rollBack(input.ticket, input.resolved);
      case 'abort':
        return this.abort(input.ticket);
      case 'stop':
        return this.stop(input.ticket, input.timeoutMs);
      case 'force':
        if (this.op?.kind !== 'stop') this.stop(undefined, undefined);
        return this.destroyRetiring();
      case 'online':
        return this.onOnline(input.worker);
      case 'offline':
        return this.onOffline(input.worker);
      case 'exit':
        return this.onExit(input.worker, input.exit);
      case 'timer':
        return this.onTimer(input.timer);
      case 'alive': {
        const worker = this.worker(input.worker);
        if (worker === undefined) return;
        worker.lastSeen = this.now;
        if (input.http != null) worker.http = input.http;
        return;
      }
      case 'memory':
        return this.onMemory(input.worker, input.bytes);
      case 'stack':
        return this.killHung(input.worker, input.stack);
      case 'examined': {
        const worker = this.worker(input.worker);
        if (worker === undefined) return;
        worker.examined = input.examined;
        // Its loop may have been stopped meanwhile: it gets a whole timeout to answer again.
        worker.lastSeen = this.now;
        return;
      }
      case 'drained':
        return this.onDrained(input.worker);
      case 'fault':
        return this.onFault(input.worker, input.why);
      case 'disconnected': {
        const worker = this.worker(input.worker);
        if (worker !== undefined) worker.channelOpen = false;
        return;
      }
    }
  }

  // Requests.

  private boot(ticket: number): void {
    const { count } = this.current;
    const batch = { from: 0, to: count, size: count };
    const op: DeployOperation = { kind: 'boot', startedAt: this.now, release: this.current, phase: 'new', failure: null, timeoutMs: null, waiting: [{ ticket, role: 'deploy' }], batch, canary: null };
    this.begin(op);
    // 1.x announced the boot before it waited for anything.
    this.emit('Bootup', { waitingFor: null });
    this.spawnBatch(op);
    this.startChecks();
  }

  private deploy({ ticket, request, cwd, resolved }: Extract<Input, { kind: 'deploy' }>): void {
    if (!this.mayDeploy(ticket)) return;
    if ('failure' in resolved) return this.refuseDeploy(ticket, resolved.failure);
    const count = request.count || this.current.count;
    const plan: CanaryPlan = { count: 0, windowMs: CANARY_WINDOW_MS, marginPercent: CANARY_MARGIN_PERCENT, ...this.current.deployCanary, ...request.canary };
    if (plan.count > 0 && plan.count >= Math.min(count, this.current.count)) {
      const counts = count === this.current.count ? `${count} workers` : `${this.current.count} workers now, ${count} after`;
      return this.refuseDeploy(ticket, `a canary of ${plan.count} leaves no old worker to judge it by (${counts}); it must be fewer`);
    }
    const release: Release = {
      ...this.current,
      id: this.nextReleaseId++,
      count,
      env: request.env ? { ...this.current.env, ...request.env } : this.current.env,
      cwd,
      code: resolved.code,
      health: request.maxMemoryBytes === undefined ? this.current.health : { ...this.current.health, maxMemoryBytes: request.maxMemoryBytes },
    };
    this.startDeploy(ticket, release, request.timeoutMs ?? null, request.batch, plan.count > 0 ? plan : null);
  }

  /** `naught rollback`: the release that ran before the current one, as it ran. */
  private rollBack(ticket: number, resolved: Extract<Input, { kind: 'rollback' }>['resolved']): void {
    if (!this.mayDeploy(ticket)) return;
    if (this.previous === null || resolved === null) return this.refuseDeploy(ticket, 'nothing to roll back to: no deploy has gone through since naught started');
    if ('failure' in resolved) return this.refuseDeploy(ticket, `the previous release cannot run again: ${resolved.failure}`);
    const release: Release = { ...this.previous, id: this.nextReleaseId++, code: resolved.code };
    this.startDeploy(ticket, release, null, undefined, null);
  }

  /** No deploy while another runs or naught stops: the requester is told so. */
  private mayDeploy(ticket: number): boolean {
    if (this.op?.kind === 'stop') {
      this.emit('ErrorShuttingDown');
      this.answer(ticket, 'stopping');
      return false;
    }
    if (this.op !== null) {
      this.emit('ErrorDeployInProgress');
      this.answer(ticket, 'busy');
      this.op = { ...this.op, waiting: [...this.op.waiting, { ticket, role: 'refused' }] };
      return false;
    }
    return true;
  }

  /** Nothing to start (the release a symlink names is gone, a canary too large): the old workers keep serving. */
  private refuseDeploy(ticket: number, failure: string): void {
    this.emit('DeployFailed', { operation: { kind: 'deploy', begins: true, ends: 'failed' }, failure });
    this.answer(ticket, 'failed');
  }

  private startDeploy(ticket: number, release: Release, timeoutMs: number | null, askedBatch: number | undefined, plan: CanaryPlan | null): void {
    const asked = askedBatch ?? release.deployBatch;
    const rest = asked ? Math.min(asked, release.count) : release.count;
    const size = plan === null ? rest : plan.count;
    const batch = { from: 0, to: size, size };
    const canary: CanaryRun | null = plan === null ? null : { plan, stage: 'boot', releaseId: release.id, restBatch: rest, baseline: new Map(), failure: null };
    const op: DeployOperation = { kind: 'deploy', startedAt: this.now, release, phase: 'new', failure: null, timeoutMs, waiting: [{ ticket, role: 'deploy' }], batch, canary };
    this.begin(op);
    this.spawnBatch(op);
    if (timeoutMs !== null) this.arm({ kind: 'deploy' }, timeoutMs);
  }

  /**
   * Before the new workers are all online they are destroyed and the old ones keep
   * serving; after, old workers that have not exited yet are destroyed. The first
   * boot is not a deploy: aborting it would leave nothing serving (a stop ends it).
   */
  private abort(ticket: number): void {
    const op = this.op;
    if (op?.kind !== 'deploy') {
      this.emit('ErrorNoDeployInProgress');
      return this.answer(ticket, 'nothing-to-abort');
    }
    this.op = { ...op, waiting: [...op.waiting, { ticket, role: 'abort' }] };
    // A rollback under way is what an abort would bring about: it is waited for.
    if (op.canary?.stage !== 'rollback') this.interrupt('the deploy was aborted');
  }

  /** Tells every worker to shut down and waits for all of them; `timeoutMs` then destroys the rest. */
  private stop(ticket: number | undefined, timeoutMs: number | undefined): void {
    if (this.op?.kind === 'stop') {
      this.emit('AlreadyShuttingDown');
      if (ticket !== undefined) this.answer(ticket, 'already-stopping');
      if (timeoutMs !== undefined) this.arm({ kind: 'stop' }, timeoutMs);
      return;
    }
    const interrupted = this.op;
    this.begin({ kind: 'stop', startedAt: this.now });
    this.forgetStreaks();
    if (this.checkDueAt !== null) {
      this.checkDueAt = null;
      this.cancel({ kind: 'health' });
    }
    if (interrupted !== null) {
      this.cancelDeployTimer(interrupted);
      if (interrupted.canary?.stage === 'window') this.cancel({ kind: 'canary' });
      this.endDeploy(interrupted, 'stopped', 'naught was told to stop');
    }
    for (const worker of this.workers) if (worker.state === 'offline') worker.state = 'retiring';
    // As 1.x did: the workers that serve nothing yet first, then the serving ones, then the new.
    // A stop with a timeout leaves the apps' own close at least half of it.
    const drainCap = timeoutMs === undefined ? Infinity : timeoutMs / 2;
    for (const state of ['booting', 'online', 'recycling', 'new_online'] as const) {
      for (const worker of this.workers) if (worker.state === state) this.retire(worker, { drainCap, successors: false });
    }
    if (timeoutMs !== undefined) this.arm({ kind: 'stop' }, timeoutMs);
    this.settle();
  }

  // What workers and timers report.

  private onOnline(id: number): void {
    const worker = this.worker(id);
    if (worker?.state !== 'booting') return;
    worker.lastSeen = this.now;
    if (this.isAwaitedNew(worker)) {
      worker.state = 'new_online';
      this.emit('NewOnline', { worker: worker.number });
      return this.settle();
    }
    worker.state = 'online';
    this.emit('WorkerOnline', { worker: worker.number });
    // A replacement is online: the worker it replaces goes the naught way.
    const replaced = this.workers.find((w) => w.state === 'recycling' && w.number === worker.number);
    if (replaced !== undefined) this.retire(replaced);
    if (this.op === null && !this.workers.some((w) => w.state === 'booting')) this.emit('Ready');
  }

  /** Over --max-memory: replaced online-first, outside an operation, one worker at a time. */
  private onMemory(id: number, bytes: number): void {
    const worker = this.worker(id);
    const limit = worker?.release.health.maxMemoryBytes ?? null;
    // A heap snapshot takes several times the heap while V8 writes it: the worker is not leaking.
    if (worker?.state !== 'online' || limit === null || bytes <= limit || worker.examined) return;
    const detail = `uses ${sizeText(bytes)} (--max-memory ${sizeText(limit)})`;
    if (this.isCanary(worker)) return this.canaryFails(`canary worker ${worker.number} ${detail}`);
    if (this.mayRecycle()) this.recycle(worker, 'memory', detail);
  }

  /**
   * One health check: hung workers are killed (and replaced, when serving), an old one
   * recycled, then the agents pinged and memory read. A worker being retired is judged
   * as a serving one is, so a stuck loop holds no deploy, recycle or stop past the timeout.
   */
  private check(): void {
    // naught's own stall (paused, starved of CPU) is not the workers' silence: its timer
    // runs before it reads the answers that came meanwhile.
    const stalledMs = Math.max(0, this.now - (this.checkDueAt ?? this.now));
    for (const worker of this.workers) {
      const timeout = worker.release.health.workerTimeoutMs;
      // A booting worker has the deploy's timeout; one whose channel is closed cannot answer.
      if (timeout === null || worker.state === 'booting' || !worker.channelOpen || worker.killing) continue;
      if (worker.hang !== null || worker.examined) continue;
      if (this.now - worker.lastSeen - stalledMs > timeout) this.hang(worker, timeout);
    }
    const maxAge = this.current.health.maxAgeMs;
    if (maxAge !== null && this.mayRecycle()) {
      const due = this.workers
        .filter((w) => w.state === 'online' && this.now - w.startedAt >= ageLimitMs(maxAge, w.number, this.current.count))
        .sort((a, b) => a.startedAt - b.startedAt)[0];
      if (due !== undefined) this.recycle(due, 'age', `is ${durationText(this.now - due.startedAt)} old (--max-worker-age ${durationText(maxAge)})`);
    }
    const connected = this.workers.filter((w) => w.channelOpen && !w.killing);
    this.effects.push({
      kind: 'probe',
      ping: connected.filter((w) => w.release.health.workerTimeoutMs !== null || w.release.health.agent).map((w) => w.id),
      measure: connected.filter((w) => w.state === 'online' && w.release.health.maxMemoryBytes !== null).map((w) => w.id),
    });
    this.armCheck();
  }

  /** Recycling waits for quiet: no operation, no other worker being replaced or booting. */
  private mayRecycle(): boolean {
    return this.op === null && !this.workers.some((w) => w.state === 'recycling' || w.state === 'booting');
  }

  /** Its replacement starts now; it serves until that one is online, then retires. */
  private recycle(worker: DraftWorker, reason: 'memory' | 'age', detail: string): void {
    worker.state = 'recycling';
    this.record(worker.number).restarts[reason] += 1;
    this.emit('WorkerRecycle', { worker: worker.number, health: { reason, detail } });
    this.respawn(worker.number);
  }

  /**
   * Its event loop has not answered for `timeout`: it cannot drain, so node:cluster
   * stops routing to it now, and its stack is taken before it is killed (killHung).
   * Outside an operation it is replaced at once, as fast as without the stack; during
   * one, its death is what that operation makes of it. One being retired is only
   * killed: the deploy, recycle or stop that retires it goes on.
   */
  private hang(worker: DraftWorker, timeout: number): void {
    const replace = this.op === null && (worker.state === 'online' || worker.state === 'recycling');
    const replacing = worker.state === 'recycling';
    const retiring = COUNTED_AS[worker.state] === 'dying';
    if (replace) worker.state = 'hung';
    worker.hang = { detail: `has not answered for ${durationText(this.now - worker.lastSeen)} (--worker-timeout ${durationText(timeout)})`, retiring };
    this.effects.push({ kind: 'disconnect', worker: worker.id }, { kind: 'stack', worker: worker.id });
    this.arm({ kind: 'stack', worker: worker.id }, STACK_WAIT_MS);
    if (!replace) return;
    this.record(worker.number).restarts.hang += 1;
    // A recycled worker's replacement already boots.
    if (replacing) return;
    this.respawn(worker.number);
  }

  /** A hung worker's stack is in, or the wait for it is over: said, and the worker killed. */
  private killHung(id: number, stack: HangStack): void {
    const worker = this.worker(id);
    if (worker?.hang == null) return;
    const { detail } = worker.hang;
    this.sayHang(worker, stack);
    this.kill(worker);
    if (this.isCanary(worker)) this.canaryFails(`canary worker ${worker.number} ${detail}`);
  }

  private sayHang(worker: DraftWorker, stack: HangStack): void {
    const { detail, retiring } = worker.hang!;
    worker.hang = null;
    this.cancel({ kind: 'stack', worker: worker.id });
    this.record(worker.number).lastStack = stack;
    this.emit('WorkerHang', { worker: worker.number, health: { reason: 'hang', detail, ...(retiring ? { retiring } : {}) }, stack });
  }

  /** Its channel cannot be trusted any more: killed now, whatever it was doing; its exit says what it will be. */
  private onFault(id: number, why: string): void {
    const worker = this.worker(id);
    if (worker === undefined || worker.fault !== null) return;
    worker.fault = why;
    this.emit('WorkerFault', { worker: worker.number, fault: why });
    this.kill(worker);
  }

  private startChecks(): void {
    if (this.checkDueAt === null && isChecked(this.current.health)) this.armCheck();
  }

  private armCheck(): void {
    const periodMs = checkPeriodMs(this.current.health);
    this.checkDueAt = this.now + periodMs;
    this.arm({ kind: 'health' }, periodMs);
  }

  /** The worker says it is dying: stop routing to it, replace it, let it finish. */
  private onOffline(id: number): void {
    const worker = this.worker(id);
    if (worker === undefined || COUNTED_AS[worker.state] === 'dying' || worker.state === 'destroying') return;
    const awaited = this.isAwaitedNew(worker);
    // A recycled worker's replacement already boots.
    const replaced = worker.state === 'recycling';
    const canary = this.isCanary(worker);
    // An operation that waits for old workers to exit waits for this one too.
    worker.state = this.waitsForOld() ? 'retiring' : 'offline';
    this.effects.push({ kind: 'disconnect', worker: id });
    if (canary) {
      // Not started again: the canary fails, and a worker of the release that runs takes its number.
      this.emit('WorkerOffline', { worker: worker.number });
      this.canaryFails(`canary worker ${worker.number} went offline`);
      return this.settle();
    }
    if (awaited || replaced || this.op?.kind === 'stop') {
      this.emit('WorkerOffline', { worker: worker.number });
      return awaited ? this.fail(`new worker ${worker.number} went offline`) : this.settle();
    }
    const delayMs = this.planRestart(worker, 'offline');
    this.emit('WorkerOffline', { worker: worker.number, ...this.restartInfo(worker.number, delayMs) });
    if (delayMs === 0) this.respawn(worker.number);
    this.settle();
  }

  private onExit(id: number, exit: ExitInfo): void {
    const index = this.workers.findIndex((w) => w.id === id);
    if (index === -1) return;
    const [worker] = this.workers.splice(index, 1) as [DraftWorker];
    if (worker.killing) this.cancel({ kind: 'kill', worker: id });
    if (worker.state === 'draining') this.cancel({ kind: 'drain', worker: id });
    if (worker.hang !== null) this.sayHang(worker, { missing: 'it exited before its stack was taken' });
    const awaited = this.isAwaitedNew(worker);
    switch (worker.state) {
      case 'destroying':
        this.emit('NewDestroyed', { worker: worker.number });
        break;
      case 'draining':
      case 'retiring':
        this.emit('OldExit', { worker: worker.number });
        break;
      case 'offline':
        // Already replaced when it said so; now it has finished.
        this.emit('WorkerDeath', { worker: worker.number });
        break;
      case 'hung':
        this.record(worker.number).lastExit = `hung, then ${describeExit(exit)}`;
        this.emit('WorkerDeath', { worker: worker.number });
        break;
      case 'recycling':
        // Its replacement already boots.
        this.record(worker.number).restarts.crash += 1;
        this.emit('WorkerDeath', this.death(worker, exit));
        break;
      default: {
        if (awaited) {
          this.emit('NewDeath', this.death(worker, exit));
          return this.fail(`new worker ${worker.number} ${exitText(worker, exit)}`);
        }
        if (this.isCanary(worker)) {
          this.emit('WorkerDeath', this.death(worker, exit));
          this.canaryFails(`canary worker ${worker.number} ${exitText(worker, exit)}`);
          break;
        }
        const delayMs = this.planRestart(worker, 'crash');
        if (delayMs === 0) this.spawn(worker.number, this.releaseOf(worker.number));
        this.emit('WorkerDeath', { ...this.death(worker, exit), ...this.restartInfo(worker.number, delayMs) });
      }
    }
    this.settle();
  }

  /** A death nobody asked for, as status keeps it and its event says it: how it ended, and its last lines on stderr. */
  private death(worker: DraftWorker, exit: ExitInfo): Partial<NaughtEvent> {
    const record = this.record(worker.number);
    record.lastExit = exitText(worker, exit);
    record.lastStderr = exit.stderr ?? null;
    return { worker: worker.number, death: { exit: record.lastExit, stderr: exit.stderr ?? [] } };
  }

  private onTimer(timer: Timer): void {
    switch (timer.kind) {
      case 'deploy':
        if (this.op?.kind !== 'deploy') return;
        this.emit('Timeout');
        return this.interrupt(`the deploy timed out after ${(this.op.timeoutMs ?? 0) / 1000} s`);
      case 'stop':
        if (this.op?.kind !== 'stop') return;
        this.emit('Timeout');
        return this.destroyRetiring();
      case 'health':
        return this.check();
      case 'canary':
        return this.endWindow();
      case 'drain':
        return this.onDrained(timer.worker);
      case 'kill':
        if (this.worker(timer.worker) !== undefined) this.effects.push({ kind: 'signal', worker: timer.worker, signal: 'SIGKILL' });
        return;
      case 'stack':
        return this.killHung(timer.worker, { missing: `its stack did not come within ${durationText(STACK_WAIT_MS)}` });
      case 'restart':
        return this.restart(timer.number);
    }
  }

  /** A crashed worker's number, once its restart delay is over. */
  private restart(number: number): void {
    const record = this.record(number);
    if (record.restartAt === null) return;
    record.restartAt = null;
    this.respawn(number);
  }

  // How operations move.

  private begin(op: Operation): void {
    this.op = op;
    this.announced = false;
  }

  private spawnBatch({ release, batch }: DeployOperation): void {
    for (let number = batch.from; number < batch.to; number += 1) {
      this.spawn(number, release);
      this.emit('SpawnNew', { worker: number });
    }
  }

  /**
   * An abort or a timeout. Before the batch's new workers are all online they are
   * destroyed (the deploy fails); after, the old workers still draining are
   * destroyed, and the deploy ends there: done when it was the last batch, failed
   * with the batches so far on the new release when not.
   */
  private interrupt(reason: string): void {
    const op = this.op as DeployOperation;
    // Once the canary serves, it is rolled back: its old workers are gone.
    if (op.canary !== null && (op.canary.stage !== 'boot' || op.phase === 'old')) return this.canaryFails(reason);
    if (op.phase === 'new') return this.fail(reason);
    if (!isLastBatch(op)) this.op = { ...op, failure: this.withBatches(op, reason) };
    this.destroyRetiring();
  }

  /** A failure's reason, and which numbers a batched deploy has moved on so far. */
  private withBatches(op: DeployOperation, reason: string): string {
    const moved = op.phase === 'old' ? op.batch.to : op.batch.from;
    if (op.batch.size === op.release.count || moved === 0) return reason;
    return `${reason}; workers ${numbersText(0, moved)} run the new release, ${numbersText(moved, op.release.count)} the old`;
  }

  /** A new worker of the running deploy failed it: destroy the batch's new ones, keep the old. */
  private fail(reason: string): void {
    const op = this.op as DeployOperation;
    if (op.failure !== null) return this.settle();
    // A rollback whose workers fail leaves the canary serving.
    const failure = op.canary?.stage === 'rollback' ? `${op.canary.failure}; the rollback failed (${reason}), the canary serves on` : this.withBatches(op, reason);
    this.op = { ...op, failure };
    for (const worker of this.workers) {
      if (worker.release.id !== op.release.id || !inBatch(op, worker.number)) continue;
      if (worker.state !== 'booting' && worker.state !== 'new_online') continue;
      worker.state = 'destroying';
      this.emit('DestroyNew', { worker: worker.number });
      this.kill(worker);
    }
    this.settle();
  }

  /** Moves the running operation forward after any change. */
  private settle(): void {
    const op = this.op;
    if (op === null || this.closed) return;
    if (op.kind === 'stop') {
      if (this.workers.length > 0) return;
      this.cancel({ kind: 'stop' });
      this.closed = true;
      this.emit('Shutdown', { operation: { kind: 'stop', ends: 'stopped' } });
      return;
    }
    if (op.phase === 'new') {
      if (op.failure !== null) {
        if (!this.workers.some((w) => w.state === 'destroying' && w.release.id === op.release.id)) this.finish(op, 'failed');
        return;
      }
      const online = this.workers.filter((w) => w.state === 'new_online' && w.release.id === op.release.id && inBatch(op, w.number)).length;
      if (online < op.batch.to - op.batch.from) return;
      this.op = { ...op, phase: 'old' };
      const last = isLastBatch(op);
      if (last) {
        // Every new worker is online: commit the release, then retire everything else.
        if (op.kind === 'deploy') this.previous = this.current;
        this.current = op.release;
        for (const record of this.numbers.values()) record.release = null;
        this.startChecks();
        // A new release starts every count afresh, and its workers replace any restart still pending.
        this.forgetStreaks();
      } else {
        // These numbers run the new release from now on, whatever becomes of the deploy.
        for (let number = op.batch.from; number < op.batch.to; number += 1) this.record(number).release = op.release;
      }
      for (const worker of this.workers) {
        if (worker.release.id === op.release.id || !(last || inBatch(op, worker.number))) continue;
        if (worker.state === 'offline') worker.state = 'retiring';
        // new_online: a canary killed for hanging before its window, which a rollback replaced.
        if (worker.state === 'online' || worker.state === 'recycling' || worker.state === 'booting' || worker.state === 'new_online') this.retire(worker);
      }
    }
    if (this.workers.some((w) => COUNTED_AS[w.state] === 'dying')) return;
    const draining = this.op as DeployOperation;
    if (draining.canary !== null) return this.settleCanary(draining, draining.canary);
    if (isLastBatch(draining)) return this.finish(draining, 'ready');
    if (draining.failure !== null) return this.finish(draining, 'failed');
    this.nextBatch(draining, draining.batch.size);
  }

  /** This batch is done: the next one starts. */
  private nextBatch(op: DeployOperation, size: number): void {
    for (const worker of this.workers) if (worker.state === 'new_online') worker.state = 'online';
    const { to } = op.batch;
    const next: DeployOperation = { ...op, phase: 'new', batch: { from: to, to: Math.min(to + size, op.release.count), size }, canary: null };
    this.op = next;
    this.spawnBatch(next);
  }

  // Canaries.

  /** The canary's batch is through (its old workers gone): it serves for the window, or is rolled back; a rollback that is through ends the deploy. */
  private settleCanary(op: DeployOperation, canary: CanaryRun): void {
    if (canary.stage === 'window') return;
    if (canary.stage === 'rollback') return this.finish({ ...op, failure: `${canary.failure}; rolled back` }, 'failed');
    if (canary.failure !== null) return this.rollBackCanary(op, canary, canary.failure);
    for (const worker of this.workers) if (worker.state === 'new_online') worker.state = 'online';
    const baseline = new Map(this.workers.map((worker) => [worker.id, worker.http]));
    this.op = { ...op, canary: { ...canary, stage: 'window', baseline } };
    const old = this.workers.filter((w) => w.state === 'online' && w.release.id !== canary.releaseId).length;
    this.emit('CanaryStart', { canary: { workers: numbersText(op.batch.from, op.batch.to), windowMs: canary.plan.windowMs, old } });
    this.arm({ kind: 'canary' }, canary.plan.windowMs);
  }

  /** The window is over: the figures decide. */
  private endWindow(): void {
    const op = this.op;
    if (op?.kind !== 'deploy' || op.canary?.stage !== 'window') return;
    const { canary } = op;
    const figures = (worker: Worker) => ({ number: worker.number, start: canary.baseline.get(worker.id) ?? null, end: worker.http });
    const canaries = this.workers.filter((w) => this.isCanary(w)).map(figures);
    const old = this.workers.filter((w) => w.state === 'online' && w.release.id !== canary.releaseId && canary.baseline.has(w.id)).map(figures);
    const verdict = judge(canary.plan, canaries, old);
    if (!verdict.passed) return this.rollBackCanary(op, canary, verdict.text, verdict);
    this.emit('CanaryPassed', { verdict });
    this.nextBatch(op, canary.restBatch);
  }

  /** A canary worker failed, or the deploy was interrupted: rolled back now, or once the canary's old workers are gone. */
  private canaryFails(reason: string): void {
    const op = this.op;
    if (op?.kind !== 'deploy' || op.canary === null || op.canary.failure !== null) return;
    if (op.canary.stage === 'window') return this.rollBackCanary(op, op.canary, reason);
    this.op = { ...op, canary: { ...op.canary, failure: reason } };
  }

  /**
   * Workers of the release that runs replace the canary's, online first: a batch of
   * that release over the canary's numbers, after which the deploy fails.
   */
  private rollBackCanary(op: DeployOperation, canary: CanaryRun, reason: string, verdict?: CanaryVerdict): void {
    this.cancel({ kind: 'canary' });
    this.cancelDeployTimer(op);
    this.emit('CanaryFailed', { failure: reason, ...(verdict === undefined ? {} : { verdict }) });
    const { from, to } = op.batch;
    for (let number = from; number < to; number += 1) this.record(number).release = null;
    const back: DeployOperation = { ...op, release: this.current, phase: 'new', timeoutMs: null, batch: { from, to, size: to - from }, canary: { ...canary, stage: 'rollback', failure: reason } };
    this.op = back;
    // A canary worker that died left its number empty; the others are retired once their replacements are online.
    this.spawnBatch(back);
  }

  /** A worker of the canary while it is judged: from the moment it is online until its verdict. */
  private isCanary(worker: Worker): boolean {
    const op = this.op;
    if (op?.kind !== 'deploy' || op.canary === null || worker.release.id !== op.canary.releaseId || !inBatch(op, worker.number)) return false;
    return op.canary.stage !== 'boot' || op.phase === 'old';
  }

  private finish(op: DeployOperation, outcome: 'ready' | 'failed'): void {
    this.cancelDeployTimer(op);
    // What is still new_online was not destroyed: a batch that went through.
    for (const worker of this.workers) if (worker.state === 'new_online') worker.state = 'online';
    this.op = null;
    if (op.kind === 'boot' && outcome === 'failed') {
      // A failed boot leaves nothing to serve: stop, which ends in Shutdown.
      this.answerAll(op, 'failed');
      return this.stop(undefined, undefined);
    }
    this.endDeploy(op, outcome, op.failure);
  }

  /** The deploy's last event, and its answers. A stop that cut it short is already the operation. */
  private endDeploy(op: DeployOperation, outcome: DeployOutcome, failure: string | null): void {
    if (op.kind === 'deploy' || outcome === 'ready') {
      const ends: EventOperation = { kind: op.kind, ends: outcome };
      if (outcome === 'ready') this.emit('Ready', { operation: ends });
      else this.emit('DeployFailed', { operation: ends, failure: failure ?? 'unknown reason' });
    }
    this.answerAll(op, outcome);
  }

  private answerAll(op: DeployOperation, outcome: DeployOutcome): void {
    for (const { ticket, role } of op.waiting) {
      if (role === 'deploy') this.answer(ticket, outcome);
      else if (role === 'refused') this.answer(ticket, 'failed');
      else this.answer(ticket, outcome === 'ready' ? 'too-late' : 'aborted');
    }
  }

  /**
   * Told to go: a worker that has served is drained first when its release drains
   * (at most `drainCap`), then told 'shutdown'; one still booting has nothing to drain.
   * With `successors` (not at a stop), its load moves to them over the release's ramp.
   */
  private retire(worker: DraftWorker, { drainCap = Infinity, successors = true } = {}): void {
    const drainMs = worker.state === 'booting' || worker.release.drainMs === null ? 0 : Math.min(worker.release.drainMs, drainCap);
    worker.state = drainMs === 0 ? 'retiring' : 'draining';
    this.emit('ShutdownOld', { worker: worker.number });
    if (drainMs === 0) return void this.effects.push({ kind: 'shutdown', worker: worker.id });
    this.effects.push({ kind: 'drain', worker: worker.id, rampMs: successors ? Math.min(worker.release.rampMs, drainMs) : 0 });
    this.arm({ kind: 'drain', worker: worker.id }, drainMs);
  }

  /** Drained, or out of time to drain: now the app hears 'shutdown'. */
  private onDrained(id: number): void {
    const worker = this.worker(id);
    if (worker?.state !== 'draining') return;
    this.cancel({ kind: 'drain', worker: id });
    worker.state = 'retiring';
    this.effects.push({ kind: 'shutdown', worker: worker.id });
  }

  private destroyRetiring(): void {
    for (const worker of this.workers) {
      if (COUNTED_AS[worker.state] !== 'dying' || worker.killing) continue;
      this.emit('DestroyOld', { worker: worker.number });
      this.kill(worker);
    }
  }

  /** SIGTERM now, SIGKILL after KILL_GRACE_MS unless it exits first. */
  private kill(worker: DraftWorker): void {
    if (worker.killing) return;
    worker.killing = true;
    this.effects.push({ kind: 'disconnect', worker: worker.id }, { kind: 'signal', worker: worker.id, signal: 'SIGTERM' });
    this.arm({ kind: 'kill', worker: worker.id }, KILL_GRACE_MS);
  }

  private cancelDeployTimer(op: Operation): void {
    if (op.kind !== 'stop' && op.timeoutMs !== null) this.cancel({ kind: 'deploy' });
  }

  /** The operation under way waits for old workers to exit: a stop, or a deploy past its new workers. */
  private waitsForOld(): boolean {
    return this.op !== null && (this.op.kind === 'stop' || this.op.phase === 'old');
  }

  /** The running deploy (or boot) waits for `worker` to come online. */
  private isAwaitedNew(worker: Worker): boolean {
    const op = this.op;
    return op !== null && op.kind !== 'stop' && op.phase === 'new' && op.failure === null && worker.release.id === op.release.id && inBatch(op, worker.number);
  }

  /** What a worker number runs when started again: its batch's release, or the current one. */
  private releaseOf(number: number): Release {
    return this.numbers.get(number)?.release ?? this.current;
  }

  // Restarts.

  /**
   * When the same number starts again, as the current release: now (0), or after a
   * delay when it keeps dying (restart-policy.ts), which is armed here. The caller
   * forks at once when it is 0.
   */
  private planRestart(dead: Worker, reason: 'crash' | 'offline'): number {
    const record = this.record(dead.number);
    record.restarts[reason] += 1;
    const { crashes, delayMs } = nextRestart(record.crashes, this.now - dead.startedAt);
    record.crashes = crashes;
    if (delayMs > 0) {
      record.restartAt = this.now + delayMs;
      this.arm({ kind: 'restart', number: dead.number }, delayMs);
    }
    return delayMs;
  }

  /** What a death's event says of the restart it planned: the crash loop, when it waits. */
  private restartInfo(number: number, delayMs: number): Pick<NaughtEvent, 'restart'> {
    return delayMs === 0 ? {} : { restart: { crashes: this.record(number).crashes, inMs: delayMs } };
  }

  private forgetStreaks(): void {
    for (const [number, record] of this.numbers) {
      if (record.restartAt !== null) this.cancel({ kind: 'restart', number });
      record.crashes = 0;
      record.restartAt = null;
    }
  }

  private record(number: number): DraftRecord {
    let record = this.numbers.get(number);
    if (record === undefined) this.numbers.set(number, (record = { crashes: 0, restartAt: null, restarts: { ...NO_RESTARTS }, lastExit: null, lastStderr: null, lastStack: null, release: null }));
    return record;
  }

  // Small things.

  private spawn(number: number, release: Release): void {
    const id = this.nextWorkerId++;
    this.workers.push({ id, number, release, state: 'booting', startedAt: this.now, lastSeen: this.now, killing: false, channelOpen: true, fault: null, http: null, hang: null, examined: false });
    this.effects.push({ kind: 'fork', worker: id, number, release });
  }

  /** A number started again on its release, in place of a worker gone or going: not one of an operation's new workers. */
  private respawn(number: number): void {
    this.spawn(number, this.releaseOf(number));
    this.emit('SpawnNew', { worker: number, replacement: true });
  }

  private worker(id: number): DraftWorker | undefined {
    return this.workers.find((w) => w.id === id);
  }

  private arm(timer: Timer, ms: number): void {
    this.effects.push({ kind: 'arm', timer, ms });
  }

  private cancel(timer: Timer): void {
    this.effects.push({ kind: 'cancel', timer });
  }

  private answer(ticket: number, outcome: Outcome): void {
    this.effects.push({ kind: 'answer', ticket, outcome });
  }

  /** An event of the state as it is now; the first one of the running operation says it begins it. */
  private emit(event: EventName, extra: Partial<NaughtEvent> = {}): void {
    const emitted = { ...snapshot(this.result(), event, this.now), ...extra };
    if (emitted.operation !== null && emitted.operation.kind === this.op?.kind && !this.announced) {
      emitted.operation = { ...emitted.operation, begins: true };
      this.announced = true;
    }
    this.events.push(emitted);
  }
}
