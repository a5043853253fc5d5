// Small measuring tools shared by the benchmark's scenarios.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitUntil } from '../test/helpers/wait.mjs';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Median and spread (min, max) of `values`. */
export function summary(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length };
}

/** Waits for `check` (test/helpers/wait.mjs, as the tests do), every 5 ms, for a minute at most. */
export function waitFor(check, what, deadlineMs = 60_000) {
  return waitUntil(check, what, deadlineMs, 5);
}

/** Runs a command to its end; resolves with its output and wall time in ms. Rejects on a non-zero exit. */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    execFile(command, args, { maxBuffer: 64 * 1024 * 1024, timeout: 120_000, ...options }, (error, stdout, stderr) => {
      const ms = performance.now() - started;
      if (error && !options.allowFailure) reject(new Error(`${command} ${args.join(' ')}: ${error.message}\n${stderr}`));
      else resolve({ stdout, stderr, ms, code: error?.code ?? 0 });
    });
  });
}

/** Starts a long-running process; its output is kept for diagnostics. */
export function launch(command, args, options = {}) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  child.output = '';
  child.stdout?.on('data', (chunk) => (child.output += chunk));
  child.stderr?.on('data', (chunk) => (child.output += chunk));
  child.exited = new Promise((resolve) => child.on('exit', resolve));
  return child;
}

/** GET `route` (/) on a fresh connection: the body (the worker's pid), or null on any failure. */
export function getPid(port, route = '/') {
  return new Promise((resolve) => {
    const request = http.get({ host: '127.0.0.1', port, path: route, agent: false, timeout: 2000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve(response.statusCode === 200 ? Number(body) : null));
      response.on('error', () => resolve(null));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(null));
  });
}

/** Resident and proportional set sizes of `pids` together, in bytes; a process gone counts nothing. */
export function memory(pids) {
  let rss = 0;
  let pss = 0;
  for (const pid of pids) {
    let rollup;
    try {
      rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    } catch {
      // Gone since it was listed: a short-lived child of the supervisor (one under pm2's daemon ended the soak so).
      continue;
    }
    rss += Number(/^Rss:\s+(\d+) kB/m.exec(rollup)[1]) * 1024;
    pss += Number(/^Pss:\s+(\d+) kB/m.exec(rollup)[1]) * 1024;
  }
  return { rss, pss };
}

/** CPU time (user + system) `pids` have used together, in seconds; a process gone counts nothing. */
export function cpuSeconds(pids) {
  const TICK_S = 1 / 100; // USER_HZ
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Gone: a helper that ended.
    }
  }
  return ticks * TICK_S;
}

export function peakRss(pid) {
  return Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
}

/** The children of `pid`, from /proc. */
export function childrenOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export function commandOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/**
 * wrk's summary: requests/s, requests, and errors of every kind it counts. `paceMs`:
 * each connection waits that long after every answer (bench/paced.lua), so none saturates.
 */
export async function wrk(port, { seconds, connections = 50, threads = 2, paceMs }) {
  const paced = paceMs === undefined ? [] : ['-s', path.join(import.meta.dirname, 'paced.lua')];
  const env = paceMs === undefined ? process.env : { ...process.env, PACE_MS: String(paceMs) };
  const { stdout } = await run('wrk', [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--latency', ...paced, `http://127.0.0.1:${port}/`], { env });
  const number = (pattern) => Number(pattern.exec(stdout)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  const socketErrors = socket === null ? 0 : socket.slice(1).map(Number).reduce((a, b) => a + b, 0);
  return {
    requestsPerS: number(/Requests\/sec:\s+([\d.]+)/),
    requests: number(/(\d+) requests in/),
    errors: socketErrors + number(/Non-2xx or 3xx responses: (\d+)/),
    // wrk's latency distribution (--latency), and the thread stats' max.
    p99Ms: durationMs(/^\s+99%\s+([\d.]+\w+)$/m.exec(stdout)?.[1]),
    maxMs: durationMs(/^\s+Latency\s+\S+\s+\S+\s+(\S+)/m.exec(stdout)?.[1]),
    raw: stdout,
  };
}

/** wrk's duration (`850.00us`, `6.70ms`, `1.02s`, `2.00m`) in milliseconds; NaN if absent. */
function durationMs(text) {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text ?? '');
  if (match === null) return Number.NaN;
  return Number(match[1]) * { us: 0.001, ms: 1, s: 1000, m: 60_000 }[match[2]];
}

/**
 * wrk with a new connection per request (bench/fresh.lua): requests/s, and each
 * answering process's count (the bench app answers its pid). Checked against the
 * server: wrk opens one connection per request with this script.
 */
export async function wrkFresh(port, { seconds, connections = 50, threads = 2 }) {
  const script = path.join(import.meta.dirname, 'fresh.lua');
  const { stdout } = await run('wrk', [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, '-s', script, `http://127.0.0.1:${port}/`]);
  const counts = [...stdout.matchAll(/^answered-by (\d+) (\d+)$/gm)].map((match) => Number(match[2]));
  return { requestsPerS: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? 0), counts };
}

/** The busiest process's share of `counts` as a multiple of the fair share (1 is perfectly even). */
export function busiestShare(counts, processes) {
  const total = counts.reduce((sum, count) => sum + count, 0);
  return total === 0 ? 0 : Math.max(...counts) / (total / processes);
}

/**
 * A run of bench/app.cjs: a temp dir, the file that says how it shuts down (`mode`, which
 * a scenario may rewrite), a free port, and its environment with `appEnv` added.
 */
export async function appRun(prefix, mode, appEnv = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const modeFile = path.join(dir, 'mode');
  writeFileSync(modeFile, mode);
  const port = await freePort();
  return { dir, modeFile, port, env: { ...process.env, PORT: String(port), MODE_FILE: modeFile, ...appEnv } };
}

/** A port nothing listens on now, on loopback. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Milliseconds from `since` to the first answer from a worker not in `before`. A
 * burst of 4 requests every 5 ms, each on a fresh connection: node:cluster may hand a connection to a
 * worker that is gone or stuck, where it hangs, so no single request is waited for.
 * Infinity after 20 s.
 */
export function untilNewWorker(port, before, since) {
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      if (performance.now() - since > 20_000) finish(Infinity);
      // Several at once: where workers accept from one socket, the idle old ones would win a lone connection.
      for (let i = 0; i < 4; i += 1) {
        void getPid(port).then((pid) => {
          if (pid !== null && !before.includes(pid)) finish(performance.now() - since);
        });
      }
    }, 5);
    const finish = (value) => {
      clearInterval(poll);
      resolve(value);
    };
  });
}
