// The primary and the worker agent (worker/agent.ts) over node's IPC channel. The
// NODE_ prefix makes node deliver these as 'internalMessage', apart from the app's messages.
import { parseFigures, type HttpFigures } from './http-figures.js';

export const AGENT_CMD = 'NODE_NAUGHT';

/** How long the worker's event loop was late in running its timers, since the last pong. */
export interface LoopDelay {
  p99Ms: number;
  maxMs: number;
}

export type AgentMessage =
  /** `delay`: measure the event loop's delay (--metrics), and say it in the pong. */
  | { cmd: typeof AGENT_CMD; kind: 'ping'; delay?: true }
  /** `delay`: absent until the agent measures it and has a sample; `http`: absent while the worker has no HTTP server. */
  | { cmd: typeof AGENT_CMD; kind: 'pong'; delay?: LoopDelay; http?: HttpFigures }
  /** Stop taking connections and close the HTTP ones as they finish, spread over `rampMs` (worker/drain.ts). */
  | { cmd: typeof AGENT_CMD; kind: 'drain'; rampMs: number }
  /** No HTTP connection is left: 'shutdown' may come. */
  | { cmd: typeof AGENT_CMD; kind: 'drained' }
  /** --balance kernel: the app listens at `address`; naught is asked for a socket it holds there (worker/learned-sockets.ts). */
  | { cmd: typeof AGENT_CMD; kind: 'listen'; id: number; address: LearnedAddress }
  /** The answer to listen `id`: the socket comes with it as its handle, or `error` says why there is none. */
  | { cmd: typeof AGENT_CMD; kind: 'listening'; id: number; error?: { code: string; message: string } };

/** Where an app listens: a port (on a host, or every address), or a unix socket's absolute path. */
export type LearnedAddress = { host?: string; port: number } | { path: string };

/** What a worker may say to the primary. */
export type WorkerReport = { kind: 'pong'; delay: LoopDelay | null; http: HttpFigures | null } | { kind: 'drained' } | { kind: 'listen'; id: number; address: LearnedAddress };

const isDelay = (ms: unknown): ms is number => typeof ms === 'number' && Number.isFinite(ms) && ms >= 0;

/**
 * A worker's message as the primary may trust it, or null: the worker is the app's
 * process, and anything on its channel may be forged (a malformed delay would print
 * NaN in /metrics and break the status table).
 */
export function workerReport(message: unknown): WorkerReport | null {
  if (typeof message !== 'object' || message === null) return null;
  const { cmd, kind, delay, http } = message as { cmd?: unknown; kind?: unknown; delay?: unknown; http?: unknown };
  if (cmd !== AGENT_CMD) return null;
  if (kind === 'drained') return { kind };
  if (kind === 'listen') return listenReport(message as { id?: unknown; address?: unknown });
  if (kind !== 'pong') return null;
  const { p99Ms, maxMs } = (delay ?? {}) as { p99Ms?: unknown; maxMs?: unknown };
  return { kind, delay: isDelay(p99Ms) && isDelay(maxMs) ? { p99Ms, maxMs } : null, http: parseFigures(http) };
}

/** A listen request, as the primary may act on it: a whole id, a port of 1–65535 or an absolute path of a unix socket's length. */
function listenReport({ id, address }: { id?: unknown; address?: unknown }): WorkerReport | null {
  if (!Number.isSafeInteger(id) || typeof address !== 'object' || address === null) return null;
  const { host, port, path } = address as { host?: unknown; port?: unknown; path?: unknown };
  if (typeof path === 'string') return path.startsWith('/') && Buffer.byteLength(path) <= 107 ? { kind: 'listen', id: id as number, address: { path } } : null;
  if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535) return null;
  if (host !== undefined && (typeof host !== 'string' || host.length === 0 || host.length > 255)) return null;
  return { kind: 'listen', id: id as number, address: host === undefined ? { port: port as number } : { host, port: port as number } };
}
