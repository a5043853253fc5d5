// V8's settings for naught's long-lived processes: the supervisor, `naught logs --follow`.
// The other commands exit within moments and load no node:v8 (3 ms of a start).
import { setFlagsFromString } from 'node:v8';

export function settleEngine(): void {
  // Node 22–26 can deadlock at exit when a Maglev compile job waits for a foreground
  // task that the exiting main thread no longer runs (nodejs/node#54918): seen here as a
  // naught that never exited after its clean stop, one in a few runs under load.
  setFlagsFromString('--no-maglev');
}
