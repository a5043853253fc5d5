// naught's agent inside each worker, preloaded with node's --require whenever one of
// its jobs applies (cli/start.ts): it answers the primary's pings on the worker's own
// event loop, so a loop that is stuck (`while (true) {}`, a synchronous call that never
// returns) cannot answer, and naught replaces the worker (cluster/health.ts); with
// --metrics the pings ask for the loop's delay too, and only then is it measured; it
// counts the worker's HTTP responses by status class and times them (requests.ts),
// said in each pong; it makes the sockets naught holds the worker's own; it writes the worker's
// process.stdout and stderr straight to the pipes naught reads (output.ts); it drains
// the worker before the app hears 'shutdown' (drain.ts), also on a SIGTERM the app
// does not handle; and it keeps a worker whose listen failed from being online (online.ts).
//
// It speaks on the IPC channel node:cluster already has, with messages whose `cmd`
// begins with NODE_: node delivers those as 'internalMessage' (as it does
// node:cluster's own), never as 'message', so an app's own message handlers never
// see them. It adds no listener that keeps a worker alive and no timer.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { INTERNAL_MESSAGE, isPipeStream } from '../host/node-internals.js';
import { AGENT_CMD, type AgentMessage, type LoopDelay } from '../protocol/agent.js';
import { listenFds } from '../protocol/listen-fds.js';
import { Drain } from './drain.js';
import { listenOnHeldSockets } from './held-sockets.js';
import { learnSockets } from './learned-sockets.js';
import { OnlineCheck } from './online.js';
import { writeStraight } from './output.js';
import { RequestCounter } from './requests.js';
import { watchServers } from './servers.js';

// Output naught reads from a pipe (a socket): written to it directly, far cheaper than node's stream for it.
for (const [stream, fd] of [[process.stdout, 1], [process.stderr, 2]] as const) {
  if (isPipeStream(stream)) writeStraight(stream, fd);
}

// The sockets naught holds are this worker's from fd 3 on: LISTEN_PID names it, so an
// app written for plain socket activation (LISTEN_PID === its pid) finds them.
if (process.env.LISTEN_FDS !== undefined && process.env.LISTEN_PID === undefined) process.env.LISTEN_PID = String(process.pid);
// --balance kernel: a listen() no held socket answers asks naught for one (learned-sockets.ts); installed
// first, so that the held sockets' listen() comes before it.
const learned = process.env.NAUGHT_BALANCE === 'kernel' ? learnSockets(tell) : null;
delete process.env.NAUGHT_BALANCE;
const held = listenFds(process.env, process.pid);
if (typeof held !== 'string') listenOnHeldSockets(held, learned === null ? (line) => process.stderr.write(`${line}\n`) : null);

const drain = new Drain();
const requests = new RequestCounter();
watchServers([drain, new OnlineCheck(), requests]);

function tell(message: AgentMessage): void {
  if (!process.connected) return;
  process.send!(message, undefined, undefined, () => {
    // Disconnected meanwhile: nobody is waiting for the answer.
  });
}

/** The primary asked: it sends 'shutdown' once told the worker is drained. */
let drainAsked = false;

/**
 * SIGTERM to the worker itself (systemd's default KillMode, an operator's kill): an app
 * with no handler of its own is drained, then hears 'shutdown' as from naught, and
 * its channel to naught closes, as naught would close it; a second SIGTERM ends it as
 * node would have. An app that handles SIGTERM decides for itself.
 */
function onSigterm(): void {
  if (process.listenerCount('SIGTERM') > 1) return;
  if (!drain.started) return drain.start(shutdownHere);
  // naught drives this stop, and its SIGKILL bounds it.
  if (drainAsked) return;
  process.removeListener('SIGTERM', onSigterm);
  process.kill(process.pid, 'SIGTERM');
}
process.on('SIGTERM', onSigterm);

/** The drain began by SIGTERM is over and naught did not ask for it: 'shutdown' comes from here. */
function shutdownHere(): void {
  (process.emit as (event: string, ...args: unknown[]) => boolean)('message', 'shutdown');
  if (process.connected) process.disconnect();
}

/** How often the loop's delay is sampled: node's default. */
const RESOLUTION_MS = 10;

/**
 * Started by the first ping that asks for it: a libuv timer every RESOLUTION_MS,
 * measured in C++, unref'd, with no JS run per sample (it does wake an idle loop
 * that often, nodejs/node#56064).
 */
let histogram: IntervalHistogram | null = null;

/**
 * The delay since the last pong, then measured afresh; undefined before a sample.
 * node records the time between the timer's runs, the resolution included
 * (an idle loop reads 10 ms): the delay is what is beyond it.
 */
function loopDelay(): LoopDelay | undefined {
  if (histogram === null) {
    histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    histogram.enable();
    return undefined;
  }
  if (histogram.count === 0) return undefined;
  const beyond = (ns: number): number => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  const delay = { p99Ms: beyond(histogram.percentile(99)), maxMs: beyond(histogram.max) };
  histogram.reset();
  return delay;
}

process.on(INTERNAL_MESSAGE, (message: AgentMessage, handle: unknown) => {
  if (message?.cmd !== AGENT_CMD) return;
  if (message.kind === 'listening') return learned?.(message, handle);
  if (message.kind === 'ping') {
    const delay = message.delay ? loopDelay() : undefined;
    const http = requests.read();
    tell({ cmd: AGENT_CMD, kind: 'pong', ...(delay === undefined ? {} : { delay }), ...(http === null ? {} : { http }) });
  } else if (message.kind === 'drain') {
    drainAsked = true;
    drain.start(() => tell({ cmd: AGENT_CMD, kind: 'drained' }), message.rampMs);
  }
});
