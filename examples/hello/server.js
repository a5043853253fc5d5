// A minimal app wired to naught with its worker helper: ready() once it accepts
// connections, onShutdown() to close gracefully on 'shutdown' (and on SIGTERM).
import http from 'node:http';
import { onShutdown, ready } from 'naught/worker';

const port = Number(process.env.PORT ?? 8000);
const worker = process.env.NAUGHT_WORKER ?? '(not under naught)';

const server = http.createServer((_request, response) => {
  response.end(`hello from worker ${worker}\n`);
});

server.listen(port, () => {
  console.log(`worker ${worker} listening on http://localhost:${port}`);
  ready();
});

onShutdown(server);
