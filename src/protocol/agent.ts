// The primary and the worker agent (worker/agent.ts) over node's IPC channel. The
// NODE_ prefix makes node deliver these as 'internalMessage', apart from the app's messages.
export const AGENT_CMD = 'NODE_NAUGHT';

/** How long the worker's event loop was late in running its timers, since the last pong. */
export interface LoopDelay {
  p99Ms: number;
  maxMs: number;
}

export type AgentMessage =
  /** `delay`: measure the event loop's delay (--metrics), and say it in the pong. */
  | { cmd: typeof AGENT_CMD; kind: 'ping'; delay?: true }
  /** `delay`: absent until the agent measures it and has a sample. */
  | { cmd: typeof AGENT_CMD; kind: 'pong'; delay?: LoopDelay }
  /** Stop taking connections and close the HTTP ones as they finish (worker/drain.ts). */
  | { cmd: typeof AGENT_CMD; kind: 'drain' }
  /** No HTTP connection is left: 'shutdown' may come. */
  | { cmd: typeof AGENT_CMD; kind: 'drained' };

/** What a worker may say to the primary. */
export type WorkerReport = { kind: 'pong'; delay: LoopDelay | null } | { kind: 'drained' };

const isDelay = (ms: unknown): ms is number => typeof ms === 'number' && Number.isFinite(ms) && ms >= 0;

/**
 * A worker's message as the primary may trust it, or null: the worker is the app's
 * process, and anything on its channel may be forged (a malformed delay would print
 * NaN in /metrics and break the status table).
 */
export function workerReport(message: unknown): WorkerReport | null {
  if (typeof message !== 'object' || message === null) return null;
  const { cmd, kind, delay } = message as { cmd?: unknown; kind?: unknown; delay?: unknown };
  if (cmd !== AGENT_CMD) return null;
  if (kind === 'drained') return { kind };
  if (kind !== 'pong') return null;
  const { p99Ms, maxMs } = (delay ?? {}) as { p99Ms?: unknown; maxMs?: unknown };
  return { kind, delay: isDelay(p99Ms) && isDelay(maxMs) ? { p99Ms, maxMs } : null };
}
