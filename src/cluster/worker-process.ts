// Forking one worker through node:cluster, and ending it by force.
import cluster, { type Worker as ClusterWorker } from 'node:cluster';
import type { ChildProcess } from 'node:child_process';
import type { Code } from './release.js';

/** What every worker of one release is started with. */
export interface Generation {
  count: number;
  /** The whole environment of the workers (NAUGHT_WORKER is added per worker). */
  env: Record<string, string>;
  /** The working directory as given (a `current` symlink stays one): the next deploy starts from it. */
  cwd: string;
  /** What this release runs, resolved when it began. */
  code: Code;
}

export interface Program {
  /** The script as given; each release runs the file it resolves to then. */
  script: string;
  args: string[];
  /** Arguments for node itself (--node-args). */
  execArgv: string[];
  /** Which worker streams naught reads; the others go to /dev/null. */
  captured: { stdout: boolean; stderr: boolean };
}

/**
 * What the service manager tells naught is naught's alone: a worker that saw
 * NOTIFY_SOCKET could report READY=1 for the whole service. `undefined` removes a
 * variable from the environment a fork inherits.
 */
const SUPERVISOR_ONLY_ENV = { NOTIFY_SOCKET: undefined, WATCHDOG_USEC: undefined, WATCHDOG_PID: undefined };

/** A worker that is not gone after SIGTERM gets SIGKILL this much later. */
export const KILL_GRACE_MS = 1000;

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all. */
  spawnError?: string;
}

export function describeExit({ code, signal, spawnError }: ExitInfo): string {
  if (spawnError !== undefined) return `could not start (${spawnError})`;
  if (signal !== null) return `was killed by ${signal}`;
  return `exited with code ${code}`;
}

/**
 * Forks one worker. `onExit` is called exactly once, also when the process
 * could not be spawned (node:cluster then emits 'error' and never 'exit').
 */
export function forkWorker(
  program: Program,
  generation: Generation,
  number: number,
  onExit: (info: ExitInfo) => void,
): ClusterWorker {
  cluster.setupPrimary({
    exec: generation.code.script,
    args: program.args,
    execArgv: program.execArgv,
    cwd: generation.code.cwd,
    // Captured output is piped so the supervisor can log each worker line by line. A pipe
    // nobody reads would block the worker once full, so an unwanted stream is not a pipe.
    stdio: ['ignore', program.captured.stdout ? 'pipe' : 'ignore', program.captured.stderr ? 'pipe' : 'ignore', 'ipc'],
  });
  const worker = cluster.fork({ ...generation.env, ...SUPERVISOR_ONLY_ENV, NAUGHT_WORKER: String(number) });
  let exited = false;
  const exitOnce = (info: ExitInfo): void => {
    if (exited) return;
    exited = true;
    onExit(info);
  };
  worker.process.once('exit', (code, signal) => exitOnce({ code, signal }));
  worker.process.on('error', (error: NodeJS.ErrnoException) => {
    // After a successful spawn, errors are IPC failures; the 'exit' that follows tells the story.
    if (worker.process.pid === undefined) exitOnce({ code: null, signal: null, spawnError: error.code ?? error.message });
  });
  // cluster re-emits child errors on the worker; without a listener they would throw.
  worker.on('error', () => {});
  return worker;
}

export function sendShutdown(worker: ClusterWorker): void {
  if (!worker.isConnected()) return;
  worker.send('shutdown', () => {
    // A worker that already closed its channel cannot be told; its exit is reported anyway.
  });
  // Stops routing connections to it and closes its listeners (worker contract).
  worker.disconnect();
}

/** SIGTERM now, SIGKILL after KILL_GRACE_MS; the returned timer must be cleared on exit. */
export function destroy(worker: ClusterWorker): NodeJS.Timeout {
  if (worker.isConnected()) worker.disconnect();
  const child: ChildProcess = worker.process;
  child.kill('SIGTERM');
  return setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
}
