// `naught upgrade`: one naught hands its sockets and its files to a new one, both sides
// here, in the order they happen.
//
//   the running naught (predecessor)          the new one (successor)
//   1. refuses, or starts the successor  ──▶  binds its ipc socket beside the ipc file,
//      with the sockets it holds                and boots its workers on the held sockets
//                                             2. once they are online, takes the ipc file,
//                                  ◀── TookOver   the metrics socket, the pid file and systemd's
//   3. lets go of what was taken, stops           MAINPID=, and says so
//      its workers, and exits
//
// Until step 2 the successor goes with its predecessor (its channel closing stops it).
// A successor that fails (no boot, not online in time, gone) changes nothing: the
// predecessor removes what it bound beside the files and serves on.
// Starting and following the successor process: successor-process.ts.
import { unlink } from 'node:fs/promises';
import type { MetricsServer } from '../metrics/server.js';
import type { EventSink } from '../protocol/event-sink.js';
import type { HandedReleases } from './handed-releases.js';
import type { SocketAddress } from '../protocol/listen-fds.js';
import type { UpgradeRequest } from '../protocol/messages.js';
import { besideFor } from '../host/private-socket.js';
import type { Systemd } from '../systemd/systemd.js';
import type { Client, IpcServer } from './ipc-server.js';
import type { Listeners } from './listeners.js';
import { sendToParent } from './parent.js';
import { writePidFile } from './pid-file.js';
import { isDetached, type Role } from './role.js';
import { startSuccessor } from './successor-process.js';

/** What a naught holds that its successor takes. */
export interface Holdings {
  ipc: IpcServer;
  listeners: Listeners;
  metricsServer: MetricsServer | null;
  systemd: Systemd | null;
}

/** The files the successor takes, by the paths the operator gave. */
export interface SharedFiles {
  ipcFile: string;
  pidFile: string;
  metrics: SocketAddress | null;
}

/** What the predecessor's side needs of the naught it runs in. */
export interface PredecessorSide {
  held: Holdings;
  files: SharedFiles;
  role: Role;
  startDir: string;
  /** The operation under way (a deploy, a stop), which an upgrade waits for. */
  operation(): string | null;
  /** The app as it runs, which the successor runs on. */
  releases(): HandedReleases;
  say(line: string): void;
  /** Events stop going to `sink`, which is closed (systemd's attention is the successor's). */
  drop(sink: EventSink): Promise<void>;
  /** Stops this naught's workers, after which it exits. */
  stop(): void;
}

/** Steps 1 and 3: answers `naught upgrade` requests, one upgrade at a time. */
export function upgradeHandler(side: PredecessorSide): (request: UpgradeRequest, client: Client) => void {
  let upgrading = false;
  return (request, client) => {
    const { held } = side;
    const refusal = upgradeRefusal({ pid: process.pid, relaunched: side.role.kind === 'relaunched', sockets: held.listeners.all.length, upgrading, operation: side.operation() });
    if (refusal !== null) return client.send({ type: 'upgrade', step: { kind: 'refused', reason: refusal } });
    upgrading = true;
    side.say(`naught: upgrading: starting ${request.naught} on node ${request.nodeVersion}`);
    const from = {
      sockets: held.listeners.all,
      learnedCount: held.listeners.learnedCount,
      metricsFd: held.metricsServer?.passedFd ?? null,
      startDir: side.startDir,
      detached: isDetached(side.role),
      watchdog: held.systemd?.watchdogOn ?? false,
      releases: side.releases(),
    };
    void startSuccessor(request, from, (step) => client.send({ type: 'upgrade', step })).then(async ({ pid, tookOver, beside }) => {
      upgrading = false;
      if (!tookOver) return servesOn(side, beside);
      await letGo(side);
      side.say(`naught: naught pid ${pid} took over; stopping this one's workers`);
      side.stop();
    });
  };
}

/** The successor failed: what it bound beside the files is left when it was killed before it could remove it. */
async function servesOn(side: PredecessorSide, beside: string): Promise<void> {
  await unlink(besideFor(side.files.ipcFile, beside, 'ipc')).catch(() => {});
  const { metrics } = side.files;
  if (metrics !== null && 'path' in metrics) await unlink(besideFor(metrics.path, beside, 'metrics')).catch(() => {});
  side.say('naught: upgrade failed: this naught serves on');
}

/** Step 3: the ipc file, the pid file, the sockets and systemd's attention are the successor's now. */
async function letGo(side: PredecessorSide): Promise<void> {
  const { ipc, listeners, metricsServer, systemd } = side.held;
  ipc.handOver();
  listeners.handOver();
  metricsServer?.handOver();
  if (systemd !== null) await side.drop(systemd);
}

/**
 * Step 2, in the successor once its workers are online: takes the files, then tells its
 * predecessor. A failure is said to the predecessor, which serves on, and this naught stops.
 * `keep` is called once it no longer goes with its predecessor.
 */
export async function takeOver(held: Holdings, files: SharedFiles & { ipcPath: string }, from: number, side: { keep(): void; say(line: string): void; stop(): void }): Promise<void> {
  try {
    // Atomic, so a client finds the predecessor or this naught, never nothing.
    await held.ipc.moveTo(files.ipcPath, files.ipcFile);
    await held.metricsServer?.takeOver();
    await writePidFile(files.pidFile, process.pid);
    side.keep();
    await held.systemd?.takeOver();
    sendToParent({ event: 'TookOver' });
    side.say(`naught: took over from naught pid ${from}`);
  } catch (error) {
    sendToParent({ event: 'Error', value: `could not take over: ${(error as Error).message}` });
    side.stop();
  }
}

/** Why this naught cannot start a successor now, or null. */
export function upgradeRefusal(facts: { pid: number; relaunched: boolean; sockets: number; upgrading: boolean; operation: string | null }): string | null {
  // The new workers could not listen where the old ones do: the old primary holds the port.
  if (facts.sockets === 0) return 'naught holds no socket to pass on: no worker listens at an address naught holds (with --balance round-robin, start naught with --listen or under a .socket unit)';
  if (facts.pid === 1) return 'naught is PID 1 here, and the container ends when it exits: start a new container instead';
  if (facts.relaunched) {
    return 'this naught is the copy that --node-args runs, under the naught the service manager started: give node options in NODE_OPTIONS instead of --node-args to upgrade';
  }
  if (facts.upgrading) return 'an upgrade is already under way';
  if (facts.operation !== null) return `a ${facts.operation} is under way`;
  return null;
}
