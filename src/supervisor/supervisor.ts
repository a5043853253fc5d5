// The long-lived process that systemd, Docker or a runbook sees. It owns the log
// sinks, the ipc socket, the pid file, the signals and the cluster primary, and
// gives each event of the primary to every sink (event-bus.ts).
//
// The primary runs in this process rather than in a child: one node process
// instead of two (naught 1.x used two, ~89 MB), worker output reaches the log
// files through one pipe hop instead of two, and per-deploy cwd and environment
// are per-fork options of node:cluster, so nothing here is mutated by a deploy.
//
// supervise() is the whole life, top to bottom: open what naught owns, make the
// primary, say how it ends, boot, serve until the primary is closed, close. It ends:
//   - with a StartError, when a start-up step fails (openStep): nothing is left open;
//   - with 1, when the first boot failed; with 0, after any stop, which is one of
//   - a signal or `naught stop` (control.ts, signals.ts),
//   - the naught that started this one gone (goWithParent),
//   - an upgrade's successor took over (upgrade.ts), or this one, a successor, could not.
import type { Health } from '../cluster/health.js';
import type { ListenAddress, ListenFd, SocketAddress } from '../protocol/listen-fds.js';
import { addressText } from '../protocol/listen-fds.js';
import { Primary, type PrimaryOptions, type Program } from '../cluster/primary.js';
import type { WorkerCountChoice } from '../protocol/messages.js';
import { resolveCode } from '../cluster/release.js';
import { openConsoles, type Console } from '../log/console.js';
import { openSink, type LogTarget, type Sink } from '../log/sinks.js';
import { WorkerOutput } from '../log/worker-output.js';
import { hangReportKeeper } from './hang-reports.js';
import { Systemd } from '../systemd/systemd.js';
import { requestHandler, signalActions, statusDetail, type SupervisorFacts } from './control.js';
import { CloseOrder } from './close-order.js';
import { EventBus } from './event-bus.js';
import { consoleSink, logSink, noticeText, parentSink } from './event-sinks.js';
import { IpcServer } from './ipc-server.js';
import { Listeners } from './listeners.js';
import { sendToParent } from './parent.js';
import type { LogFormat } from '../protocol/event-record.js';
import { removePidFile, writePidFile } from './pid-file.js';
import { goesWithParent, isDetached, predecessorOf, startedBy, type Role } from './role.js';
import { handleSignals } from './signals.js';
import { takeOver, upgradeHandler, type Holdings } from './upgrade.js';
import { handedReleases, successorReleases, type HandedReleases } from './handed-releases.js';
import { keyFileFor } from '../protocol/ipc-key.js';
import { besideFor } from '../host/private-socket.js';
import { WorkerReaper } from './worker-reaper.js';
import { BootPriority } from '../cluster/boot-priority.js';
import type { CanaryPlan } from '../cluster/canary.js';
import type { Snapshot } from '../metrics/metrics.js';
import type { MetricsServer } from '../metrics/server.js';

export interface SupervisorConfig {
  program: Omit<Program, 'captured' | 'sockets'>;
  workerCount: number;
  /** How it was chosen, for status --json. */
  workerCountChoice: WorkerCountChoice;
  /** When a worker that still runs is replaced (memory, hang, age). */
  health: Health;
  /** How long a retired worker is drained before 'shutdown' (--drain-timeout); null: not drained. */
  drainMs: number | null;
  /** How long a retired worker that serves hands its load over to its successors (--drain-ramp); 0: at once. */
  rampMs: number;
  /** Workers a deploy replaces at a time unless it says; undefined: all at once. */
  deployBatch: number | undefined;
  /** A deploy's canary unless it says (--deploy-canary, its window and margin); count 0: none. */
  deployCanary: CanaryPlan;
  /** Nice value added to a worker's until it is online (--boot-nice); 0: none. */
  bootNice: number;
  /** How long a worker boots at the lower priority at most (--boot-yield); null: until online. */
  bootYieldMs: number | null;
  /** Sockets the service manager passed (LISTEN_FDS), held here for the workers. */
  sockets: ListenFd[];
  /** Sockets to bind and hold for the workers beside them (--listen). */
  listen: ListenAddress[];
  /** Where to serve Prometheus metrics (--metrics); null: nowhere, and none are kept. */
  metrics: SocketAddress | null;
  /** The metrics socket a predecessor passed (naught upgrade): served instead of binding `metrics`. */
  metricsFd: number | null;
  /** Working directory of the workers, as given (symlinks are resolved per release). */
  cwd: string;
  /** Environment of the workers. */
  env: Record<string, string>;
  /** A successor's: the releases its predecessor runs, which it runs on (null: the command line's). */
  handed: HandedReleases | null;
  ipcFile: string;
  /** The group that may use the ipc socket besides naught's user; null: nobody else. */
  ipcGroup: number | null;
  pidFile: string;
  logs: { naught: LogTarget; stdout: LogTarget; stderr: LogTarget };
  /** Where the reports of hung workers are kept (--report-dir); null: nowhere. */
  reportDir: string | null;
  /** How naught.log and the console give events and notices. */
  logFormat: LogFormat;
  maxLogSize: number;
  /** Archives kept per log; null keeps them all. */
  maxLogFiles: number | null;
  /** Permissions of the log files naught creates, less the umask. */
  logMode: number;
  /** Who started this naught (role.ts): what it owns and when it goes. */
  role: Role;
  /** How long a stop by signal (or by the parent's death) waits for 'shutdown'; undefined waits for ever. */
  stopTimeoutMs: number | undefined;
  /** Where naught was started, as the operator named it: a successor (naught upgrade) starts there. */
  startDir: string;
}

/** Orphans are re-parented to PID 1, and node can only reap its own children. */
const PID_1_WARNING = 'naught: running as PID 1: orphaned processes of the app will not be reaped; run it under an init (docker run --init, or tini as the image does)';

/** The supervisor could not start; nothing it opened is left behind. */
export class StartError extends Error {}

/** Runs until the workers are stopped; resolves to the exit code: 1 when the first boot failed. */
export async function supervise(config: SupervisorConfig): Promise<number> {
  const consoles = isDetached(config.role) ? null : openConsoles();
  const report = (message: string): void => consoles?.stderr.write(noticeText(config.logFormat, message));
  const bus = new EventBus(consoles === null ? null : consoleSink(consoles, config.logFormat));
  const owned = new CloseOrder();
  // Closed last of all, also when the start fails: what waits for the console goes out
  // before naught exits or says why it could not start.
  owned.add(() => bus.close(report));
  try {
    // 1. Open what naught owns, each step closed at the end (or when a later one fails).
    const { ipc, ipcPath } = await openIpc(config, owned, bus);
    const listeners = await openStep(Listeners.bind(config.listen, config.sockets, predecessorOf(config.role)?.learnedCount ?? 0));
    owned.add(() => listeners.close());
    const reaper = WorkerReaper.start(config.stopTimeoutMs, report);
    if (reaper !== null) owned.add(() => reaper.close());
    const logs = await openLogs(config, owned, bus, consoles, report);
    const say = (line: string): void => bus.say(line);
    const systemd = Systemd.connect({ env: process.env, startedBy: startedBy(config.role), report, notice: say });
    bus.add(parentSink);
    if (systemd !== null) bus.add(systemd);
    // 2. The primary, and what reads it.
    const bootPriority = chooseBootPriority(config, bus);
    const facts = supervisorFacts(config, listeners, systemd, bootPriority);
    const metrics = config.metrics === null ? null : await loadMetrics(() => ({ status: primary.status(), detail: statusDetail(primary, facts) }));
    if (metrics !== null) bus.add(metrics.sink);
    const primary = new Primary(await primaryOptions(config, { listeners, logs, reaper, bus, bootPriority, measured: metrics !== null }));
    // Before any worker starts: an address in use stops the start here.
    const metricsServer = metrics === null ? null : await openMetricsServer(config, metrics, owned);
    const held: Holdings = { ipc, listeners, metricsServer, systemd };

    // 3. How it ends, besides a failed boot: signals, a parent gone.
    if (process.pid === 1) report(PID_1_WARNING);
    sendToParent({ event: 'IpcListening', pid: process.pid });
    const stop = (): void => void primary.stop(config.stopTimeoutMs);
    const removeSignalHandlers = handleSignals(signalActions(primary, logs.reopen, config.stopTimeoutMs));
    owned.add(removeSignalHandlers);
    const parent = goWithParent(config.role, owned, report, stop);

    // 4. Boot, serve requests, take over from a predecessor, and run until the primary is closed.
    const booting = primary.boot();
    // Requests are read once the first operation runs, so none can race it.
    const upgrade = upgradeHandler({
      held,
      files: config,
      role: config.role,
      startDir: config.startDir,
      operation: () => primary.operation(),
      releases: () => handedReleases(primary.releases()),
      say,
      drop: (sink) => bus.drop(sink),
      stop,
    });
    ipc.serve(requestHandler(primary, facts, logs.served, upgrade));
    const boot = await booting;
    const predecessor = predecessorOf(config.role);
    if (predecessor !== null && boot === 'ready') {
      await takeOver(held, { ...config, ipcPath }, predecessor.pid, { keep: parent.keep, say, stop });
    }
    await primary.closed;
    return boot === 'failed' ? 1 : 0;
  } finally {
    await owned.close();
  }
}

/**
 * The ipc socket first: binding it is exclusive, so a naught that loses a race to start
 * fails here, before it could touch the pid file of the one that won. A successor binds
 * beside the ipc file, which its predecessor serves until it takes it, and writes the
 * pid file then.
 */
async function openIpc(config: SupervisorConfig, owned: CloseOrder, bus: EventBus): Promise<{ ipc: IpcServer; ipcPath: string }> {
  const predecessor = predecessorOf(config.role);
  const ipcPath = predecessor !== null ? besideFor(config.ipcFile, predecessor.beside, 'ipc') : config.ipcFile;
  // With --ipc-group, naught's user and root show a key the group cannot read (protocol/ipc-key.ts).
  const key = config.ipcGroup === null ? null : { file: keyFileFor(config.ipcFile), inherited: predecessor !== null };
  const ipc = await openStep(IpcServer.listen(ipcPath, config.ipcGroup, key), (error) =>
    error.code === 'EADDRINUSE' ? `ipc-file ${ipcPath} is in use by another process` : undefined,
  );
  bus.add({ name: 'the ipc socket', event: (event) => ipc.broadcast(event), close: () => ipc.close() });
  if (predecessor === null) await openStep(writePidFile(config.pidFile, process.pid));
  owned.add(() => removePidFile(config.pidFile, process.pid));
  return { ipc, ipcPath };
}

interface Logs {
  stdout: Sink | null;
  stderr: Sink | null;
  /** Where the workers' output goes. */
  output: WorkerOutput;
  /** What `naught logs` serves. */
  served: { stdout: { target: LogTarget; sink: Sink | null }; stderr: { target: LogTarget; sink: Sink | null } };
  /** Opens every log file again by its path (SIGUSR2). */
  reopen(): void;
}

/** naught.log (an event sink, beside the console), and the workers' stdout and stderr. */
async function openLogs(config: SupervisorConfig, owned: CloseOrder, bus: EventBus, consoles: { stdout: Console; stderr: Console } | null, report: (message: string) => void): Promise<Logs> {
  const files: Sink[] = [];
  const open = async (target: LogTarget, copy: Console | null): Promise<Sink | null> => {
    const sink = await openStep(openSink(target, copy, { maxBytes: config.maxLogSize, maxFiles: config.maxLogFiles, mode: config.logMode, report }));
    if (sink !== null) files.push(sink);
    return sink;
  };
  const naughtFile = config.logs.naught.kind === 'file' ? await open(config.logs.naught, null) : null;
  if (naughtFile !== null) bus.add(logSink('naught.log', config.logFormat, (text) => naughtFile.stream.write(text), () => naughtFile.close()));
  const stdout = await open(config.logs.stdout, consoles?.stdout ?? null);
  const stderr = await open(config.logs.stderr, consoles?.stderr ?? null);
  for (const sink of [stdout, stderr]) if (sink !== null) owned.add(() => sink.close());
  const output = new WorkerOutput(stdout, stderr);
  // Runs before the files close: the last lines of the last workers go out first.
  owned.add(() => output.drain());
  return {
    stdout,
    stderr,
    output,
    served: { stdout: { target: config.logs.stdout, sink: stdout }, stderr: { target: config.logs.stderr, sink: stderr } },
    reopen: () => files.forEach((sink) => sink.reopen()),
  };
}

/** --boot-nice: what this host lets naught do, said when it cannot. */
function chooseBootPriority(config: SupervisorConfig, bus: EventBus): BootPriority | null {
  if (config.bootNice === 0) return null;
  const chosen = BootPriority.choose(config.bootNice, config.bootYieldMs, (line) => bus.say(line));
  if (chosen !== null && 'refused' in chosen) bus.say(chosen.refused);
  return chosen instanceof BootPriority ? chosen : null;
}

/** What status says of naught itself. */
function supervisorFacts(config: SupervisorConfig, listeners: Listeners, systemd: Systemd | null, bootPriority: BootPriority | null): SupervisorFacts {
  return {
    mode: isDetached(config.role) ? 'daemon' : 'foreground',
    notify: systemd?.transportName ?? null,
    // Read at each status: --balance kernel adds the sockets it learns.
    get sockets() {
      return listeners.all.map(({ address, ...socket }) => ({ ...socket, address: address === null ? null : addressText(address) }));
    },
    workerCount: config.workerCountChoice,
    bootNice: bootPriority?.booting ?? null,
    bootIdle: bootPriority?.idle ?? false,
  };
}

type LoadedMetrics = Awaited<ReturnType<typeof loadMetrics>>;

/** Loaded only with --metrics (node:http with them): a naught without it never evaluates them. Read at a scrape. */
async function loadMetrics(read: Snapshot) {
  const [{ MetricsServer }, { naughtMetrics }] = await Promise.all([import('../metrics/server.js'), import('../metrics/metrics.js')]);
  return { MetricsServer, ...naughtMetrics(read) };
}

async function openMetricsServer(config: SupervisorConfig, metrics: LoadedMetrics, owned: CloseOrder): Promise<MetricsServer> {
  const address = config.metrics as SocketAddress;
  const beside = predecessorOf(config.role)?.beside ?? null;
  const server = await openStep(metrics.MetricsServer.open(address, { group: config.ipcGroup, beside, adoptedFd: config.metricsFd }, metrics));
  owned.add(() => server.close());
  return server;
}

/** The driver of the cluster, wired to what the supervisor opened. */
async function primaryOptions(
  config: SupervisorConfig,
  { listeners, logs, reaper, bus, bootPriority, measured }: { listeners: Listeners; logs: Logs; reaper: WorkerReaper | null; bus: EventBus; bootPriority: BootPriority | null; measured: boolean },
): Promise<PrimaryOptions> {
  const { handed } = config;
  const cwd = handed?.current.cwd ?? config.cwd;
  // The first release's code, resolved once (a `current` symlink is followed now).
  const code = await openStep(Promise.resolve().then(() => resolveCode(cwd, config.program.script)));
  const release = { count: config.workerCount, env: config.env, cwd, code, health: config.health, drainMs: config.drainMs, rampMs: config.rampMs, deployBatch: config.deployBatch, deployCanary: config.deployCanary };
  return {
    program: { ...config.program, sockets: listeners.sockets, captured: { stdout: logs.stdout !== null, stderr: logs.stderr !== null } },
    ...(handed === null ? { release, previous: null } : successorReleases(release, handed, code)),
    bootPriority,
    onEvent: (event) => bus.emit(event),
    measureLoopDelay: measured,
    // --balance kernel: a socket at each address a worker listens at, sent to each worker that asks, held while one listens there.
    learn: (address) => listeners.learn(address),
    forget: (keep) => {
      for (const where of listeners.forget(keep)) bus.say(`naught: closed the socket at ${where}: no worker of the running release listens there`);
    },
    onSpawn: (child) => {
      reaper?.watch(child);
      return logs.output.attach(child);
    },
    keepReport: hangReportKeeper(config.reportDir, config.logMode, (line) => bus.say(line)),
  };
}

/**
 * A relaunched naught, and a successor until it takes over, stop when the naught that
 * started them is gone (its channel closed). `keep` ends that: the successor took over.
 */
function goWithParent(role: Role, owned: CloseOrder, report: (message: string) => void, stop: () => void): { keep(): void } {
  if (!goesWithParent(role)) return { keep: () => {} };
  const orphaned = (): void => {
    report('naught: the naught process that started this one is gone; stopping');
    stop();
  };
  const keep = (): void => void process.off('disconnect', orphaned);
  process.once('disconnect', orphaned);
  owned.add(keep);
  // Gone before we listened (a successor's predecessor gives up on one that is slow to start).
  if (!process.connected) orphaned();
  return { keep };
}

/** Awaits one start-up step, turning its failure into a StartError with a one-line reason. */
async function openStep<T>(step: Promise<T>, explain?: (error: NodeJS.ErrnoException) => string | undefined): Promise<T> {
  try {
    return await step;
  } catch (error) {
    const cause = error as NodeJS.ErrnoException;
    throw new StartError(explain?.(cause) ?? cause.message);
  }
}
