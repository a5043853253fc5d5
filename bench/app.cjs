// The benchmark's app, the same under every supervisor: answers its pid, boots in
// BOOT_MS (a timer, not CPU), and on 'shutdown' (naught) or SIGINT (pm2's stop
// signal) closes its server. How it closes is read from MODE_FILE at that moment:
// 'graceful' answers the requests on its keep-alive connections with
// `Connection: close` and lets them finish; 'naive' calls node's plain
// server.close(), which resets connections that look idle.
'use strict';
const http = require('node:http');
const { readFileSync } = require('node:fs');

// LEAK_MB_PER_S: megabytes it keeps for good each second (a leaking app, for the
// health bench; by time, not by request, so a supervisor that checks rarely cannot
// let it take the machine).
// REUSE_PORT=1: listens with SO_REUSEPORT (the baseline of N bare processes sharing the port).
// BOOT_CPU_MS: milliseconds of CPU the boot burns before the timer, as a real app's
// require() and setup do (the tail-during-deploys scenario).
// RETAIN_MB: megabytes of small objects it holds from its start (a heap to snapshot, for the diagnostics bench).
// LOG_LINES_PER_S: lines of about 100 bytes it writes to stdout each second, a tenth every 100 ms (the scaling soak's log flow).
const { PORT, BOOT_MS = '0', BOOT_CPU_MS = '0', MODE_FILE, LEAK_MB_PER_S = '0', REUSE_PORT, RETAIN_MB = '0', LOG_LINES_PER_S = '0' } = process.env;
// About 100 bytes each: an object with a string of its own.
module.exports.retained = Array.from({ length: Number(RETAIN_MB) * 10_000 }, (_, i) => ({ i, name: `object ${i}` }));
const burnUntil = process.cpuUsage().user / 1000 + Number(BOOT_CPU_MS);
while (process.cpuUsage().user / 1000 < burnUntil);
const leaked = [];
if (LEAK_MB_PER_S !== '0') setInterval(() => leaked.push(Buffer.alloc((Number(LEAK_MB_PER_S) * 2 ** 20) / 10, 1)), 100).unref();
if (LOG_LINES_PER_S !== '0') {
  let written = 0;
  setInterval(() => {
    let chunk = '';
    for (let i = 0; i < Number(LOG_LINES_PER_S) / 10; i += 1) chunk += `line ${(written += 1)} ${'x'.repeat(86)}\n`;
    process.stdout.write(chunk);
  }, 100).unref();
}
let closing = false;
const server = http.createServer((request, response) => {
  if (closing) response.setHeader('Connection', 'close');
  response.end(String(process.pid));
  // /wedge: answers, then its event loop never runs again.
  if (request.url === '/wedge') setImmediate(() => {
    for (;;);
  });
});

setTimeout(() => {
  server.listen({ port: Number(PORT), reusePort: REUSE_PORT === '1' }, () => {
    process.send?.('online');
    process.send?.('ready');
  });
}, Number(BOOT_MS));

function shutdown() {
  if (closing) return;
  closing = true;
  const naive = MODE_FILE !== undefined && readFileSync(MODE_FILE, 'utf8').trim() === 'naive';
  if (!naive) server.closeIdleConnections = () => {};
  server.close(() => process.exit(0));
}
process.on('message', (message) => message === 'shutdown' && shutdown());
process.on('SIGINT', shutdown);
