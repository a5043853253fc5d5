// The long-lived process that systemd, Docker or a runbook sees. It owns the log
// sinks, the ipc socket, the pid file, the signals and the cluster primary, and
// renders each event of the primary into every sink.
//
// The primary runs in this process rather than in a child: one node process
// instead of two (naught 1.x used two, ~89 MB), worker output reaches the log
// files through one pipe hop instead of two, and per-deploy cwd and environment
// are per-fork options of node:cluster, so nothing here is mutated by a deploy.
import { Primary } from '../cluster/primary.js';
import { resolveCode } from '../cluster/release.js';
import type { Program } from '../cluster/worker-process.js';
import { openConsoles, type Console } from '../log/console.js';
import { openSink, type LogTarget, type Sink } from '../log/sinks.js';
import { WorkerOutput } from '../log/worker-output.js';
import { eventLine } from '../protocol/event-line.js';
import type { NaughtEvent } from '../protocol/messages.js';
import { Systemd } from '../systemd/systemd.js';
import { requestHandler, signalActions } from './control.js';
import { IpcServer } from './ipc-server.js';
import { sendToParent } from './parent.js';
import { removePidFile, writePidFile } from './pid-file.js';
import { handleSignals } from './signals.js';
import { WorkerReaper } from './worker-reaper.js';

export interface SupervisorConfig {
  program: Omit<Program, 'captured'>;
  workerCount: number;
  /** Working directory of the workers, as given (symlinks are resolved per release). */
  cwd: string;
  /** Environment of the workers. */
  env: Record<string, string>;
  ipcFile: string;
  /** The group that may use the ipc socket besides naught's user; null: nobody else. */
  ipcGroup: number | null;
  pidFile: string;
  logs: { naught: LogTarget; stdout: LogTarget; stderr: LogTarget };
  maxLogSize: number;
  /** Archives kept per log; null keeps them all. */
  maxLogFiles: number | null;
  /**
   * The daemon of `--daemon-mode true`: it has no console, and the process a
   * service manager started was the CLI, not this one. In the foreground, events
   * are printed on naught's stderr as they happen.
   */
  detached: boolean;
  /**
   * The process a service manager started is our parent, a naught CLI (the daemon's,
   * or the one that ran us again with --node-args): its watchdog is ours to feed.
   */
  startedByNaught: boolean;
  /**
   * The parent is the naught CLI that ran us again with --node-args and stands in
   * for us: when it is gone (killed), nobody owns this naught any more, so it stops.
   */
  stopsWithParent: boolean;
  /** How long a stop by signal (or by the parent's death) waits for 'shutdown'; undefined waits for ever. */
  stopTimeoutMs: number | undefined;
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
  // Last of all, what waits for the console goes out before naught exits or says why it could not start.
  if (consoles !== null) cleanup.push(() => Promise.all([consoles.stdout.below(0), consoles.stderr.below(0)]).then(() => {}));
  const report = (message: string): void => consoles?.stderr.write(`${message}\n`);

  let ipc: IpcServer | undefined;
  let naughtLog: Sink | null = null;
  let systemd: Systemd | null = null;
  const onEvent = (event: NaughtEvent): void => {
    const line = `${eventLine(event)}\n`;
    naughtLog?.stream.write(line);
    consoles?.stderr.write(line);
    systemd?.onEvent(event);
    sendToParent(event);
    ipc?.broadcast(event);
  };
  // Beside the events, in the same places: what an operator should read (a crash loop).
  const onNotice = (message: string): void => {
    naughtLog?.stream.write(`${message}\n`);
    consoles?.stderr.write(`${message}\n`);
  };

  try {
    // Each step registers its undoing, so a failed start removes the pid file and the
    // socket and closes what it opened.
    // The socket first: binding it is exclusive, so a naught that loses a race to start
    // fails here, before it could touch the pid file of the one that won.
    ipc = await startStep(IpcServer.listen(config.ipcFile, config.ipcGroup), (error) =>
      error.code === 'EADDRINUSE' ? `ipc-file ${config.ipcFile} is in use by another process` : undefined,
    );
    const server = ipc;
    cleanup.push(() => server.close());
    await startStep(writePidFile(config.pidFile, process.pid));
    cleanup.push(() => removePidFile(config.pidFile, process.pid));
    const reaper = WorkerReaper.start(config.stopTimeoutMs, report);
    if (reaper !== null) cleanup.push(() => reaper.close());
    const sinks: Sink[] = [];
    const openLog = async (target: LogTarget, console: Console | null): Promise<Sink | null> => {
      const sink = await startStep(openSink(target, console, { maxBytes: config.maxLogSize, maxFiles: config.maxLogFiles, report }));
      if (sink !== null) {
        sinks.push(sink);
        cleanup.push(() => sink.close());
      }
      return sink;
    };
    // Events are printed on naught's console as they happen; the file is a separate sink.
    naughtLog = config.logs.naught.kind === 'file' ? await openLog(config.logs.naught, null) : null;
    const stdout = await openLog(config.logs.stdout, consoles?.stdout ?? null);
    const stderr = await openLog(config.logs.stderr, consoles?.stderr ?? null);
    const output = new WorkerOutput(stdout, stderr);
    // Runs before the sinks close: the last lines of the last workers go out first.
    cleanup.push(() => output.drain());

    // The first release's code, resolved once (a `current` symlink is followed now).
    const code = await startStep(Promise.resolve().then(() => resolveCode(config.cwd, config.program.script)));
    const primary = new Primary({
      program: { ...config.program, captured: { stdout: stdout !== null, stderr: stderr !== null } },
      generation: { count: config.workerCount, env: config.env, cwd: config.cwd, code },
      onEvent,
      onSpawn: (child) => {
        output.attach(child);
        const { pid } = child;
        if (reaper === null || pid === undefined) return;
        reaper.add(pid);
        child.once('exit', () => reaper.remove(pid));
      },
      onNotice,
    });
    const manager = Systemd.connect({ env: process.env, startedByNaught: config.startedByNaught, failure: () => primary.lastFailure, report, notice: onNotice });
    systemd = manager;
    // Closed last of all: STOPPING=1 and the final STATUS go out before naught exits.
    if (manager !== null) cleanup.unshift(() => manager.close());

    if (process.pid === 1) {
      // Orphans are re-parented to PID 1, and node can only reap its own children.
      report('naught: running as PID 1: orphaned processes of the app will not be reaped; run it under an init (docker run --init, or tini as the image does)');
    }
    sendToParent({ event: 'IpcListening' });
    const { stopTimeoutMs } = config;
    const removeSignalHandlers = handleSignals(signalActions(primary, () => sinks.forEach((sink) => sink.reopen()), stopTimeoutMs));
    cleanup.push(async () => removeSignalHandlers());
    if (config.stopsWithParent) {
      const orphaned = (): void => {
        report('naught: the naught process that started this one is gone; stopping');
        void primary.stop(stopTimeoutMs);
      };
      process.once('disconnect', orphaned);
      cleanup.push(async () => void process.off('disconnect', orphaned));
    }

    const booting = primary.boot();
    // Requests are read once the first operation runs, so none can race it.
    server.serve(requestHandler(primary, { mode: config.detached ? 'daemon' : 'foreground', notify: manager?.transportName ?? null }));
    const boot = await booting;
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
