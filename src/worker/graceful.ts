// Closing an http(s) server without dropping a request on a keep-alive connection.
//
// Node 19+'s server.close() also resets every connection that has no request in
// progress, even one whose next request is already on its way: the client sees
// ECONNRESET (about one per connection per deploy under load). Here the server
// stops accepting, requests still arriving on open connections are answered with
// `Connection: close` (the client then closes it), and connections that stay idle
// end at the server's keepAliveTimeout, as they would anyway.
import type { Server, ServerResponse } from 'node:http';

const draining = new WeakSet<Server>();

/** Its connection closes once it is answered; already on its way with keep-alive, it is too late to say. */
export function closeAfter(response: ServerResponse): void {
  if (!response.headersSent) response.setHeader('Connection', 'close');
}

/** Makes a coming server.close() graceful; returns the server. */
export function drainOnClose(server: Server): Server {
  if (draining.has(server)) return server;
  draining.add(server);
  let closing = false;
  /** Responses not sent yet: told to close their connection once the server closes. */
  const pending = new Set<ServerResponse>();
  const close = server.close;
  server.close = function (this: Server, callback?: (error?: Error) => void) {
    closing = true;
    pending.forEach(closeAfter);
    return close.call(this, callback);
  } as Server['close'];
  // Called by close(); the idle connections are left to finish as described above.
  server.closeIdleConnections = () => {};
  // Before the app's own handler, so the header is set before it answers.
  server.prependListener('request', (_request, response) => {
    if (closing) return closeAfter(response);
    pending.add(response);
    response.once('close', () => pending.delete(response));
  });
  return server;
}
