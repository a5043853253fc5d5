// The long-lived process that systemd, Docker or a runbook sees. It owns the log
// sinks, the ipc socket, the pid file, the signals and the cluster primary, and
// renders each event of the primary into every sink.
//
// The primary runs in this process rather than in a child: one node process
// instead of two (naught 1.x used two, ~89 MB), worker output reaches the log
// files through one pipe hop instead of two, and per-deploy cwd and environment
// are per-fork options of node:cluster, so nothing here is mutated by a deploy.
import { unlink } from 'node:fs/promises';
import type { Health } from '../cluster/health.js';
import type { EventSink } from '../protocol/event-sink.js';
import { addressText, type ListenAddress, type ListenFd, type SocketAddress } from '../protocol/listen-fds.js';
import { Primary, type Program } from '../cluster/primary.js';
import type { UpgradeRequest, WorkerCountChoice } from '../protocol/messages.js';
import { resolveCode } from '../cluster/release.js';
import { openConsoles, type Console } from '../log/console.js';
import { openSink, type LogTarget, type Sink } from '../log/sinks.js';
import { WorkerOutput } from '../log/worker-output.js';
import { Systemd } from '../systemd/systemd.js';
import { requestHandler, signalActions, statusDetail, type SupervisorFacts } from './control.js';
import { closeSinks, logSink, noticeText, parentSink } from './event-sinks.js';
import { IpcServer, type Client } from './ipc-server.js';
import { Listeners } from './listeners.js';
import { sendToParent } from './parent.js';
import type { LogFormat } from '../protocol/event-record.js';
import { removePidFile, writePidFile } from './pid-file.js';
import { handleSignals } from './signals.js';
import { startSuccessor, upgradeRefusal } from './upgrade.js';
import { keyFileFor } from '../protocol/ipc-key.js';
import { besideFor } from '../host/private-socket.js';
import { WorkerReaper } from './worker-reaper.js';
import { BootPriority } from '../cluster/boot-priority.js';

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
  ipcFile: string;
  /** The group that may use the ipc socket besides naught's user; null: nobody else. */
  ipcGroup: number | null;
  pidFile: string;
  logs: { naught: LogTarget; stdout: LogTarget; stderr: LogTarget };
  /** How naught.log and the console give events and notices. */
  logFormat: LogFormat;
  maxLogSize: number;
  /** Archives kept per log; null keeps them all. */
  maxLogFiles: number | null;
  /** Permissions of the log files naught creates, less the umask. */
  logMode: number;
  /**
   * The daemon of `--daemon-mode true`: it has no console, and the process a
   * service manager started was the CLI, not this one. In the foreground, events
   * are printed on naught's stderr as they happen.
   */
  detached: boolean;
  /**
   * The naught a service manager started when it is not this process (the CLI of the
   * daemon, the one that ran us again with --node-args, or our predecessor in an
   * upgrade): its watchdog is ours to feed.
   */
  startedBy: number | null;
  /**
   * The parent is the naught CLI that ran us again with --node-args and stands in
   * for us: when it is gone (killed), nobody owns this naught any more, so it stops.
   */
  stopsWithParent: boolean;
  /** How long a stop by signal (or by the parent's death) waits for 'shutdown'; undefined waits for ever. */
  stopTimeoutMs: number | undefined;
  /** Where naught was started, as the operator named it: a successor (naught upgrade) starts there. */
  startDir: string;
  /**
   * Started by `naught upgrade` from the naught of this pid: it takes the ipc file and
   * the pid file once its workers are online (TookOver), and until then it goes with
   * the naught that started it.
   */
  predecessor: { pid: number; beside: string; learnedCount: number } | null;
}

/** The supervisor could not start; nothing it opened is left behind. */
export class StartError extends Error {}

/** Runs until the workers are stopped; resolves to the exit code: 1 when the first boot failed. */
export async function supervise(config: SupervisorConfig): Promise<number> {
  const cleanup: Array<() => Promise<void>> = [];
  const release = async (): Promise<void> => {
    for (const step of cleanup.reverse()) await step();
  };
  // A daemon has no console: its stdio is /dev/null.
  const consoles = config.detached ? null : openConsoles();
  const report = (message: string): void => consoles?.stderr.write(noticeText(config.logFormat, message));
  const console =
    consoles === null
      ? null
      : logSink('the console', config.logFormat, (text) => consoles.stderr.write(text), () => Promise.all([consoles.stdout.below(0), consoles.stderr.below(0)]).then(() => {}));
  // Where events go, in the order they are opened: the ipc clients, naught.log, the parent,
  // systemd, and the console, which may be slow, last. Closed in that order, last of all
  // (registered first), also when the start fails: what waits for the console goes out
  // before naught exits or says why it could not start.
  const sinks: EventSink[] = [];
  const withConsole = (): EventSink[] => (console === null ? sinks : [...sinks, console]);
  cleanup.push(() => closeSinks(withConsole(), report));
  let naughtLog: ReturnType<typeof logSink> | null = null;
  /** A line for the operator beside the events, where they are read. */
  const say = (line: string): void => {
    naughtLog?.say(line);
    console?.say(line);
  };

  try {
    // Each step registers its undoing, so a failed start removes the pid file and the
    // socket and closes what it opened.
    // The socket first: binding it is exclusive, so a naught that loses a race to start
    // fails here, before it could touch the pid file of the one that won.
    // A successor binds beside the ipc file, which its predecessor serves until it takes it.
    const successor = config.predecessor !== null;
    const ipcPath = config.predecessor !== null ? besideFor(config.ipcFile, config.predecessor.beside, 'ipc') : config.ipcFile;
    // With --ipc-group, naught's user and root show a key the group cannot read (protocol/ipc-key.ts).
    const key = config.ipcGroup === null ? null : { file: keyFileFor(config.ipcFile), inherited: successor };
    const ipc = await startStep(IpcServer.listen(ipcPath, config.ipcGroup, key), (error) =>
      error.code === 'EADDRINUSE' ? `ipc-file ${ipcPath} is in use by another process` : undefined,
    );
    sinks.push({ name: 'the ipc socket', event: (event) => ipc.broadcast(event), close: () => ipc.close() });
    if (!successor) await startStep(writePidFile(config.pidFile, process.pid));
    cleanup.push(() => removePidFile(config.pidFile, process.pid));
    // Bound before any worker is forked, so that each gets them from fd 3 on.
    const listeners = await startStep(Listeners.bind(config.listen, config.sockets, config.predecessor?.learnedCount ?? 0));
    cleanup.push(async () => listeners.close());
    // Each worker gets these from fd 3 on; the learned ones it asks for (Listeners.learn).
    const sockets = listeners.sockets;
    const reaper = WorkerReaper.start(config.stopTimeoutMs, report);
    if (reaper !== null) cleanup.push(() => reaper.close());
    const logFiles: Sink[] = [];
    const openLog = async (target: LogTarget, copy: Console | null): Promise<Sink | null> => {
      const sink = await startStep(openSink(target, copy, { maxBytes: config.maxLogSize, maxFiles: config.maxLogFiles, mode: config.logMode, report }));
      if (sink !== null) logFiles.push(sink);
      return sink;
    };
    // Events are printed on naught's console as they happen; the file is a separate sink.
    const naughtFile = config.logs.naught.kind === 'file' ? await openLog(config.logs.naught, null) : null;
    if (naughtFile !== null) sinks.push((naughtLog = logSink('naught.log', config.logFormat, (text) => naughtFile.stream.write(text), () => naughtFile.close())));
    const stdout = await openLog(config.logs.stdout, consoles?.stdout ?? null);
    const stderr = await openLog(config.logs.stderr, consoles?.stderr ?? null);
    for (const sink of [stdout, stderr]) if (sink !== null) cleanup.push(() => sink.close());
    const output = new WorkerOutput(stdout, stderr);
    // Runs before the files close: the last lines of the last workers go out first.
    cleanup.push(() => output.drain());

    const systemd = Systemd.connect({ env: process.env, startedBy: config.startedBy, report, notice: say });
    const chosen = config.bootNice === 0 ? null : BootPriority.choose(config.bootNice, config.bootYieldMs, say);
    if (chosen !== null && 'refused' in chosen) say(chosen.refused);
    const bootPriority = chosen instanceof BootPriority ? chosen : null;
    sinks.push(parentSink);
    if (systemd !== null) sinks.push(systemd);
    const facts: SupervisorFacts = {
      mode: config.detached ? 'daemon' : 'foreground',
      notify: systemd?.transportName ?? null,
      // Read at each status: --balance kernel adds the sockets it learns.
      get sockets() {
        return listeners.all.map(({ address, ...socket }) => ({ ...socket, address: address === null ? null : addressText(address) }));
      },
      workerCount: config.workerCountChoice,
      bootNice: bootPriority?.booting ?? null,
      bootIdle: bootPriority?.idle ?? false,
    };
    // Read at a scrape, which the endpoint (bound below, once the primary exists) serves.
    // Loaded only here (node:http with them): a naught without --metrics never evaluates them.
    const metrics =
      config.metrics === null
        ? null
        : {
            address: config.metrics,
            MetricsServer: (await import('../metrics/server.js')).MetricsServer,
            ...(await import('../metrics/metrics.js')).naughtMetrics(() => ({ status: primary.status(), detail: statusDetail(primary, facts) })),
          };
    if (metrics !== null) sinks.push(metrics.sink);
    const everyone = withConsole();
    /** Events no longer go to `sink`, which is closed. */
    const drop = async (sink: EventSink): Promise<void> => {
      for (const list of [sinks, everyone]) if (list.includes(sink)) list.splice(list.indexOf(sink), 1);
      await sink.close();
    };

    // The first release's code, resolved once (a `current` symlink is followed now).
    const code = await startStep(Promise.resolve().then(() => resolveCode(config.cwd, config.program.script)));
    const primary = new Primary({
      program: { ...config.program, sockets, captured: { stdout: stdout !== null, stderr: stderr !== null } },
      release: { count: config.workerCount, env: config.env, cwd: config.cwd, code, health: config.health, drainMs: config.drainMs, rampMs: config.rampMs },
      deployBatch: config.deployBatch,
      bootPriority,
      onEvent: (event) => {
        for (const sink of everyone) sink.event(event);
      },
      measureLoopDelay: metrics !== null,
      // --balance kernel: a socket at each address a worker listens at, sent to each worker that asks, held while one listens there.
      learn: (address) => listeners.learn(address),
      forget: (keep) => {
        for (const where of listeners.forget(keep)) say(`naught: closed the socket at ${where}: no worker of the running release listens there`);
      },
      onSpawn: (child) => {
        output.attach(child);
        const { pid } = child;
        if (reaper === null || pid === undefined) return;
        reaper.add(pid);
        child.once('exit', () => reaper.remove(pid));
      },
    });

    // Before any worker starts: an address in use stops the start here.
    const metricsServer =
      metrics === null ? null : await startStep(metrics.MetricsServer.open(metrics.address, { group: config.ipcGroup, beside: config.predecessor?.beside ?? null, adoptedFd: config.metricsFd }, metrics));
    if (metricsServer !== null) cleanup.push(() => metricsServer.close());

    if (process.pid === 1) {
      // Orphans are re-parented to PID 1, and node can only reap its own children.
      report('naught: running as PID 1: orphaned processes of the app will not be reaped; run it under an init (docker run --init, or tini as the image does)');
    }
    sendToParent({ event: 'IpcListening', pid: process.pid });
    const { stopTimeoutMs } = config;
    const removeSignalHandlers = handleSignals(signalActions(primary, () => logFiles.forEach((sink) => sink.reopen()), stopTimeoutMs));
    cleanup.push(async () => removeSignalHandlers());
    const orphaned = (): void => {
      report('naught: the naught process that started this one is gone; stopping');
      void primary.stop(stopTimeoutMs);
    };
    if (config.stopsWithParent || successor) {
      process.once('disconnect', orphaned);
      cleanup.push(async () => void process.off('disconnect', orphaned));
      // Gone before we listened (a successor's predecessor gives up on one that is slow to start).
      if (!process.connected) orphaned();
    }

    // naught upgrade: a successor takes the sockets, then this naught lets its workers go.
    let upgrading = false;
    const upgrade = (request: UpgradeRequest, client: Client): void => {
      const refusal = upgradeRefusal({ pid: process.pid, relaunched: config.stopsWithParent, sockets: listeners.all.length, upgrading, operation: primary.detail().operation?.kind ?? null });
      if (refusal !== null) return client.send({ type: 'upgrade', step: { kind: 'refused', reason: refusal } });
      upgrading = true;
      say(`naught: upgrading: starting ${request.naught} on node ${request.nodeVersion}`);
      const from = { sockets: listeners.all, learnedCount: listeners.learnedCount, metricsFd: metricsServer?.passedFd ?? null, startDir: config.startDir, detached: config.detached, watchdog: systemd?.watchdogOn ?? false };
      void startSuccessor(request, from, (step) => client.send({ type: 'upgrade', step })).then(async ({ pid: successor, tookOver, beside }) => {
        upgrading = false;
        if (!tookOver) {
          // What it bound is left when it was killed before it could remove it.
          await unlink(besideFor(config.ipcFile, beside, 'ipc')).catch(() => {});
          if (config.metrics !== null && 'path' in config.metrics) await unlink(besideFor(config.metrics.path, beside, 'metrics')).catch(() => {});
          return say('naught: upgrade failed: this naught serves on');
        }
        // The ipc file, the pid file, the sockets and systemd's attention are the successor's now.
        ipc.handOver();
        listeners.handOver();
        metricsServer?.handOver();
        if (systemd !== null) await drop(systemd);
        say(`naught: naught pid ${successor} took over; stopping this one's workers`);
        void primary.stop(stopTimeoutMs);
      });
    };

    const booting = primary.boot();
    // Requests are read once the first operation runs, so none can race it.
    const outputLogs = { stdout: { target: config.logs.stdout, sink: stdout }, stderr: { target: config.logs.stderr, sink: stderr } };
    ipc.serve(requestHandler(primary, facts, outputLogs, upgrade));
    const boot = await booting;
    if (successor && boot === 'ready') {
      try {
        // Atomic, so a client finds the predecessor or this naught, never nothing.
        await ipc.moveTo(ipcPath, config.ipcFile);
        await metricsServer?.takeOver();
        await writePidFile(config.pidFile, process.pid);
        process.off('disconnect', orphaned);
        await systemd?.takeOver();
        sendToParent({ event: 'TookOver' });
        say(`naught: took over from naught pid ${config.predecessor?.pid}`);
      } catch (error) {
        sendToParent({ event: 'Error', value: `could not take over: ${(error as Error).message}` });
        void primary.stop(stopTimeoutMs);
      }
    }
    await primary.closed;
    await release();
    return boot === 'failed' ? 1 : 0;
  } catch (error) {
    await release();
    throw error;
  }
}

/** Awaits one start-up step, turning its failure into a StartError with a one-line reason. */
async function startStep<T>(step: Promise<T>, explain?: (error: NodeJS.ErrnoException) => string | undefined): Promise<T> {
  try {
    return await step;
  } catch (error) {
    const cause = error as NodeJS.ErrnoException;
    throw new StartError(explain?.(cause) ?? cause.message);
  }
}
