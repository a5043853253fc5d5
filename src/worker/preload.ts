// Preloaded into the workers by `naught start --graceful-preload true` (node's
// --require): every http and https server of an unmodified app closes gracefully,
// including when node:cluster closes it as naught disconnects the worker.
import http from 'node:http';
import https from 'node:https';
import { drainOnClose } from './graceful.js';

for (const Server of [http.Server, https.Server]) {
  const listen = Server.prototype.listen;
  Server.prototype.listen = function (this: http.Server, ...args: unknown[]) {
    // An https.Server has the same close() and connection methods as an http.Server.
    drainOnClose(this as http.Server);
    return listen.apply(this, args as Parameters<typeof listen>);
  } as typeof listen;
}
