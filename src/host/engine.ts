// V8's settings for naught's long-lived processes: the supervisor, `naught logs --follow`.
// Only they load it (each command's code loads when it runs): node:v8 is 3 ms of a start.
import { setFlagsFromString } from 'node:v8';

export function settleEngine(): void {
  // No V8 work on background threads. Node 22–26 can deadlock at exit while a concurrent
  // compile job (Maglev, Sparkplug) waits for a garbage collection that the exiting
  // main thread never runs (nodejs/node#54918): seen here as a naught that logged its
  // Shutdown and never exited, 1 to 3 runs in 12 after a log flood. Its heap is a few
  // MB; collecting it on the main thread costs less CPU than handing the work around
  // (3.4 against 4.2 ms per MB of a one-worker flood, bench/log-path.mjs).
  setFlagsFromString('--single-threaded');
  // No optimising compiler: the supervisor's code is not hot enough to repay it, and
  // TurboFan's own machine code, paged in for a few functions at start, was 4.5 MB of
  // its resident memory (Node 26). Maglev stays off as before.
  setFlagsFromString('--no-opt');
  setFlagsFromString('--no-maglev');
}
