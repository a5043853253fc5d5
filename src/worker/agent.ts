// naught's agent inside each worker, preloaded with node's --require unless
// --worker-timeout none and no socket was passed. It answers the primary's pings
// on the worker's own event loop, so a loop that is stuck (`while (true) {}`, a synchronous call that never
// returns) cannot answer, and naught replaces the worker (cluster/health.ts).
//
// It speaks on the IPC channel node:cluster already has, with messages whose `cmd`
// begins with NODE_: node delivers those as 'internalMessage' (as it does
// node:cluster's own), never as 'message', so an app's own message handlers never
// see them. It adds no listener that keeps a worker alive and no timer.
import { AGENT_CMD, type AgentMessage } from '../protocol/agent.js';

// Sockets systemd passed naught are the workers' too (node:cluster listens on naught's
// own fd when a worker asks for {fd}): LISTEN_PID names this worker, so an app written
// for plain socket activation (LISTEN_PID === its pid) finds them.
if (process.env.LISTEN_FDS !== undefined && process.env.LISTEN_PID === undefined) process.env.LISTEN_PID = String(process.pid);

process.on('internalMessage' as 'message', (message: AgentMessage) => {
  if (message?.cmd !== AGENT_CMD || message.kind !== 'ping' || !process.connected) return;
  process.send!({ cmd: AGENT_CMD, kind: 'pong' } satisfies AgentMessage, undefined, undefined, () => {
    // Disconnected meanwhile: nobody is waiting for the answer.
  });
});
