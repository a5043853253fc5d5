// The vocabulary shared by the CLI, the supervisor and the cluster primary.
// Event names, count keys and `waitingFor` values are naught 1.x's public contract.
import type { DiagnosticKind, HangStack } from './diagnostics.js';
import type { LoopDelay } from './agent.js';
import type { WorkerRequests } from './http-figures.js';
import type { ListenFd } from './listen-fds.js';

/** How sd_notify messages reach systemd: libsystemd's sd_notify through the addon, or the program. */
export type TransportName = 'sd-notify' | 'systemd-notify';

/** Why a worker number was started again: it died, said 'offline', or a health rule replaced it. */
export const RESTART_REASONS = ['crash', 'offline', 'memory', 'hang', 'age'] as const;
export type RestartReason = (typeof RESTART_REASONS)[number];

export type EventName =
  | 'Bootup'
  | 'SpawnNew'
  | 'NewOnline'
  | 'NewDeath'
  | 'ShutdownOld'
  | 'OldExit'
  | 'Ready'
  | 'Status'
  | 'WorkerOnline'
  | 'WorkerOffline'
  | 'WorkerDeath'
  | 'Timeout'
  | 'DeployFailed'
  | 'DestroyNew'
  | 'NewDestroyed'
  | 'DestroyOld'
  | 'ErrorDeployInProgress'
  | 'ErrorShuttingDown'
  | 'ErrorNoDeployInProgress'
  | 'AlreadyShuttingDown'
  | 'Shutdown'
  /** Over --max-memory or --max-worker-age: replaced, online first. */
  | 'WorkerRecycle'
  /** No answer for --worker-timeout: killed and replaced. */
  | 'WorkerHang'
  /** Sent naught on its channel what naught cannot take: killed (its death is a crash). */
  | 'WorkerFault'
  /** A canary deploy's canary workers are online and their old workers gone: the window begins. */
  | 'CanaryStart'
  /** The window is over and the canary did no worse than the old workers: the rest follow. */
  | 'CanaryPassed'
  /** The canary failed (or the deploy was interrupted once it served): it is rolled back. */
  | 'CanaryFailed';

/** The operations of the cluster; 'boot' is the first start, a deploy with no old workers. */
export type OperationKind = 'boot' | 'deploy' | 'stop';

/** How a boot or a deploy ended. */
export type DeployOutcome = 'ready' | 'failed' | 'stopped';

/** The operation an event belongs to, and whether the event begins or ends it. */
export interface EventOperation {
  kind: OperationKind;
  /** This is the operation's first event. */
  begins?: true;
  /** This is its last event, and how it ended: a deploy 'stopped' was cut short by a stop; a stop ends 'stopped'. */
  ends?: DeployOutcome;
}

export interface Counts {
  booting: number;
  online: number;
  dying: number;
  new_online: number;
}

/** What the primary is waiting for: nothing, new workers online, old workers gone, or the stop. */
export type WaitingFor = null | 'new' | 'old' | 'shutdown';

/** A worker number that keeps dying soon after each start (see cluster/restart-policy.ts). */
export interface CrashLoop {
  worker: number;
  /** Deaths in a row. */
  crashes: number;
  /** Time left before its next start; null while it is starting. */
  restartInMs: number | null;
}

/**
 * One change of state, with everything a sink needs to render it: no sink asks the
 * cluster anything. `event`, `count` and `waitingFor` are 1.x's; the rest is naught's.
 */
export interface NaughtEvent {
  event: EventName;
  count: Counts;
  waitingFor: WaitingFor;
  operation: EventOperation | null;
  /** The worker number the event is about, for events about one worker. */
  worker?: number;
  /** SpawnNew of a worker in place of one that died, hung, went offline or is recycled (on that one's release), not one of a boot's or a deploy's. */
  replacement?: true;
  /** DeployFailed: why the deploy did not go through. */
  failure?: string;
  /** WorkerRecycle, WorkerHang: which rule, and what was measured; `retiring`: a hung worker that was being retired, killed and not replaced. */
  health?: { reason: 'memory' | 'age' | 'hang'; detail: string; retiring?: true };
  /** WorkerHang: the stack naught took before killing it, or why there is none. */
  stack?: HangStack;
  /** WorkerDeath, NewDeath of a death nobody asked for: how it ended, and the last lines it wrote to stderr. */
  death?: { exit: string; stderr: string[] };
  /** WorkerFault: what the worker sent. */
  fault?: string;
  /** A death (WorkerDeath, WorkerOffline) whose restart waits: the crash loop it is in. */
  restart?: { crashes: number; inMs: number };
  /** Present while some worker is crash-looping. */
  crashLoops?: CrashLoop[];
  /** CanaryStart: the canary's worker numbers (`0`, `0–1`), its window, and the old workers serving beside it. */
  canary?: { workers: string; windowMs: number; old: number };
  /** CanaryPassed, CanaryFailed by its figures: what the window showed. (CanaryFailed's `failure` says why.) */
  verdict?: CanaryVerdict;
}

/** What a canary's window showed, as the events and the deploy's last line give it. */
export interface CanaryVerdict {
  passed: boolean;
  /** Why it failed, or what it passed with, in one line. */
  text: string;
  /** The canary workers' responses in the window, all and 5xx; the old workers' likewise. */
  requests: number;
  serverErrors: number;
  oldRequests: number;
  oldServerErrors: number;
}

/** The event as a Node parent gets it: 1.x's object, and the crash loops while there are some. */
export type ParentEvent = Pick<NaughtEvent, 'event' | 'count' | 'waitingFor' | 'crashLoops'>;

/** Sent to a Node parent (and to the CLI that started a daemon) once the ipc socket accepts clients. */
export interface IpcListening {
  event: 'IpcListening';
  /** The supervisor's: an upgrade's successor is no child of the naught it reports to. */
  pid: number;
}

/** Sent to the parent instead of IpcListening when the supervisor cannot start. */
export interface StartFailure {
  event: 'Error';
  value: string;
}

/**
 * Sent by the naught `naught upgrade` started to the naught that started it, once its
 * workers are online and it has taken the ipc file and the pid file: the old one's
 * workers can go.
 */
export interface TookOver {
  event: 'TookOver';
}

export type ParentMessage = IpcListening | StartFailure | ParentEvent | TookOver;

/**
 * What a deploy may change, one shape from the CLI to the cluster machine: the CLI asks
 * it (its units converted there, once), the supervisor passes it on, the machine takes it.
 */
export interface DeployChanges {
  /** Merged over the workers' environment; absent keeps it. */
  env?: Record<string, string>;
  /** Before the deploy is aborted; absent: never. */
  timeoutMs?: number;
  /** Absolute working directory for the new workers; absent keeps it. */
  cwd?: string;
  /** A new --max-memory in bytes for the new workers; null removes it; absent keeps it. */
  maxMemoryBytes?: number | null;
  /** Workers replaced at a time; absent: naught's --deploy-batch. */
  batch?: number;
  /** A canary: how many workers (0: none), for how long, how much worse their 5xx share may be; absent parts: naught's --deploy-canary and its window and margin. */
  canary?: { count?: number; windowMs?: number; marginPercent?: number };
}

export interface DeployRequest extends DeployChanges {
  action: 'deploy';
  /** 0 keeps the current count; `auto`: one per CPU naught may use (its cgroup's quota, which the supervisor reads). */
  workerCount: number | 'auto';
}

/** A new naught from the node and naught on disk now, given naught's sockets; then this one goes. */
export interface UpgradeRequest {
  action: 'upgrade';
  /** The node binary and naught's script to run: those of the `naught upgrade` command. */
  node: string;
  naught: string;
  /** The version of that node, for what the command prints. */
  nodeVersion: string;
  /** How long the new naught has to get its workers online; then it is stopped and the old one keeps serving. */
  timeoutMs?: number;
}

/** How an upgrade goes, step by step, told to the client that asked for it. */
export type UpgradeStep =
  | { kind: 'refused'; reason: string }
  | { kind: 'started'; pid: number }
  /** An event of the new naught while its workers boot. */
  | { kind: 'event'; event: ParentEvent }
  | { kind: 'upgraded'; pid: number }
  | { kind: 'failed'; reason: string };

export interface StopRequest {
  action: 'stop';
  /** How long workers that ignore 'shutdown' have before they are killed; absent: for ever. */
  timeoutMs?: number;
}

export interface WorkerCountChoice {
  given: 'auto' | number;
  count: number;
  availableCpus: number;
  /** The CPU limit of naught's cgroup (the smallest along its path), and the file it was read from; null: none. */
  cpuQuota: { cpus: number; file: string } | null;
}

/** One worker as `naught status --json` and the terminal table show it. */
export interface WorkerDetail {
  /** NAUGHT_WORKER of this worker. */
  number: number;
  pid: number | null;
  state: 'booting' | 'online' | 'recycling' | 'dying' | 'hung' | 'new_online' | 'draining' | 'destroying';
  /** The release it runs: 'current', or 'new' while a deploy brings it up. */
  release: 'current' | 'new' | 'old';
  /** The real directory its code runs in, resolved when its release began (a `current` symlink is followed). */
  directory: string;
  uptimeMs: number;
  /** Since its event loop last showed it runs: its start, 'online', an answer to the agent's ping. */
  silentForMs: number;
  /** Times this worker number was started again: in all, and by why. */
  restarts: number;
  restartsBy: Record<RestartReason, number>;
  /** Resident memory, when it could be read. */
  memoryBytes: number | null;
  /** CPU time it has used (user + system), when it could be read. */
  cpuSeconds: number | null;
  /** Its event loop's delay over the last ping's period, as its agent measured it (--metrics); null until it said. */
  loopDelay: LoopDelay | null;
  /** How the last worker with this number that died went, e.g. 'exited with code 1'. */
  lastExit: string | null;
  /** The last lines it wrote to stderr before that death, when it was one nobody asked for and naught reads stderr. */
  lastStderr: string[] | null;
  /** The stack naught took of the last worker with this number that hung, and where its report is. */
  lastStack: HangStack | null;
  /** Its HTTP responses since it started, as its agent counts them; null: none counted (no agent, or no HTTP server). */
  requests: WorkerRequests | null;
}

/** One release, as status names the running one and the one `naught rollback` would bring back. */
export interface ReleaseSummary {
  id: number;
  /** Its working directory and script, resolved when it began. */
  directory: string;
  script: string;
  workers: number;
}

/** What `naught status --json` gives beside the 1.x counts. */
export interface StatusDetail {
  supervisor: {
    pid: number;
    mode: 'foreground' | 'daemon';
    /** The version of the node naught runs on (`naught upgrade` may change it). */
    node: string;
    uptimeMs: number;
    /** The operation under way ('boot' is the first start), and for how long. */
    operation: { kind: OperationKind; forMs: number } | null;
    /** How sd_notify messages reach systemd; null when naught does not run under a service manager that listens. */
    notify: TransportName | null;
    /** Sockets naught holds for the workers: passed by the service manager (LISTEN_FDS), or bound for --listen; where each is bound, when /proc says. */
    sockets: Array<ListenFd & { address: string | null }>;
    /** Starts again of every worker number since naught started, by why. */
    restartsBy: Record<RestartReason, number>;
    /** How the worker count was chosen at start: given, or `auto` from the CPUs naught may use and its cgroup's CPU quota. */
    workerCount: WorkerCountChoice;
    /** The nice value a worker boots at until it is online (--boot-nice); null: naught's own. */
    bootNice: number | null;
    /** Whether a booting worker also runs under SCHED_IDLE (chrt found), as long as it runs at bootNice. */
    bootIdle: boolean;
    /** The release that runs, and the one before it (`naught rollback`), null until a deploy went through. */
    releases: { current: ReleaseSummary; previous: ReleaseSummary | null };
  };
  workers: WorkerDetail[];
}

/** The workers' output streams, each a log file of naught's. */
export type OutputStream = 'stdout' | 'stderr';

/** The last lines of the workers' log files, and with `follow` every line written after them, across rotations. */
export interface LogsRequest {
  action: 'logs';
  streams: OutputStream[];
  lines: number;
  follow: boolean;
}

/** naught report, profile, heap-snapshot: what to take of the serving worker `worker`; `profileMs`: a profile's length. */
export interface ExamineRequest {
  action: 'examine';
  kind: DiagnosticKind;
  worker: number;
  profileMs: number;
}

export type Request =
  | { action: 'status'; detail?: boolean }
  | ExamineRequest
  | LogsRequest
  | DeployRequest
  /** A deploy of the release that ran before the current one (naught rollback). */
  | { action: 'rollback' }
  | { action: 'deploy-abort' }
  | StopRequest
  | UpgradeRequest;

/** How one request turned out, sent to the client that made it and to no other. */
export type Answer =
  /** deploy: all new workers online, old ones gone. */
  | 'deployed'
  /** deploy: not deployed (a new worker died, a timeout, an abort, a stop). */
  | 'deploy-failed'
  /** deploy: another deploy runs; 'deploy-failed' follows when that one ends. */
  | 'deploy-busy'
  /** deploy: naught is shutting down. */
  | 'deploy-refused'
  /** deploy-abort: the running deploy has ended. */
  | 'aborted'
  /** deploy-abort: there was no deploy to abort. */
  | 'nothing-to-abort'
  /** The deploy had its new workers online: it went through, and the old workers left were killed. */
  | 'abort-too-late'
  /** stop: a stop was already under way; its Shutdown event still follows. */
  | 'already-stopping';

/** Supervisor → CLI over the ipc socket. */
export type Reply =
  /** Every event while the client follows (after deploy, deploy-abort or stop). */
  | ({ type: 'event' } & NaughtEvent)
  /** The answer to `status` (with `detail` when asked for). */
  | ({ type: 'status'; detail?: StatusDetail } & NaughtEvent)
  | { type: 'answer'; answer: Answer }
  | { type: 'upgrade'; step: UpgradeStep }
  /** Whole lines of one of the workers' log files (logs). */
  | { type: 'log'; stream: OutputStream; text: string }
  /** logs without follow: every line asked for was sent. */
  | { type: 'log-end' }
  /** examine: the worker was found and is being examined; `app`: the script's name, for the file's. */
  | { type: 'examining'; app: string; pid: number; memoryBytes: number | null }
  /** examine: the next piece of the file's text. */
  | { type: 'piece'; text: string }
  /** examine: the whole file was sent. */
  | { type: 'examined' }
  /** The request could not be understood. */
  | { type: 'error'; message: string };

/**
 * Events that answer one client's request rather than change any state. They
 * are logged like every event; a CLI that follows events does not print
 * another client's answers.
 */
export const ANSWER_EVENTS: ReadonlySet<EventName> = new Set([
  'Status',
  'ErrorDeployInProgress',
  'ErrorShuttingDown',
  'ErrorNoDeployInProgress',
  'AlreadyShuttingDown',
]);
