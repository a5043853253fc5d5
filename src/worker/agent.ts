// naught's agent inside each worker, preloaded with node's --require unless
// --worker-timeout none and naught holds no socket. It answers the primary's pings
// on the worker's own event loop, so a loop that is stuck (`while (true) {}`, a synchronous call that never
// returns) cannot answer, and naught replaces the worker (cluster/health.ts).
//
// It speaks on the IPC channel node:cluster already has, with messages whose `cmd`
// begins with NODE_: node delivers those as 'internalMessage' (as it does
// node:cluster's own), never as 'message', so an app's own message handlers never
// see them. It adds no listener that keeps a worker alive and no timer.
import { AGENT_CMD, type AgentMessage } from '../protocol/agent.js';
import { listenFds } from '../protocol/listen-fds.js';
import { listenOnHeldSockets } from './held-sockets.js';

// The sockets naught holds are this worker's from fd 3 on: LISTEN_PID names it, so an
// app written for plain socket activation (LISTEN_PID === its pid) finds them.
if (process.env.LISTEN_FDS !== undefined && process.env.LISTEN_PID === undefined) process.env.LISTEN_PID = String(process.pid);
const held = listenFds(process.env, process.pid);
if (typeof held !== 'string') listenOnHeldSockets(held, (line) => process.stderr.write(`${line}\n`));

process.on('internalMessage' as 'message', (message: AgentMessage) => {
  if (message?.cmd !== AGENT_CMD || message.kind !== 'ping' || !process.connected) return;
  process.send!({ cmd: AGENT_CMD, kind: 'pong' } satisfies AgentMessage, undefined, undefined, () => {
    // Disconnected meanwhile: nobody is waiting for the answer.
  });
});
