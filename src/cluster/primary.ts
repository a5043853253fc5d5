// The cluster primary: the driver of the machine (machine.ts). It is the only
// code that knows node:cluster, timers and the clock: it feeds the machine what
// requests, workers and timers say, hands its events to the sinks, and carries
// out its effects. Requests are answered through the tickets they were given.
import cluster, { type Worker as ClusterWorker } from 'node:cluster';
import { existsSync } from 'node:fs';
import type { ChildProcess, SendHandle } from 'node:child_process';
import type { ExitInfo } from '../protocol/exit.js';
import type { NaughtEvent, OperationKind, RestartReason, StatusDetail, WorkerDetail } from '../protocol/messages.js';
import { AGENT_CMD, workerReport, type AgentMessage, type LearnedAddress, type LoopDelay } from '../protocol/agent.js';
import { INTERNAL_MESSAGE, type SocketHandle } from '../host/node-internals.js';
import { guardChannel } from '../host/channel-guard.js';
import { listenEnv, type ListenFd } from '../protocol/listen-fds.js';
import { resolveCode, type Code } from './release.js';
import { residentBytes } from '../host/process-usage.js';
import { workerRequests } from '../protocol/http-figures.js';
import type { BootPriority } from './boot-priority.js';
import type { WorkerStderr } from '../log/worker-stderr.js';
import { WorkerDiagnostics, type Examination } from './worker-diagnostics.js';
import { INSPECTOR_FLAGS } from './worker-inspector.js';
import type { Balance } from './balance.js';
import { monotonicMs } from '../host/monotonic.js';
import {
  detail,
  initialState,
  restartTotals,
  snapshot,
  step,
  timerKey,
  stopping,
  type Outcome,
  type Deploy,
  type Effect,
  type Input,
  type Release,
  type State,
  type Worker,
  type Timer,
} from './machine.js';

export interface Program {
  /** The script as given; each release runs the file it resolves to then. */
  script: string;
  args: string[];
  /** Arguments for node itself (--node-args). */
  execArgv: string[];
  /** Which worker streams naught reads; the others go to /dev/null. */
  captured: { stdout: boolean; stderr: boolean };
  /** Sockets naught holds (by its own fds), which each worker gets from fd 3 on; the learned ones a worker asks for (learn). */
  sockets: ListenFd[];
  /** --balance kernel: a listen() of a worker's that no held socket answers asks naught for one (worker/learned-sockets.ts). */
  balance: Balance;
  /** Why the workers cannot be looked inside (worker-inspector.ts), or null: they start so that SIGUSR1 opens node's inspector for naught alone. */
  uninspectable: string | null;
}

/** A socket naught now holds at a worker's address, for it to listen on, and naught's fd of it; or why there is none (an errno's code, and words). */
export type Learned = { handle: SocketHandle; fd: number } | { error: { code: string; message: string } };

/** Where the driver's time comes from; tests may give their own. */
export interface Clock {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  setTimeout(callback: () => void, ms: number): NodeJS.Timeout;
  clearTimeout(timer: NodeJS.Timeout): void;
}

/**
 * How long a worker's exit may wait for the end of its stderr, so that its death is said
 * with its last lines. The pipe ends with the process, unless a process it started
 * holds it: then the lines so far are said.
 */
const EXIT_LINES_WAIT_MS = 200;

const REAL_CLOCK: Clock = { now: monotonicMs, setTimeout, clearTimeout };

export interface PrimaryOptions {
  program: Program;
  /** The first release. */
  release: Omit<Release, 'id'>;
  /** What `naught rollback` brings back before any deploy here (a predecessor's, naught upgrade); null: nothing. */
  previous?: Omit<Release, 'id'> | null;
  onEvent(event: NaughtEvent): void;
  /** Called for every forked worker so its output can be collected; gives what naught sees of its stderr (null: naught reads none). */
  onSpawn(child: ChildProcess): WorkerStderr | null;
  /** Keeps a hung worker's diagnostic report in a file, and says where (null when it could not). */
  keepReport(number: number, report: string): string | null;
  /** A worker boots at this lower priority until it is online (--boot-nice); null: at naught's. */
  bootPriority: BootPriority | null;
  /** The pings ask each worker's agent for its event loop's delay (--metrics). */
  measureLoopDelay?: boolean;
  /** Holds a socket at `address` for the workers (--balance kernel). */
  learn(address: LearnedAddress): Promise<Learned>;
  /** Closes the learned sockets whose fds `keep` leaves out: no worker of the running release listens on them. */
  forget(keep: ReadonlySet<number>): void;
  clock?: Clock;
  /** node:cluster, unless a test gives the driver a fake one to watch it work. */
  cluster?: ClusterApi;
}

/** What the driver uses of node:cluster. */
export type ClusterApi = Pick<typeof cluster, 'setupPrimary' | 'fork'>;

/** What a deploy is asked: the machine's request (count 0 or absent keeps it), and a working directory (absent keeps the current one). */
export type DeployOptions = Partial<Deploy> & { cwd?: string };

/**
 * What the service manager tells naught is naught's alone: a worker that saw
 * NOTIFY_SOCKET could report READY=1 for the whole service, and LISTEN_PID names
 * naught (the agent gives each worker its own). `undefined` removes a variable
 * from the environment a fork inherits.
 */
const SUPERVISOR_ONLY_ENV = { NOTIFY_SOCKET: undefined, WATCHDOG_USEC: undefined, WATCHDOG_PID: undefined, LISTEN_PID: undefined };

export class Primary {
  private state: State;
  private readonly clock: Clock;
  private readonly handles = new Map<number, ClusterWorker>();
  /** By timerKey(). */
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly tickets = new Map<number, (answer: Outcome) => void>();
  /** What each worker's agent said of its event loop's delay, last. */
  private readonly delays = new Map<number, LoopDelay>();
  /** The learned sockets (naught's fds) each live worker was given, and each release's workers ever were. */
  private readonly taken = { byWorker: new Map<number, Set<number>>(), byRelease: new Map<number, Set<number>>() };
  private readonly diagnostics: WorkerDiagnostics;
  private nextTicket = 1;
  /** Inputs that arrive while a step's effects run wait for it to end. */
  private readonly queue: Input[] = [];
  private feeding = false;
  private resolveClosed!: () => void;
  /** Resolves after the Shutdown event: no worker is left and none will be started. */
  readonly closed = new Promise<void>((resolve) => (this.resolveClosed = resolve));

  constructor(private readonly options: PrimaryOptions) {
    this.state = initialState(options.release, options.previous ?? null);
    this.clock = options.clock ?? REAL_CLOCK;
    this.diagnostics = new WorkerDiagnostics(options.keepReport);
  }

  /** Starts the first workers: 'ready' once all are online, 'failed' if one died first (a stop follows), 'stopped' if a stop came first. */
  boot(): Promise<Outcome> {
    return new Promise((resolve) => this.feed({ kind: 'boot', ticket: this.ticket(resolve) }));
  }

  /** Replaces every worker, all new ones online before any old one is told to shut down. `onAnswer` may hear 'busy' before the end. */
  deploy(options: DeployOptions, onAnswer: (answer: Outcome) => void): void {
    const { cwd = this.state.current.cwd, ...request } = options;
    let resolved: { code: Code } | { failure: string };
    try {
      resolved = { code: resolveCode(cwd, this.options.program.script) };
    } catch (error) {
      resolved = { failure: (error as Error).message };
    }
    this.feed({ kind: 'deploy', ticket: this.ticket(onAnswer), request: { count: 0, ...request }, cwd, resolved });
  }

  /** Deploys the release that ran before the current one: its pinned code, if it is still there, and its settings. */
  rollback(onAnswer: (answer: Outcome) => void): void {
    const { previous } = this.state;
    let resolved: { code: Code } | { failure: string } | null = null;
    if (previous !== null) {
      const missing = [previous.code.cwd, previous.code.script].find((file) => !existsSync(file));
      resolved = missing === undefined ? { code: previous.code } : { failure: `${missing} is gone` };
    }
    this.feed({ kind: 'rollback', ticket: this.ticket(onAnswer), resolved });
  }

  abortDeploy(onAnswer: (answer: Outcome) => void): void {
    this.feed({ kind: 'abort', ticket: this.ticket(onAnswer) });
  }

  /** Tells every worker to shut down; `timeoutMs` then destroys the rest. `onAnswer` hears 'already-stopping' if one runs. */
  stop(timeoutMs?: number, onAnswer?: (answer: Outcome) => void): Promise<void> {
    this.feed({ kind: 'stop', timeoutMs, ...(onAnswer === undefined ? {} : { ticket: this.ticket(onAnswer) }) });
    return this.closed;
  }

  /** A stop by signal: the first waits up to `timeoutMs`; one during a stop, whoever began it, means do not wait any longer. */
  stopBySignal(timeoutMs: number | undefined): void {
    this.feed(stopping(this.state) ? { kind: 'force' } : { kind: 'stop', timeoutMs });
  }

  /** The release that runs and the one `naught rollback` brings back. */
  releases(): { current: Release; previous: Release | null } {
    return { current: this.state.current, previous: this.state.previous };
  }

  status(): NaughtEvent {
    return snapshot(this.state, 'Status', this.clock.now());
  }

  /** Every live worker and the operation under way, for `naught status --json` (memory and CPU are the supervisor's to add). */
  detail(): Pick<StatusDetail['supervisor'], 'operation' | 'releases'> & { workers: Array<Omit<WorkerDetail, 'memoryBytes' | 'cpuSeconds'>> } {
    const { operation, workers, releases } = detail(this.state, this.clock.now());
    return {
      operation,
      releases,
      workers: workers.map(({ id, http, ...worker }) => ({
        ...worker,
        pid: this.handles.get(id)?.process.pid ?? null,
        loopDelay: this.delays.get(id) ?? null,
        requests: workerRequests(http),
      })),
    };
  }

  /**
   * Takes what `examination` asks of the serving worker `number` (naught report,
   * profile, heap-snapshot); rejects with one line when it cannot. While it runs, the
   * worker's silence does not count as a hang: a heap snapshot stops its loop.
   */
  async examine(number: number, examination: Examination): Promise<void> {
    const { uninspectable } = this.options.program;
    if (uninspectable !== null) throw new Error(`the workers cannot be examined: ${uninspectable}`);
    const worker = this.examinable(number);
    const pid = this.handles.get(worker.id)?.process.pid;
    if (pid === undefined) throw new Error(`worker ${number} is not running`);
    this.feed({ kind: 'examined', worker: worker.id, examined: true });
    let examined = true;
    const leave = (): void => {
      if (examined) this.feed({ kind: 'examined', worker: worker.id, examined: false });
      examined = false;
    };
    try {
      await this.diagnostics.examine(worker.id, pid, examination, leave);
    } catch (error) {
      throw new Error(`worker ${number} ${(error as Error).message}`);
    } finally {
      leave();
    }
  }

  /** The worker that serves as `number` (the newest, during a deploy), or why none can be examined. */
  private examinable(number: number): Worker {
    const live = this.state.workers.filter((w) => w.number === number).sort((a, b) => b.startedAt - a.startedAt);
    const serving = live.find((w) => w.state === 'online' || w.state === 'new_online' || w.state === 'recycling');
    if (serving === undefined) {
      const numbers = [...new Set(this.state.workers.map((w) => w.number))].sort((a, b) => a - b);
      if (live.length > 0) throw new Error(`worker ${number} is not serving now (it is ${live[0]!.state})`);
      throw new Error(`no worker ${number} runs (the workers are ${numbers.length === 0 ? 'none' : numbers.join(', ')})`);
    }
    const busy = this.diagnostics.busyWith(serving.id);
    if (busy !== null) throw new Error(`worker ${number} is busy: ${busy}`);
    return serving;
  }

  /** The operation under way, if any. */
  operation(): OperationKind | null {
    return this.state.op?.kind ?? null;
  }

  /** Starts again of every worker number since naught started, by why. */
  restarts(): Record<RestartReason, number> {
    return restartTotals(this.state);
  }

  private ticket(onAnswer: (answer: Outcome) => void): number {
    const ticket = this.nextTicket++;
    this.tickets.set(ticket, onAnswer);
    return ticket;
  }

  private feed(input: Input): void {
    this.queue.push(input);
    if (this.feeding) return;
    this.feeding = true;
    try {
      for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
        const { state, events, effects } = step(this.state, next, this.clock.now());
        this.state = state;
        for (const event of events) this.options.onEvent(event);
        for (const effect of effects) this.perform(effect);
        if (next.kind === 'exit' || events.some(({ operation }) => operation?.ends !== undefined)) this.forgetUnused();
        if (state.closed) this.resolveClosed();
      }
    } finally {
      this.feeding = false;
    }
  }

  private perform(effect: Effect): void {
    switch (effect.kind) {
      case 'fork':
        return this.fork(effect.worker, effect.number, effect.release);
      case 'shutdown': {
        const handle = this.handles.get(effect.worker);
        if (handle === undefined || !reachable(handle)) return;
        handle.send('shutdown', () => {
          // A worker that already closed its channel cannot be told; its exit is reported anyway.
        });
        handle.disconnect();
        return;
      }
      case 'drain':
        this.tellAgent(effect.worker, { cmd: AGENT_CMD, kind: 'drain', rampMs: effect.rampMs });
        return;
      case 'disconnect': {
        const handle = this.handles.get(effect.worker);
        if (handle?.isConnected()) handle.disconnect();
        return;
      }
      case 'signal':
        this.handles.get(effect.worker)?.process.kill(effect.signal);
        return;
      case 'arm': {
        const { timer } = effect;
        const key = timerKey(timer);
        this.clearTimer(timer);
        this.timers.set(
          key,
          this.clock.setTimeout(() => {
            this.timers.delete(key);
            this.feed({ kind: 'timer', timer });
          }, effect.ms),
        );
        return;
      }
      case 'cancel':
        return this.clearTimer(effect.timer);
      case 'probe': {
        const ping: AgentMessage = { cmd: AGENT_CMD, kind: 'ping', ...(this.options.measureLoopDelay ? { delay: true } : {}) };
        for (const id of effect.ping) this.tellAgent(id, ping);
        for (const id of effect.measure) {
          const pid = this.handles.get(id)?.process.pid;
          const bytes = pid === undefined ? null : residentBytes(pid);
          if (bytes !== null) this.feed({ kind: 'memory', worker: id, bytes });
        }
        return;
      }
      case 'stack':
        return this.takeStack(effect.worker);
      case 'answer': {
        const onAnswer = this.tickets.get(effect.ticket);
        // 'busy' is said before the running deploy ends; every other answer is the last.
        if (effect.outcome !== 'busy') this.tickets.delete(effect.ticket);
        return onAnswer?.(effect.outcome);
      }
    }
  }

  /** Takes a hung worker's stack for the machine, which kills the worker once it is in (or once it waited long enough). */
  private takeStack(id: number): void {
    const pid = this.handles.get(id)?.process.pid;
    const number = this.state.workers.find((w) => w.id === id)?.number;
    if (pid === undefined || number === undefined) return;
    const { uninspectable } = this.options.program;
    if (uninspectable !== null) return this.feed({ kind: 'stack', worker: id, stack: { missing: uninspectable } });
    void this.diagnostics.stackOf(id, pid, number).then((stack) => this.feed({ kind: 'stack', worker: id, stack }));
  }

  /**
   * Once no operation runs, the learned sockets no worker of the running release was
   * given, and no worker still alive listens on, are closed: a release that listens
   * elsewhere leaves no socket queuing connections nobody accepts. A worker that asks
   * later gets one bound afresh.
   */
  private forgetUnused(): void {
    if (this.state.op !== null) return;
    const live = new Set(this.state.workers.map(({ release }) => release.id));
    for (const id of this.taken.byRelease.keys()) if (id !== this.state.current.id && !live.has(id)) this.taken.byRelease.delete(id);
    const keep = new Set(this.taken.byRelease.get(this.state.current.id));
    for (const fds of this.taken.byWorker.values()) for (const fd of fds) keep.add(fd);
    this.options.forget(keep);
  }

  /** Worker `id` of `release` listens on the learned socket of naught's fd `fd`. */
  private take(id: number, release: number, fd: number): void {
    for (const [map, key] of [[this.taken.byWorker, id], [this.taken.byRelease, release]] as const) {
      const fds = map.get(key) ?? new Set<number>();
      map.set(key, fds.add(fd));
    }
  }

  private tellAgent(id: number, message: AgentMessage): void {
    const handle = this.handles.get(id);
    // A worker whose channel is closed, or closing, cannot hear it: its exit is what comes next.
    if (handle !== undefined && reachable(handle)) handle.process.send(message, undefined, undefined, () => {});
  }

  /** Gives the worker the socket naught holds at `address` (binding it the first time), or why there is none. */
  private async answerListen(worker: ClusterWorker, workerId: number, release: number, id: number, address: LearnedAddress): Promise<void> {
    // Only an agent told to ask does (NAUGHT_BALANCE): under round-robin, naught binds nothing a worker names.
    const learned: Learned =
      this.options.program.balance === 'kernel' ? await this.options.learn(address) : { error: { code: 'EINVAL', message: 'naught holds no sockets for its workers (--balance round-robin)' } };
    if (!reachable(worker)) return;
    if ('fd' in learned) this.take(workerId, release, learned.fd);
    const answer: AgentMessage = { cmd: AGENT_CMD, kind: 'listening', id, ...('error' in learned ? { error: learned.error } : {}) };
    // A raw handle is sent as node:cluster sends its own (node's 'net.Native'): naught keeps its copy.
    worker.process.send(answer, 'handle' in learned ? (learned.handle as unknown as SendHandle) : undefined, undefined, () => {});
  }

  private clearTimer(timer: Timer): void {
    const armed = this.timers.get(timerKey(timer));
    if (armed === undefined) return;
    this.clock.clearTimeout(armed);
    this.timers.delete(timerKey(timer));
  }

  /** Forks one worker; its exit is fed back exactly once, also when it could not be spawned. */
  private fork(id: number, number: number, release: Release): void {
    let exited = false;
    const exit = (info: ExitInfo): void => {
      if (exited) return;
      exited = true;
      this.diagnostics.forget(id);
      this.handles.delete(id);
      this.delays.delete(id);
      this.taken.byWorker.delete(id);
      this.feed({ kind: 'exit', worker: id, exit: info });
    };
    let handle: ClusterWorker;
    try {
      handle = this.spawnWorker(number, release);
    } catch (error) {
      // node throws for a spawn that failed otherwise than by EMFILE, ENFILE, EAGAIN, EACCES or ENOENT (ENOMEM, say):
      // a start that failed, as those are.
      return exit({ code: null, signal: null, spawnError: (error as NodeJS.ErrnoException).code ?? (error as Error).message });
    }
    this.handles.set(id, handle);
    if (handle.process.pid !== undefined) this.options.bootPriority?.lower(handle.process.pid);
    this.follow(handle, id, release, exit);
    // A spawn that failed (its 'error' says so) has no process, and no pipes to read.
    if (handle.process.pid !== undefined) this.diagnostics.attach(id, this.options.onSpawn(handle.process));
  }

  /** node:cluster's fork of the release's code, with naught's stdio and the release's environment. */
  private spawnWorker(number: number, release: Release): ClusterWorker {
    const { program } = this.options;
    const nodeCluster = this.options.cluster ?? cluster;
    nodeCluster.setupPrimary({
      exec: release.code.script,
      args: program.args,
      execArgv: program.uninspectable === null ? [...INSPECTOR_FLAGS, ...program.execArgv] : program.execArgv,
      // With INSPECTOR_FLAGS node:cluster gives each worker --inspect-port= this (any free port) instead of 9230 and on.
      ...(program.uninspectable === null ? { inspectPort: 0 } : {}),
      cwd: release.code.cwd,
      // Captured output is piped so the supervisor can log each worker line by line. A pipe
      // nobody reads would block the worker once full, so an unwanted stream is not a pipe.
      // The held sockets follow, from fd 3 on as sd_listen_fds(3) has them, each the worker's own
      // copy: a worker listens on it itself, and its exit closes only its copy. (Through
      // node:cluster's round-robin the primary would open naught's fd, and close it with the
      // last worker that listened: then the address is gone until a worker binds it anew.)
      stdio: ['ignore', program.captured.stdout ? 'pipe' : 'ignore', program.captured.stderr ? 'pipe' : 'ignore', ...program.sockets.map((s) => s.fd), 'ipc'],
    });
    const balance = program.balance === 'kernel' ? { NAUGHT_BALANCE: 'kernel' } : {};
    return nodeCluster.fork({ ...release.env, ...SUPERVISOR_ONLY_ENV, ...listenEnv(program.sockets), ...balance, NAUGHT_WORKER: String(number) });
  }

  /** Feeds the machine what the worker's process and channel say. */
  private follow(handle: ClusterWorker, id: number, release: Release, exit: (info: ExitInfo) => void): void {
    // Before any of its messages can arrive: what it sends costs it, never naught.
    guardChannel(handle.process, (why) => this.feed({ kind: 'fault', worker: id, why }));
    handle.process.once('exit', (code, signal) => {
      if (handle.process.pid !== undefined) this.options.bootPriority?.forget(handle.process.pid);
      const stderr = this.diagnostics.stderrOf(id);
      if (stderr === null) return exit({ code, signal });
      // Its last lines may still be on their way from the pipe: a death is said with them.
      let timer: NodeJS.Timeout | null = null;
      const late = new Promise<void>((resolve) => (timer = this.clock.setTimeout(resolve, EXIT_LINES_WAIT_MS)));
      void Promise.race([stderr.ended, late]).then(() => {
        this.clock.clearTimeout(timer!);
        exit({ code, signal, stderr: stderr.lastLines() });
      });
    });
    handle.process.once('disconnect', () => this.feed({ kind: 'disconnected', worker: id }));
    handle.process.on('error', (error: NodeJS.ErrnoException) => {
      // node:cluster emits 'error' and never 'exit' for a process that could not be spawned;
      // after a successful spawn, errors are IPC failures and the 'exit' that follows tells the story.
      if (handle.process.pid === undefined) exit({ code: null, signal: null, spawnError: error.code ?? error.message });
    });
    // cluster re-emits child errors on the worker; without a listener they would throw.
    handle.on('error', () => {});
    handle.on('message', (message: unknown) => {
      // Anything else a worker sends belongs to the app, not to naught.
      if (message === 'online' && handle.process.pid !== undefined) this.options.bootPriority?.restore(handle.process.pid);
      if (message === 'online' || message === 'offline') this.feed({ kind: message, worker: id });
    });
    // The agent's answers (protocol/agent.ts); node:cluster's own internal messages have another cmd.
    handle.process.on(INTERNAL_MESSAGE, (message: unknown) => {
      const report = workerReport(message);
      if (report?.kind === 'drained') return this.feed({ kind: 'drained', worker: id });
      if (report?.kind === 'listen') return void this.answerListen(handle, id, release.id, report.id, report.address);
      if (report?.kind !== 'pong') return;
      if (report.delay !== null) this.delays.set(id, report.delay);
      this.feed({ kind: 'alive', worker: id, http: report.http });
    });
  }
}

/**
 * A worker naught may still tell something: its channel is open and naught has not let it
 * go. Once told to disconnect, its channel stays open until the worker reads that, and
 * a handle arriving with the 'disconnect' crashes the worker inside node
 * (ERR_INTERNAL_ASSERTION: it acknowledges the handle on a channel it just closed).
 */
function reachable(worker: ClusterWorker): boolean {
  return worker.isConnected() && worker.exitedAfterDisconnect !== true;
}
