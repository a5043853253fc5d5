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
