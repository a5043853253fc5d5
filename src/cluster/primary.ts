// The cluster primary: the worker state machine and its three operations
// (deploy, stop, resuscitation). It emits events and knows nothing of sockets,
// files or systemd.
//
// State lives in one place, the `workers` map; the four counted sets of naught 1.x
// (booting, online, dying, new_online) are views of it. A fifth state,
// `destroying`, holds new workers being killed by a failed deploy: 1.x stopped
// counting them at DestroyNew, and the event lines keep that.
import type { ChildProcess } from 'node:child_process';
import type { Worker as ClusterWorker } from 'node:cluster';
import type { Counts, CrashLoop, EventName, NaughtEvent, StatusDetail, WaitingFor, WorkerDetail } from '../protocol/messages.js';
import { resolveCode, type Code } from './release.js';
import { isCrashLoop, nextRestart } from './restart-policy.js';
import { crashLoopText } from '../protocol/event-line.js';
import {
  describeExit,
  destroy,
  forkWorker,
  sendShutdown,
  type ExitInfo,
  type Generation,
  type Program,
} from './worker-process.js';

type WorkerState = 'booting' | 'online' | 'dying' | 'new_online' | 'destroying';

interface Worker {
  readonly number: number;
  readonly generation: Generation;
  readonly handle: ClusterWorker;
  state: WorkerState;
  /** performance.now() at its fork. */
  readonly startedAt: number;
  killTimer?: NodeJS.Timeout;
}

/** What naught remembers of one worker number across the processes that had it. */
interface NumberRecord {
  /** Deaths in a row soon after starting; a deploy or a stop starts it afresh. */
  crashes: number;
  /** performance.now() of the delayed restart, while one is pending. */
  restartAt?: number;
  timer?: NodeJS.Timeout;
  /** For as long as naught runs: starts after a death, and how the last death went. */
  restarts: number;
  lastExit: string | null;
}

/** How a deploy ended: all new workers online and old ones gone, or not, or a stop cut it short. */
export type DeployOutcome = 'ready' | 'failed' | 'stopped';
export type DeployResult = DeployOutcome | 'busy' | 'stopping';

interface DeployOp {
  kind: 'deploy';
  /** performance.now() when it began. */
  startedAt: number;
  /** The first boot: there are no old workers to fall back on. */
  boot: boolean;
  generation: Generation;
  phase: 'new' | 'old';
  failure: string | null;
  timer?: NodeJS.Timeout;
  onDone(outcome: DeployOutcome): void;
}

interface StopOp {
  kind: 'stop';
  startedAt: number;
  timer?: NodeJS.Timeout;
}

export interface DeployOptions {
  /** 0 or absent keeps the current count. */
  count?: number;
  /** Merged over the current environment. */
  env?: Record<string, string>;
  cwd?: string;
  timeoutMs?: number;
}

export interface PrimaryOptions {
  program: Program;
  generation: Generation;
  onEvent(event: NaughtEvent): void;
  /** Called for every forked worker so its output can be collected. */
  onSpawn(child: ChildProcess): void;
  /** Something an operator should read that is not a state change (a crash loop). */
  onNotice(message: string): void;
}

export class Primary {
  /** Every live worker process, in spawn order. */
  private readonly workers = new Map<number, Worker>();
  private readonly numbers = new Map<number, NumberRecord>();
  /** What resuscitated workers are started with: the last release that went online. */
  private current: Generation;
  private op: DeployOp | StopOp | null = null;
  private deployWaiters: Array<() => void> = [];
  /** Why the last deploy that did not go through failed. */
  lastFailure: string | null = null;
  private resolveClosed!: () => void;
  /** Resolves after the Shutdown event: no worker is left and none will be started. */
  readonly closed = new Promise<void>((resolve) => (this.resolveClosed = resolve));

  constructor(private readonly options: PrimaryOptions) {
    this.current = options.generation;
  }

  get waitingFor(): WaitingFor {
    if (this.op === null) return null;
    return this.op.kind === 'stop' ? 'shutdown' : this.op.phase;
  }

  counts(): Counts {
    const count: Counts = { booting: 0, online: 0, dying: 0, new_online: 0 };
    for (const { state } of this.workers.values()) if (state !== 'destroying') count[state] += 1;
    return count;
  }

  status(): NaughtEvent {
    return this.snapshot('Status');
  }

  /** Starts the first workers: 'ready' once all are online, 'failed' if one died first. */
  boot(): Promise<DeployOutcome> {
    this.emit('Bootup');
    return new Promise((resolve) => {
      this.startDeploy(this.current, undefined, true, (outcome) => {
        if (outcome === 'ready') this.emit('Ready');
        // A failed boot leaves nothing to serve: stop, which ends in Shutdown.
        if (outcome === 'failed') void this.stop();
        resolve(outcome);
      });
    });
  }

  /** Replaces every worker, all new ones online before any old one is told to shut down. */
  deploy(options: DeployOptions): Promise<DeployResult> {
    if (this.op?.kind === 'stop') {
      this.emit('ErrorShuttingDown');
      return Promise.resolve('stopping');
    }
    if (this.op !== null) {
      this.emit('ErrorDeployInProgress');
      return Promise.resolve('busy');
    }
    const cwd = options.cwd ?? this.current.cwd;
    let code: Code;
    try {
      code = resolveCode(cwd, this.options.program.script);
    } catch (error) {
      // Nothing to start (the release a symlink names is gone): the old workers keep serving.
      this.lastFailure = (error as Error).message;
      this.options.onNotice(`naught: deploy failed: ${this.lastFailure}`);
      this.emit('DeployFailed');
      return Promise.resolve('failed');
    }
    const generation: Generation = {
      count: options.count || this.current.count,
      env: options.env ? { ...this.current.env, ...options.env } : this.current.env,
      cwd,
      code,
    };
    return new Promise((resolve) => {
      this.startDeploy(generation, options.timeoutMs, false, (outcome) => {
        this.emit(outcome === 'ready' ? 'Ready' : 'DeployFailed');
        resolve(outcome);
      });
    });
  }

  /** Resolves once no deploy (or first boot) is running. */
  deployFinished(): Promise<void> {
    if (this.op?.kind !== 'deploy') return Promise.resolve();
    return new Promise((resolve) => this.deployWaiters.push(resolve));
  }

  /**
   * Aborts the running deploy: before the new workers are all online they are
   * destroyed and the old ones keep serving; after, old workers that have not
   * exited yet are destroyed. The first boot is not a deploy: aborting it would
   * leave nothing serving (a stop is the way to end it).
   */
  abortDeploy(): boolean {
    if (this.op?.kind !== 'deploy' || this.op.boot) {
      this.emit('ErrorNoDeployInProgress');
      return false;
    }
    this.interruptDeploy(this.op, 'the deploy was aborted');
    return true;
  }

  /** Tells every worker to shut down and waits for all of them; `timeoutMs` then destroys the rest. */
  stop(timeoutMs?: number): Promise<void> {
    if (this.op?.kind === 'stop') {
      this.emit('AlreadyShuttingDown');
      if (timeoutMs !== undefined) this.armStopTimer(this.op, timeoutMs);
      return this.closed;
    }
    const interrupted = this.op;
    const op: StopOp = { kind: 'stop', startedAt: performance.now() };
    this.op = op;
    this.forgetStreaks();
    if (interrupted !== null) {
      clearTimeout(interrupted.timer);
      this.lastFailure = 'naught was told to stop';
      interrupted.onDone('stopped');
      this.wakeDeployWaiters();
    }
    for (const state of ['booting', 'online', 'new_online'] as const) {
      for (const worker of this.inState(state)) this.shutdown(worker);
    }
    if (timeoutMs !== undefined) this.armStopTimer(op, timeoutMs);
    this.settle();
    return this.closed;
  }

  /** A stop that will not wait: starts one if needed, and destroys every dying worker now. */
  forceStop(): Promise<void> {
    const closed = this.op?.kind === 'stop' ? this.closed : this.stop();
    this.destroyDying();
    return closed;
  }

  private startDeploy(generation: Generation, timeoutMs: number | undefined, boot: boolean, onDone: DeployOp['onDone']): void {
    const op: DeployOp = { kind: 'deploy', startedAt: performance.now(), boot, generation, phase: 'new', failure: null, onDone };
    this.op = op;
    for (let number = 0; number < generation.count; number += 1) {
      this.spawn(number, generation);
      this.emit('SpawnNew');
    }
    if (timeoutMs !== undefined) {
      op.timer = setTimeout(() => {
        op.timer = undefined;
        this.emit('Timeout');
        this.interruptDeploy(op, `the deploy timed out after ${timeoutMs / 1000} s`);
      }, timeoutMs);
    }
  }

  private interruptDeploy(op: DeployOp, reason: string): void {
    if (op.phase === 'new') this.failDeploy(op, reason);
    else this.destroyDying();
  }

  private failDeploy(op: DeployOp, reason: string): void {
    if (op.failure !== null) return;
    op.failure = reason;
    for (const worker of this.workers.values()) {
      if (worker.generation !== op.generation) continue;
      if (worker.state !== 'booting' && worker.state !== 'new_online') continue;
      worker.state = 'destroying';
      this.emit('DestroyNew');
      worker.killTimer = destroy(worker.handle);
    }
    this.settle();
  }

  /** Moves the running operation forward after any change of state. */
  private settle(): void {
    const op = this.op;
    if (op === null) return;
    if (op.kind === 'stop') {
      if (this.workers.size === 0) this.finishStop(op);
      return;
    }
    if (op.phase === 'new') {
      if (op.failure !== null) {
        if (!this.some((w) => w.state === 'destroying' && w.generation === op.generation)) {
          this.finishDeploy(op, 'failed');
        }
        return;
      }
      const online = this.inState('new_online').filter((w) => w.generation === op.generation).length;
      if (online < op.generation.count) return;
      // Every new worker is online: commit the release, then retire everything else.
      op.phase = 'old';
      this.current = op.generation;
      // A new release starts every count afresh, and its workers replace any restart still pending.
      this.forgetStreaks();
      for (const worker of [...this.workers.values()]) {
        if (worker.state === 'online' || (worker.state === 'booting' && worker.generation !== op.generation)) {
          this.shutdown(worker);
        }
      }
    }
    if (!this.some((w) => w.state === 'dying')) this.finishDeploy(op, 'ready');
  }

  private finishDeploy(op: DeployOp, outcome: DeployOutcome): void {
    clearTimeout(op.timer);
    if (outcome === 'ready') {
      for (const worker of this.inState('new_online')) worker.state = 'online';
    } else {
      this.lastFailure = op.failure;
    }
    this.op = null;
    op.onDone(outcome);
    this.wakeDeployWaiters();
  }

  private finishStop(op: StopOp): void {
    clearTimeout(op.timer);
    this.emit('Shutdown');
    this.resolveClosed();
  }

  private armStopTimer(op: StopOp, timeoutMs: number): void {
    clearTimeout(op.timer);
    op.timer = setTimeout(() => {
      op.timer = undefined;
      this.emit('Timeout');
      this.destroyDying();
    }, timeoutMs);
  }

  private wakeDeployWaiters(): void {
    const waiters = this.deployWaiters;
    this.deployWaiters = [];
    for (const wake of waiters) wake();
  }

  private spawn(number: number, generation: Generation): void {
    // The exit callback never runs synchronously, so `worker` is set by then.
    const handle = forkWorker(this.options.program, generation, number, (info) => this.onExit(worker, info));
    const worker: Worker = { number, generation, handle, state: 'booting', startedAt: performance.now() };
    handle.on('message', (message: unknown) => this.onMessage(worker, message));
    this.workers.set(handle.id, worker);
    this.options.onSpawn(handle.process);
  }

  private shutdown(worker: Worker): void {
    worker.state = 'dying';
    this.emit('ShutdownOld');
    sendShutdown(worker.handle);
  }

  private destroyDying(): void {
    for (const worker of this.inState('dying')) {
      if (worker.killTimer !== undefined) continue;
      this.emit('DestroyOld');
      worker.killTimer = destroy(worker.handle);
    }
  }

  /** The running deploy, if `worker` is one of the new workers it is still waiting for. */
  private deployWaitingFor(worker: Worker): DeployOp | null {
    const op = this.op;
    if (op?.kind === 'deploy' && op.phase === 'new' && worker.generation === op.generation) return op;
    return null;
  }

  private onMessage(worker: Worker, message: unknown): void {
    // Anything else a worker sends belongs to the app, not to naught.
    if (message === 'online') this.onOnline(worker);
    else if (message === 'offline') this.onOffline(worker);
  }

  private onOnline(worker: Worker): void {
    if (worker.state !== 'booting') return;
    if (this.deployWaitingFor(worker) !== null) {
      worker.state = 'new_online';
      this.emit('NewOnline');
      this.settle();
      return;
    }
    worker.state = 'online';
    this.emit('WorkerOnline');
    if (this.op === null && this.inState('booting').length === 0) this.emit('Ready');
  }

  /** The worker says it is dying: stop routing to it, replace it, let it finish. */
  private onOffline(worker: Worker): void {
    if (worker.state === 'dying' || worker.state === 'destroying') return;
    const deploy = this.deployWaitingFor(worker);
    worker.state = 'dying';
    if (worker.handle.isConnected()) worker.handle.disconnect();
    this.emit('WorkerOffline');
    if (deploy !== null) {
      this.failDeploy(deploy, `new worker ${worker.number} went offline`);
      return;
    }
    if (this.op?.kind !== 'stop' && this.resuscitate(worker)) this.emit('SpawnNew');
    this.settle();
  }

  private onExit(worker: Worker, info: ExitInfo): void {
    clearTimeout(worker.killTimer);
    this.workers.delete(worker.handle.id);
    // A death nobody asked for (not a shutdown, not a destroy) is what status reports.
    if (worker.state !== 'dying' && worker.state !== 'destroying') this.record(worker.number).lastExit = describeExit(info);
    const deploy = this.deployWaitingFor(worker);
    if (worker.state === 'destroying') {
      this.emit('NewDestroyed');
    } else if (worker.state === 'dying') {
      // Exits an operation waits for are OldExit; an offline worker finishing on its own is a death.
      this.emit(this.waitingFor === 'old' || this.waitingFor === 'shutdown' ? 'OldExit' : 'WorkerDeath');
    } else if (deploy !== null) {
      this.emit('NewDeath');
      this.failDeploy(deploy, `new worker ${worker.number} ${describeExit(info)}`);
      return;
    } else {
      this.resuscitate(worker);
      this.emit('WorkerDeath');
    }
    this.settle();
  }

  /**
   * Starts the same number again as the current release: now, or after a delay
   * when it keeps dying (restart-policy.ts). True when it was started now.
   */
  private resuscitate(dead: Worker): boolean {
    const { number } = dead;
    const record = this.record(number);
    record.restarts += 1;
    const { crashes, delayMs } = nextRestart(record.crashes, performance.now() - dead.startedAt);
    record.crashes = crashes;
    if (delayMs === 0) {
      this.spawn(number, this.current);
      return true;
    }
    record.restartAt = performance.now() + delayMs;
    record.timer = setTimeout(() => {
      record.timer = undefined;
      record.restartAt = undefined;
      this.spawn(number, this.current);
      this.emit('SpawnNew');
    }, delayMs);
    this.options.onNotice(`naught: ${crashLoopText({ worker: number, crashes, restartInMs: delayMs })} (${crashes} deaths in a row)`);
    return false;
  }

  private record(number: number): NumberRecord {
    let record = this.numbers.get(number);
    if (record === undefined) this.numbers.set(number, (record = { crashes: 0, restarts: 0, lastExit: null }));
    return record;
  }

  /** Every live worker and the operation under way, for `naught status --json` (memory is the supervisor's to add). */
  detail(): { operation: StatusDetail['supervisor']['operation']; workers: Array<Omit<WorkerDetail, 'memoryBytes'>> } {
    const now = performance.now();
    const op = this.op;
    const operation = op === null ? null : { kind: op.kind === 'stop' ? ('stop' as const) : op.boot ? ('boot' as const) : ('deploy' as const), forMs: Math.round(now - op.startedAt) };
    const releaseOf = (worker: Worker): WorkerDetail['release'] => {
      if (worker.generation === this.current) return 'current';
      return op?.kind === 'deploy' && worker.generation === op.generation ? 'new' : 'old';
    };
    const workers = [...this.workers.values()]
      .map((worker) => ({
        number: worker.number,
        pid: worker.handle.process.pid ?? null,
        state: worker.state,
        release: releaseOf(worker),
        directory: worker.generation.code.cwd,
        uptimeMs: Math.round(now - worker.startedAt),
        restarts: this.numbers.get(worker.number)?.restarts ?? 0,
        lastExit: this.numbers.get(worker.number)?.lastExit ?? null,
      }))
      .sort((a, b) => a.number - b.number || b.uptimeMs - a.uptimeMs);
    return { operation, workers };
  }

  private forgetStreaks(): void {
    for (const record of this.numbers.values()) {
      clearTimeout(record.timer);
      record.crashes = 0;
      record.timer = undefined;
      record.restartAt = undefined;
    }
  }

  /** Worker numbers in a crash loop: waiting for their restart, or starting once more. */
  private crashLoops(): CrashLoop[] {
    const loops: CrashLoop[] = [];
    for (const [worker, { crashes, restartAt }] of this.numbers) {
      if (!isCrashLoop(crashes)) continue;
      if (restartAt !== undefined) loops.push({ worker, crashes, restartInMs: Math.ceil(Math.max(0, restartAt - performance.now())) });
      else if (this.some((w) => w.number === worker && w.state === 'booting')) loops.push({ worker, crashes, restartInMs: null });
    }
    return loops;
  }

  private inState(state: WorkerState): Worker[] {
    return [...this.workers.values()].filter((w) => w.state === state);
  }

  private some(predicate: (worker: Worker) => boolean): boolean {
    for (const worker of this.workers.values()) if (predicate(worker)) return true;
    return false;
  }

  private snapshot(event: EventName): NaughtEvent {
    const crashLoops = this.crashLoops();
    return { event, count: this.counts(), waitingFor: this.waitingFor, ...(crashLoops.length > 0 ? { crashLoops } : {}) };
  }

  private emit(event: EventName): void {
    this.options.onEvent(this.snapshot(event));
  }
}
