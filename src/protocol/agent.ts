// The primary and the worker agent (worker/agent.ts) over node's IPC channel. The
// NODE_ prefix makes node deliver these as 'internalMessage', apart from the app's messages.
export const AGENT_CMD = 'NODE_NAUGHT';

export type AgentMessage = { cmd: typeof AGENT_CMD; kind: 'ping' } | { cmd: typeof AGENT_CMD; kind: 'pong' };
