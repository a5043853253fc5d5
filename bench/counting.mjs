// What counting costs one response, in a loop of this process: node's own request and
// response objects made and ended N times, without naught's counter and then with it
// (worker/requests.ts, bundled from src/ by esbuild), each five times; the medians'
// difference is the counter's CPU time per response. Run by bench/agent-cost.mjs in a
// process of its own, so the patched ServerResponse.prototype.end goes with it.
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { build } from 'esbuild';

const ROOT = path.resolve(import.meta.dirname, '..');
const RESPONSES = 300_000;
const ROUNDS = 5;

const bundled = await build({ entryPoints: [path.join(ROOT, 'src/worker/requests.ts')], bundle: true, format: 'esm', platform: 'node', write: false });
const { RequestCounter } = await import(`data:text/javascript;base64,${Buffer.from(bundled.outputFiles[0].text).toString('base64')}`);

const socket = new net.Socket();
const server = http.createServer();

/** CPU nanoseconds per response made and ended, told to `counter` as a server would. */
function round(counter) {
  const before = process.cpuUsage();
  for (let i = 0; i < RESPONSES; i += 1) {
    const request = new http.IncomingMessage(socket);
    const response = new http.ServerResponse(request);
    counter?.saw(server, 'request', [request, response]);
    response.end('x');
  }
  const used = process.cpuUsage(before);
  return ((used.user + used.system) * 1000) / RESPONSES;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
// Warm: V8 has compiled the loop before it is measured.
round(null);
const plain = Array.from({ length: ROUNDS }, () => round(null));
const counter = new RequestCounter();
counter.watch(server);
round(counter);
const counted = Array.from({ length: ROUNDS }, () => round(counter));
if (counter.read().byClass[1] !== RESPONSES * (ROUNDS + 1)) throw new Error('the counter did not count every response');
console.log(JSON.stringify({ plainNs: median(plain), countedNs: median(counted), costNs: median(counted) - median(plain) }));
