#!/usr/bin/env node
// The one load generator of the tests and bench/: `connections` clients, each sending
// GET `path` again as soon as its last answer is read, on keep-alive connections or
// each on a fresh one (what a refused connect shows up in), counting every answer and
// every failure until stopped.
//
// In a test's own process: startLoad() (typed in load.d.cts; load.ts gives it names).
// As a process of its own (in a container's or a test network's namespace, for bench/):
//   load.cjs URL [connections] [keep-alive]
// It prints "running" once its first request has succeeded, "ok N" at every
// thousandth success, and on SIGTERM, once every request in flight has ended,
// {ok, failed, errors, bodies, longestMs} as JSON.
'use strict';
const http = require('node:http');
const https = require('node:https');

/** `target`: a loopback port, a unix socket's path, or a URL (whose path is used). */
function where(target) {
  if (typeof target === 'number') return { host: '127.0.0.1', port: target };
  if (!target.startsWith('http')) return { socketPath: target };
  const url = new URL(target);
  return { host: url.hostname, port: Number(url.port || 80) };
}

function startLoad(target, path, { connections = 4, keepAlive = false, tls = false, onAnswer = () => {} } = {}) {
  const options = { keepAlive: true, maxSockets: connections };
  const agent = !keepAlive ? false : tls ? new https.Agent({ ...options, rejectUnauthorized: false }) : new http.Agent(options);
  const get = tls ? https.get : http.get;
  const result = { ok: 0, failures: [], bodies: new Map(), answers: [], failed: [], longestMs: 0 };
  let running = true;
  const one = () =>
    new Promise((resolve) => {
      const began = Date.now();
      const start = performance.now();
      const fail = (reason) => {
        result.failures.push(reason);
        result.failed.push({ began, reason });
        resolve();
      };
      const request = get({ ...where(target), path, agent, timeout: 5000 }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => {
          result.bodies.set(body, (result.bodies.get(body) ?? 0) + 1);
          result.answers.push({ began, body });
          if (response.statusCode !== 200) return fail(`status ${response.statusCode}`);
          result.ok += 1;
          result.longestMs = Math.max(result.longestMs, Math.round(performance.now() - start));
          onAnswer(result.ok);
          resolve();
        });
        response.on('error', (error) => fail(error.code ?? error.message));
      });
      request.on('timeout', () => request.destroy(Object.assign(new Error('timed out'), { code: 'TIMEOUT' })));
      request.on('error', (error) => fail(error.code ?? error.message));
    });
  const client = async () => {
    while (running) await one();
  };
  const clients = Array.from({ length: connections }, client);
  return {
    result,
    async stop() {
      running = false;
      await Promise.all(clients);
      if (agent !== false) agent.destroy();
      return result;
    },
  };
}

module.exports = { startLoad };

if (require.main === module) {
  const [url, connections = '4', mode] = process.argv.slice(2);
  const { pathname, search } = new URL(url);
  const load = startLoad(url, pathname + search, {
    connections: Number(connections),
    keepAlive: mode === 'keep-alive',
    onAnswer: (ok) => {
      if (ok === 1) process.stdout.write('running\n');
      if (ok % 1000 === 0) process.stdout.write(`ok ${ok}\n`);
    },
  });
  process.on('SIGTERM', async () => {
    const { ok, failures, bodies, longestMs } = await load.stop();
    const errors = {};
    for (const reason of failures) errors[reason] = (errors[reason] ?? 0) + 1;
    process.stdout.write(`${JSON.stringify({ ok, failed: failures.length, errors, bodies: Object.fromEntries(bodies), longestMs })}\n`);
  });
}
