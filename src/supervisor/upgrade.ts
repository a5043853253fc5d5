// `naught upgrade`, on the side of the naught that runs: it starts its successor,
// the same `naught start` command line run by the node and naught on disk now (the
// upgrade command's own), and passes it the sockets it holds, from fd 3 on as
// sd_listen_fds(3) has them. The successor binds its own ipc socket beside the ipc
// file, boots all its workers on the held sockets (old and new workers serve side
// by side, as in a deploy), then takes the ipc file and the pid file and says so
// (TookOver): only then does this naught let its workers go and exit. A successor
// that fails to boot, or is not online in time, changes nothing: this naught serves on.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describeExit } from '../protocol/exit.js';
import { listenEnv, type ListenFd } from '../protocol/listen-fds.js';
import type { ParentMessage, UpgradeRequest, UpgradeStep } from '../protocol/messages.js';

export interface Predecessor {
  /** The sockets naught holds, by its own fds. */
  sockets: readonly ListenFd[];
  /** Where naught was started, as the operator named it (a `current` symlink kept): its command line's relative paths are from there. */
  startDir: string;
  /** A daemon's successor is a daemon (detached, no console); a foreground naught's shares its console. */
  detached: boolean;
}

/** Marks the successor's environment; start.ts reads and removes it (rerun.ts's way). */
export const SUCCESSOR_ENV = 'NAUGHT_SUCCESSOR';

/** How an upgrade ended: the successor's pid (when it was started), and whether it took over. */
export interface Succession {
  pid: number | undefined;
  tookOver: boolean;
}

/**
 * Starts the successor and tells `report` how it goes; resolves once it has taken
 * over or failed, and then is gone.
 */
export function startSuccessor(request: UpgradeRequest, from: Predecessor, report: (step: UpgradeStep) => void): Promise<Succession> {
  const { sockets } = from;
  const child = spawn(request.node, [...process.execArgv, request.naught, ...process.argv.slice(2)], {
    cwd: from.startDir,
    env: {
      ...process.env,
      PWD: from.startDir,
      [SUCCESSOR_ENV]: '1',
      // The daemon's successor runs as the daemon child does, not as the CLI that detaches one.
      ...(from.detached ? { NAUGHT_DAEMON_CHILD: '1' } : {}),
      // Ours, as they are ours now: the successor takes LISTEN_PID naming its parent as its own.
      ...listenEnv(sockets),
      LISTEN_PID: String(process.pid),
    },
    stdio: ['ignore', from.detached ? 'ignore' : 'inherit', from.detached ? 'ignore' : 'inherit', ...sockets.map((socket) => socket.fd), 'ipc'],
    detached: from.detached,
  });
  return new Promise((resolve) => {
    let outcome: 'took over' | string | null = null;
    let timer: NodeJS.Timeout | undefined;
    let ended = false;
    const end = (tookOver: boolean): void => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      report(tookOver ? { kind: 'upgraded', pid: child.pid! } : { kind: 'failed', reason: outcome ?? 'it did not take over' });
      resolve({ pid: child.pid, tookOver });
    };
    /** Why it failed; `stop` it when it would not end on its own. The failure is told once it is gone. */
    const fail = (reason: string, stop = false): void => {
      if (outcome !== null) return;
      outcome = reason;
      clearTimeout(timer);
      if (stop && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    };
    // Not spawned (no such node): node says so with 'error' alone.
    child.on('error', (error) => {
      if (child.pid !== undefined) return;
      fail(`could not run ${request.node}: ${error.message}`);
      end(false);
    });
    child.on('spawn', () => {
      report({ kind: 'started', pid: child.pid! });
      if (request.timeout !== undefined) timer = setTimeout(() => fail(`its workers were not online within ${request.timeout} s`, true), request.timeout * 1000);
    });
    child.on('message', (message: ParentMessage) => {
      if (outcome !== null) return;
      if (message.event === 'TookOver') {
        outcome = 'took over';
        child.disconnect();
        child.unref();
        end(true);
      } else if (message.event === 'Error') {
        fail(message.value);
      } else if (message.event !== 'IpcListening') {
        report({ kind: 'event', event: message });
        if (message.event === 'Shutdown') fail('its workers did not boot');
      }
    });
    child.on('exit', (code, signal) => {
      if (outcome === 'took over') return;
      fail(`it ${describeExit({ code, signal })} before its workers were online`);
      end(false);
    });
  });
}

/** Why this naught cannot start a successor now, or null. */
export function upgradeRefusal(facts: { pid: number; relaunched: boolean; sockets: number; upgrading: boolean; operation: string | null }): string | null {
  // The new workers could not listen where the old ones do: the old primary holds the port.
  if (facts.sockets === 0) return 'naught holds no socket to pass on: start it with --listen (or under a .socket unit), and the app listens on the held socket';
  if (facts.pid === 1) return 'naught is PID 1 here, and the container ends when it exits: start a new container instead';
  if (facts.relaunched) {
    return 'this naught is the copy that --node-args runs, under the naught the service manager started: give node options in NODE_OPTIONS instead of --node-args to upgrade';
  }
  if (facts.upgrading) return 'an upgrade is already under way';
  if (facts.operation !== null) return `a ${facts.operation} is under way`;
  return null;
}

/** Where a successor binds its ipc socket until it takes the ipc file: beside it, named for its pid. */
export function successorIpcPath(ipcFile: string, pid: number): string {
  return path.join(path.dirname(ipcFile), `.${pid}.ipc`);
}
