#!/usr/bin/env node
// Sends GET requests to a URL back to back, each on a fresh connection (or, with
// keep-alive, on `concurrency` connections kept open), until it gets SIGTERM; then prints {ok, failed, errors, bodies, longestMs} as JSON (longestMs:
// the longest answered request, connect to end). It prints
// "running" once its first request has succeeded, so a test can wait for that, and
// "ok N" at every thousandth success, so a test can wait for an amount of load.
// Usage: load.cjs URL [concurrency] [keep-alive]
'use strict';
const http = require('node:http');

const url = process.argv[2];
const concurrency = Number(process.argv[3] ?? 4);
const agent = process.argv[4] === 'keep-alive' ? new http.Agent({ keepAlive: true, maxSockets: concurrency }) : false;
const tally = { ok: 0, failed: 0, errors: {}, bodies: {}, longestMs: 0 };
let stopping = false;
let announced = false;

function once() {
  const began = performance.now();
  return new Promise((resolve) => {
    const request = http.get(url, { agent, timeout: 5000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => {
        if (response.statusCode === 200) {
          tally.ok += 1;
          tally.longestMs = Math.max(tally.longestMs, Math.round(performance.now() - began));
          tally.bodies[body] = (tally.bodies[body] ?? 0) + 1;
          if (!announced) {
            announced = true;
            process.stdout.write('running\n');
          }
          if (tally.ok % 1000 === 0) process.stdout.write(`ok ${tally.ok}\n`);
        } else {
          fail(`HTTP ${response.statusCode}`);
        }
        resolve();
      });
      response.on('error', (error) => {
        fail(error.code ?? error.message);
        resolve();
      });
    });
    request.on('timeout', () => request.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    request.on('error', (error) => {
      fail(error.code ?? error.message);
      resolve();
    });
  });
}

function fail(reason) {
  tally.failed += 1;
  tally.errors[reason] = (tally.errors[reason] ?? 0) + 1;
}

async function worker() {
  while (!stopping) await once();
}

process.on('SIGTERM', () => (stopping = true));
Promise.all(Array.from({ length: concurrency }, worker)).then(() => {
  process.stdout.write(`${JSON.stringify(tally)}\n`);
});
