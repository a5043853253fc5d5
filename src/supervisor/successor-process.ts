// `naught upgrade`'s successor, from the side of the naught that runs: it starts it,
// the same `naught start` command line run by the node and naught on disk now (the
// upgrade command's own), and passes it the sockets it holds, from fd 3 on as
// sd_listen_fds(3) has them. The successor binds its own ipc socket beside the ipc
// file, boots all its workers on the held sockets (old and new workers serve side
// by side, as in a deploy), then takes the ipc file and the pid file and says so
// (TookOver): only then does this naught let its workers go and exit. A successor
// that fails to boot, or is not online in time, changes nothing: this naught serves on.
//
// The successor is started by sh in the background, and sh exits at once: so it is
// not this naught's child but, once orphaned, the service manager's (or init's). systemd
// takes its MAINPID= for a process it can supervise; a main pid that is not its own
// child it marks "alien" for good, and at the stop, under KillMode=mixed, it SIGKILLs
// all of the unit at once instead of waiting for the main process (unit_kill_context()
// in src/core/unit.c; gunicorn #2856 is the hand-over without MAINPID=, killed with the
// old main process). The IPC channel stays open through sh's exit: it closes when
// the successor exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, readFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { withEngineFlags } from '../host/engine.js';
import { randomBytes } from '../host/random.js';
import { listenEnv, type ListenFd } from '../protocol/listen-fds.js';
import type { ParentMessage, UpgradeRequest, UpgradeStep } from '../protocol/messages.js';
import { parseHanded, type HandedReleases } from './handed-releases.js';

export interface Predecessor {
  /** The sockets naught holds, by its own fds, the learned ones last. */
  sockets: readonly ListenFd[];
  /** How many of `sockets` naught learned (--balance kernel): the successor learns them too. */
  learnedCount: number;
  /** The listening socket of --metrics: the successor serves on it. */
  metricsFd: number | null;
  /** Where naught was started, as the operator named it (a `current` symlink kept): its command line's relative paths are from there. */
  startDir: string;
  /** A daemon's successor is a daemon (detached, no console); a foreground naught's shares its console. */
  detached: boolean;
  /** Whether this naught pings systemd's watchdog: then the successor does, once it is the main process. */
  watchdog: boolean;
  /** The app as it runs here, which the successor runs on. */
  releases: HandedReleases;
}

/** Names the predecessor's pid in the successor's environment; start.ts takes it out. */
export const SUCCESSOR_ENV = 'NAUGHT_SUCCESSOR';
/** The successor's fd of the metrics socket, after the held sockets. */
const METRICS_FD_ENV = 'NAUGHT_METRICS_FD';
/** The tag of the names the successor binds beside the socket files (besideFor). */
const BESIDE_ENV = 'NAUGHT_BESIDE';
/** How many of the passed sockets, the last ones, the predecessor learned. */
const LEARNED_ENV = 'NAUGHT_LEARNED_FDS';
/** The successor's fd of the pipe its predecessor writes its releases into. */
const RELEASES_FD_ENV = 'NAUGHT_RELEASES_FD';

/**
 * In a successor, its predecessor's pid and the metrics socket it passed, once: the
 * markers are gone afterwards (rerun.ts's way), so no worker sees them.
 */
export function takePredecessor(env: NodeJS.ProcessEnv = process.env): { pid: number; metricsFd: number | null; beside: string; learnedCount: number } | null {
  const pid = Number(env[SUCCESSOR_ENV]);
  const fd = Number(env[METRICS_FD_ENV]);
  const beside = env[BESIDE_ENV];
  const learned = Number(env[LEARNED_ENV] ?? 0);
  delete env[SUCCESSOR_ENV];
  delete env[METRICS_FD_ENV];
  delete env[BESIDE_ENV];
  delete env[LEARNED_ENV];
  if (!Number.isSafeInteger(pid) || pid <= 0 || beside === undefined || !/^[0-9a-f]{16}$/.test(beside)) return null;
  return { pid, metricsFd: Number.isSafeInteger(fd) && fd > 2 ? fd : null, beside, learnedCount: Number.isSafeInteger(learned) && learned > 0 ? learned : 0 };
}

/**
 * In a successor, the releases its predecessor runs, read from their pipe and the pipe
 * closed (no worker inherits it); null from a naught that hands none over (one from
 * before this); or why they cannot be taken, in one line.
 */
export function takeHandedReleases(env: NodeJS.ProcessEnv = process.env): HandedReleases | string | null {
  const given = env[RELEASES_FD_ENV];
  delete env[RELEASES_FD_ENV];
  if (given === undefined) return null;
  const fd = Number(given);
  let handed: HandedReleases | string;
  try {
    handed = parseHanded(readFileSync(fd, 'utf8'));
  } catch (error) {
    handed = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  } finally {
    try {
      closeSync(fd);
    } catch {
      // Not open: the read said so.
    }
  }
  return typeof handed === 'string' ? `cannot take the releases its predecessor runs from fd ${given}: ${handed}` : handed;
}

/** How an upgrade ended: the successor's pid (once it said it), whether it took over, and the tag it bound beside with. */
export interface Succession {
  pid: number | undefined;
  tookOver: boolean;
  beside: string;
}

/**
 * Starts the successor and tells `report` how it goes; resolves once it has taken
 * over or failed, and then is gone.
 */
export async function startSuccessor(request: UpgradeRequest, from: Predecessor, report: (step: UpgradeStep) => void): Promise<Succession> {
  const beside = randomBytes(8).toString('hex');
  const child = spawnSuccessor(request, from, beside);
  handReleases(child, from);
  const ended = await follow(child, request.timeoutMs, report);
  return { ...ended, beside };
}

/** The successor's fd of the releases' pipe: after the held sockets and the metrics socket. */
const releasesFd = ({ sockets, metricsFd }: Predecessor): number => 3 + sockets.length + (metricsFd === null ? 0 : 1);

/** Written at once: the successor reads them before it opens anything (a pipe holds what it has not read yet). */
function handReleases(child: ChildProcess, from: Predecessor): void {
  const pipe = child.stdio[releasesFd(from)] as Writable | null | undefined;
  if (pipe == null) return;
  // A successor that is gone, or that does not read them: its own failure tells the story.
  pipe.on('error', () => {});
  pipe.end(JSON.stringify(from.releases));
}

/** The `naught start` command line again, run in the background by sh, with the held sockets from fd 3 on. */
function spawnSuccessor(request: UpgradeRequest, from: Predecessor, beside: string): ChildProcess {
  const { sockets, metricsFd } = from;
  const command = [request.node, ...withEngineFlags(process.execArgv), request.naught, ...process.argv.slice(2)];
  return spawn('/bin/sh', ['-c', '"$@" &', 'naught-upgrade', ...command], {
    cwd: from.startDir,
    env: {
      ...process.env,
      PWD: from.startDir,
      [SUCCESSOR_ENV]: String(process.pid),
      [BESIDE_ENV]: beside,
      [LEARNED_ENV]: String(from.learnedCount),
      // The daemon's successor runs as the daemon child does, not as the CLI that detaches one.
      ...(from.detached ? { NAUGHT_DAEMON_CHILD: '1' } : {}),
      // Ours, as they are ours now: the successor takes those LISTEN_PID and WATCHDOG_PID
      // name its predecessor by as its own.
      ...listenEnv(sockets),
      LISTEN_PID: String(process.pid),
      ...(from.watchdog ? { WATCHDOG_PID: String(process.pid) } : { WATCHDOG_USEC: undefined, WATCHDOG_PID: undefined }),
      ...(metricsFd === null ? {} : { [METRICS_FD_ENV]: String(3 + sockets.length) }),
      [RELEASES_FD_ENV]: String(releasesFd(from)),
    },
    stdio: [
      'ignore',
      from.detached ? 'ignore' : 'inherit',
      from.detached ? 'ignore' : 'inherit',
      ...sockets.map((socket) => socket.fd),
      ...(metricsFd === null ? [] : [metricsFd]),
      'pipe',
      'ipc',
    ],
    detached: from.detached,
  });
}

/**
 * Where a successor is. It runs until it took over (ended) or failed; a failure is told
 * once it is gone (its channel closed), so the caller never cleans up after a successor
 * that still runs.
 */
type Phase = { kind: 'running' } | { kind: 'failing'; reason: string } | { kind: 'ended' };

/** Follows the successor's messages and channel to the end of the upgrade; `timeoutMs` bounds it until it took over. */
function follow(child: ChildProcess, timeoutMs: number | undefined, report: (step: UpgradeStep) => void): Promise<{ pid: number | undefined; tookOver: boolean }> {
  return new Promise((resolve) => {
    let phase: Phase = { kind: 'running' };
    /** Its pid, from its first message. */
    let pid: number | undefined;
    const end = (tookOver: boolean): void => {
      if (phase.kind === 'ended') return;
      const reason = phase.kind === 'failing' ? phase.reason : 'it did not take over';
      phase = { kind: 'ended' };
      clearTimeout(timer);
      report(tookOver ? { kind: 'upgraded', pid: pid! } : { kind: 'failed', reason });
      resolve({ pid, tookOver });
    };
    const fail = (reason: string): void => {
      if (phase.kind !== 'running') return;
      phase = { kind: 'failing', reason };
      clearTimeout(timer);
    };
    /** It would not end on its own: one that has not said its pid yet stops once it finds its channel closed. */
    const stop = (): void => {
      if (pid === undefined) return void (child.disconnect(), end(false));
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // Gone already: its channel closes, or has.
      }
    };
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => (fail(`its workers were not online within ${timeoutMs / 1000} s`), stop()), timeoutMs);
    child.on('error', (error) => {
      fail(`could not run /bin/sh to start it: ${error.message}`);
      end(false);
    });
    child.on('message', (message: ParentMessage) => {
      if (message.event === 'IpcListening' && pid === undefined) {
        pid = message.pid;
        report({ kind: 'started', pid });
      }
      if (phase.kind !== 'running' || message.event === 'IpcListening') return;
      if (message.event === 'TookOver') {
        end(true);
        return child.disconnect();
      }
      if (message.event === 'Error') return fail(message.value);
      report({ kind: 'event', event: message });
      if (message.event === 'Shutdown') fail('its workers did not boot');
    });
    child.on('disconnect', () => {
      fail('it exited before its workers were online');
      end(false);
    });
  });
}
