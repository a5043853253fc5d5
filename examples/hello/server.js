// A minimal app that follows naught's worker contract:
// send 'online' once it accepts connections, close on 'shutdown'.
import http from 'node:http';

const port = Number(process.env.PORT ?? 8000);
const worker = process.env.NAUGHT_WORKER ?? '(not under naught)';

const server = http.createServer((_request, response) => {
  response.end(`hello from worker ${worker}\n`);
});

server.listen(port, () => {
  console.log(`worker ${worker} listening on http://localhost:${port}`);
  process.send?.('online');
});

process.on('message', (message) => {
  // Stop accepting; naught also closes our IPC channel, so we exit once idle.
  if (message === 'shutdown') server.close();
});
