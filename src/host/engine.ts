// V8's settings for naught's long-lived processes: the supervisor, `naught logs --follow`.
// Only they load it (each command's code loads when it runs): node:v8 is 3 ms of a start.
import { setFlagsFromString } from 'node:v8';

export function settleEngine(): void {
  // No compile job on V8's background threads. Node 22–26 can deadlock at exit while a
  // concurrent compile job (Maglev, Sparkplug) waits for a garbage collection that the
  // exiting main thread never runs (nodejs/node#54918): seen here as a naught that
  // logged its Shutdown and never exited, 1 to 3 runs in 12 after a log flood. Only
  // compiler flags change here: V8 reads them at each compile, while its collector's
  // (--single-threaded among them) must be set before it starts (set later, Node 22
  // aborted in a garbage collection under load).
  setFlagsFromString('--no-concurrent-sparkplug');
  // No optimising compilers: the supervisor's code is not hot enough to repay them, and
  // TurboFan's machine code, paged in for a few functions at start, was 4.5 MB of its
  // resident memory (Node 26).
  setFlagsFromString('--no-opt');
  setFlagsFromString('--no-maglev');
}
