import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LogTarget } from '../log/sinks.js';
import { settleEngine } from '../host/engine.js';
import { missingNodeInternals } from '../host/node-internals.js';
import { sendToParent } from '../supervisor/parent.js';
import { StartError, supervise, type SupervisorConfig } from '../supervisor/supervisor.js';
import { probe } from './connection.js';
import { startDaemon } from './daemon.js';
import { autoWorkerCount } from '../cluster/cpu-quota.js';
import { hasInspectorFlags } from '../cluster/worker-inspector.js';
import { currentEnv, isFile, isRunning, logicalCwd } from './host.js';
import type { WorkerCountChoice } from '../protocol/messages.js';
import type { START_OPTIONS } from './option-table.js';
import { UsageError, type Options } from './options.js';
import { listenFds, type ListenFd } from '../protocol/listen-fds.js';
import { err } from './print.js';
import { relaunch } from './relaunch.js';
import { isRerun } from './rerun.js';
import { identify, removeDeadSocket, type FileIdentity } from './stale-ipc.js';
import { printStatus } from './status.js';
import { readPidFile } from '../supervisor/pid-file.js';
import type { HandedReleases } from '../supervisor/handed-releases.js';
import type { Role } from '../supervisor/role.js';
import { takeHandedReleases, takePredecessor } from '../supervisor/successor-process.js';

/** What the naught that started this one for `naught upgrade` passed: its pid, and its metrics socket. */
type Inherited = NonNullable<ReturnType<typeof takePredecessor>>;

/** Built beside naught's own bundle (scripts/build.js). */
const PRELOAD = fileURLToPath(new URL('./preload.js', import.meta.url));
const AGENT = fileURLToPath(new URL('./agent.js', import.meta.url));

/** The start options (option-table.ts), the script and its own arguments. */
export type StartOptions = Options<typeof START_OPTIONS> & { script: string; scriptArgs: string[] };

/** The three logs by the option that names each. */
function logsOf(options: StartOptions): Array<['log' | 'stdout' | 'stderr', LogTarget]> {
  return [
    ['log', options.log],
    ['stdout', options.stdout],
    ['stderr', options.stderr],
  ];
}

export async function start(options: StartOptions): Promise<number> {
  checkStartable(options);
  const lacking = missingNodeInternals();
  if (lacking.length > 0) {
    // Said to a naught that started this one (an upgrade's predecessor, a daemon's CLI), and here.
    const reason = `node ${process.version} lacks ${lacking.join(', ')}, which naught uses; run naught on Node 22, 24 or 26`;
    sendToParent({ event: 'Error', value: reason });
    err(`unable to start: ${reason}`);
    return 1;
  }
  const predecessor = takePredecessor();
  const daemonChild = isRerun('NAUGHT_DAEMON_CHILD');
  if (predecessor !== null || daemonChild) return runChild(options, { predecessor, detached: daemonChild });
  const relaunched = isRerun('NAUGHT_RELAUNCHED');
  const cannotStart = (reason: string): number => {
    err(`${options.daemonMode ? 'unable to start daemon' : 'unable to start'}: ${reason}`);
    return 1;
  };
  // Before anything is started or run again: the sockets are this process's.
  const sockets = relaunched ? [] : passedSockets(options);
  if (typeof sockets === 'string') return cannotStart(sockets);
  if (!options.daemonMode && !relaunched && options.nodeArgs.length > 0) return relaunch(options.nodeArgs);
  // This process is the supervisor: before anything is looked at, opened or said, as it may run again.
  if (!options.daemonMode) settleEngine();

  // Looked at before the probe, so a file that a racing start puts there afterwards is not taken for it.
  const seen = await identify(options.ipcFile);
  const found = await probe(options.ipcFile);
  if (found.kind === 'connected') {
    // Already running: say how it is doing, and fail.
    const code = await printStatus(found.connection);
    return code === 0 ? 1 : code;
  }
  if (found.kind === 'unreachable') return cannotStart(`ipc-file ${options.ipcFile}: ${found.reason}`);
  if (found.kind === 'stale' && seen !== null) {
    const refusal = await clearDeadSocket(options, seen);
    if (refusal !== null) return cannotStart(refusal);
  }
  if (options.metrics !== null && 'path' in options.metrics) await clearDeadMetricsSocket(options.metrics.path);
  if (!relaunched) warnFilesInRelease(options);
  if (options.daemonMode) return startDaemon(crashMessage(options.stderr), options.nodeArgs);

  try {
    const code = await supervise(supervisorConfig(options, { foreground: true, relaunched, sockets, predecessor: null, handed: null }));
    if (code !== 0) err(crashMessage(options.stderr));
    return code;
  } catch (error) {
    if (!(error instanceof StartError)) throw error;
    return cannotStart(error.message);
  }
}

/**
 * Nothing listens on the ipc file. It is removed when it is a socket and the pid
 * file names no running process (naught was killed), or whatever the pid file says
 * with --remove-old-ipc true (1.x). Otherwise, the reason not to start.
 */
async function clearDeadSocket(options: StartOptions, seen: FileIdentity): Promise<string | null> {
  const file = options.ipcFile;
  if (!seen.isSocket) return `ipc-file ${file} exists and is not a socket; remove it, or give another --ipc-file`;
  const pid = await readPidFile(options.pidFile);
  if (!options.removeOldIpc && pid !== null && pid !== process.pid && isRunning(pid)) {
    return `nothing answers on ipc-file ${file}, but pid ${pid} (from ${options.pidFile}) is running; if it is not naught, remove the ipc file or pass --remove-old-ipc true`;
  }
  await removeDeadSocket(file, seen);
  const why = options.removeOldIpc ? '--remove-old-ipc true' : pid === null ? 'no pid file' : `pid ${pid} is gone`;
  err(`naught: removed ipc-file ${file}, which nothing answered on (${why})`);
  return null;
}

/** The metrics socket of a naught that was killed: nothing answers on it, so it goes, as a dead ipc socket does. */
async function clearDeadMetricsSocket(file: string): Promise<void> {
  const seen = await identify(file);
  if (seen === null || !seen.isSocket) return;
  const found = await probe(file);
  if (found.kind === 'connected') return found.connection.close();
  if (found.kind !== 'stale') return;
  await removeDeadSocket(file, seen);
  err(`naught: removed the metrics socket ${file}, which nothing answered on`);
}

/**
 * A naught another one started, reporting to it: the detached daemon the CLI spawned,
 * or the successor a running naught started for `naught upgrade` (a daemon's is
 * detached too), which holds the sockets its predecessor passed (LISTEN_PID the predecessor's).
 */
async function runChild(options: StartOptions, { predecessor, detached }: { predecessor: Inherited | null; detached: boolean }): Promise<number> {
  settleEngine();
  try {
    const passed = predecessor === null ? [] : listenFds(process.env, predecessor.pid);
    if (typeof passed === 'string') throw new StartError(passed);
    // What the predecessor runs: unreadable, the upgrade fails and the predecessor serves on.
    const handed = predecessor === null ? null : takeHandedReleases();
    if (typeof handed === 'string') throw new StartError(handed);
    return await supervise(supervisorConfig(options, { foreground: !detached, relaunched: false, sockets: passed, predecessor, handed }));
  } catch (error) {
    if (!(error instanceof StartError)) throw error;
    sendToParent({ event: 'Error', value: error.message });
    return 1;
  }
}

/**
 * naught's own files are opened where they are at start. Inside the release a
 * `current` symlink names, a switch leaves them behind: commands run in `current`
 * no longer find the socket, and removing the old release deletes the open logs.
 */
function warnFilesInRelease(options: StartOptions): void {
  const real = process.cwd();
  const logical = logicalCwd();
  if (logical === real) return;
  const files: Array<[string, string]> = [['ipc-file', options.ipcFile], ['pid-file', options.pidFile]];
  for (const [name, target] of logsOf(options)) if (target.kind === 'file') files.push([name, target.path]);
  const inside = files.filter(([, file]) => file.startsWith(`${real}/`)).map(([name]) => `--${name}`);
  if (inside.length === 0) return;
  err(
    `naught: ${inside.join(' ')} ${inside.length === 1 ? 'is' : 'are'} in ${real}, the release ${logical} names now, and stay there when the link moves; ` +
      'give them paths outside the releases (naught unit uses /run/<name> and /var/log/<name>)',
  );
}

function checkStartable(options: StartOptions): void {
  if (!isFile(options.script)) throw new UsageError(`script not found: ${options.script}`);
  if (!options.daemonMode) return;
  for (const [name, target] of logsOf(options)) {
    if (target.kind === 'console') throw new UsageError(`--${name} -: a daemon has no console; give a file, or /dev/null`);
  }
}

/**
 * The sockets systemd passed (a .socket unit), or why naught will not start with
 * them. They are held by this process, so neither the daemon nor the copy that
 * --node-args runs could pass them on.
 */
function passedSockets(options: StartOptions): ListenFd[] | string {
  const passed = listenFds(process.env, process.pid);
  if (typeof passed === 'string') return `${passed}; the sockets are not naught's (run naught itself as the service's ExecStart=)`;
  if (passed.length === 0) return passed;
  if (options.daemonMode) return 'sockets passed by the service manager (LISTEN_FDS) need naught in the foreground: --daemon-mode false';
  if (options.nodeArgs.length > 0) return 'sockets passed by the service manager (LISTEN_FDS) cannot reach the copy of naught that --node-args runs; give node options in NODE_OPTIONS instead';
  return passed;
}

function supervisorConfig(
  options: StartOptions,
  { foreground, relaunched, sockets, predecessor, handed }: { foreground: boolean; relaunched: boolean; sockets: ListenFd[]; predecessor: Inherited | null; handed: HandedReleases | null },
): SupervisorConfig {
  const workerCount = workerCountChoice(options.workerCount);
  return {
    program: {
      script: options.script,
      args: options.scriptArgs,
      execArgv: [
        // The agent answers pings (and says the loop's delay for --metrics), makes the held sockets each worker's own
        // (LISTEN_PID, listen()), writes process.stdout and stderr straight to naught's pipes, drains a retired
        // worker, makes SIGTERM a graceful stop, and keeps a worker whose listen failed from being online.
        ...(needsAgent(options, sockets) ? ['--require', AGENT] : []),
        ...(options.gracefulPreload ? ['--require', PRELOAD] : []),
        ...options.nodeArgs,
      ],
      balance: options.balance,
      uninspectable: uninspectable(options),
    },
    health: {
      maxMemoryBytes: options.maxMemory ?? null,
      workerTimeoutMs: options.workerTimeout ?? null,
      maxAgeMs: options.maxWorkerAge,
      agent: needsAgent(options, sockets),
    },
    drainMs: options.drainTimeout === undefined || options.drainTimeout === 0 ? null : options.drainTimeout,
    // At most the drain: the cluster machine bounds it, where the drain is decided.
    rampMs: options.drainRamp ?? 0,
    workerCount: workerCount.count,
    workerCountChoice: workerCount,
    deployBatch: options.deployBatch,
    deployCanary: { count: options.deployCanary ?? 0, windowMs: options.deployCanaryWindow!, marginPercent: options.canaryMargin! },
    bootNice: options.bootNice,
    bootYieldMs: options.bootYield ?? null,
    sockets,
    listen: options.listen,
    metrics: options.metrics,
    metricsFd: predecessor?.metricsFd ?? null,
    cwd: options.cwd,
    env: currentEnv(),
    handed,
    ipcFile: options.ipcFile,
    ipcGroup: options.ipcGroup,
    pidFile: options.pidFile,
    logs: { naught: options.log, stdout: options.stdout, stderr: options.stderr },
    reportDir: options.reportDir ?? (options.log.kind === 'file' ? path.dirname(options.log.path) : null),
    logFormat: options.logFormat,
    maxLogSize: options.maxLogSize,
    maxLogFiles: options.maxLogFiles,
    logMode: options.logMode,
    role: roleOf({ foreground, relaunched, predecessor }),
    stopTimeoutMs: options.stopTimeout,
    startDir: logicalCwd(),
  };
}

function roleOf({ foreground, relaunched, predecessor }: { foreground: boolean; relaunched: boolean; predecessor: Inherited | null }): Role {
  // A successor's predecessor is the service's main process until the successor takes over.
  if (predecessor !== null) return { kind: 'successor', detached: !foreground, predecessor: { pid: predecessor.pid, beside: predecessor.beside, learnedCount: predecessor.learnedCount } };
  if (!foreground) return { kind: 'daemon', startedBy: process.ppid };
  return relaunched ? { kind: 'relaunched', startedBy: process.ppid } : { kind: 'foreground' };
}

/** The worker count, and how it was chosen (status --json says). */
function workerCountChoice(given: number | 'auto'): WorkerCountChoice {
  const { count, availableCpus, quota } = autoWorkerCount();
  return { given, count: given === 'auto' ? count : given, availableCpus, cpuQuota: quota };
}

/** Why naught cannot look inside the workers (cluster/worker-inspector.ts), or null when it can. */
function uninspectable(options: StartOptions): string | null {
  if (options.stderr.kind === 'none') return "naught reads none of the workers' stderr (--stderr /dev/null), where node says its inspector's address";
  if (hasInspectorFlags([...options.nodeArgs, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)])) return "the workers' node runs an inspector of the app's (--inspect in --node-args or NODE_OPTIONS), which naught leaves alone";
  return null;
}

/** Whether any of the agent's jobs applies (worker/agent.ts). */
function needsAgent(options: StartOptions, sockets: ListenFd[]): boolean {
  const captured = options.stdout.kind !== 'none' || options.stderr.kind !== 'none';
  const drains = options.drainTimeout !== undefined && options.drainTimeout > 0;
  const learns = options.balance === 'kernel';
  return drains || learns || options.workerTimeout !== undefined || options.metrics !== null || sockets.length > 0 || options.listen.length > 0 || captured;
}

function crashMessage(stderr: LogTarget): string {
  if (stderr.kind === 'none') return 'The server crashed without booting (its stderr goes to /dev/null).';
  const where = stderr.kind === 'file' ? path.relative(process.cwd(), stderr.path) : 'its stderr above';
  return `The server crashed without booting. Check ${where}.`;
}
