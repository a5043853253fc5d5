// Worker health, measured: what naught's agent costs a worker, and what its drain
// adds (servers watched, connections counted), how long from a
// wedged event loop to a replacement serving, the memory a deploy needs all at once
// and with --batch 1, and a leaking app under naught's --max-memory beside pm2's
// max_memory_restart. Ratios against a baseline in the same run. `npm run bench:health`
// (installs pm2 into bench/.peers and wrk from Debian on first use). Prints a
// markdown table and writes it to bench/HEALTH.md.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, getPid, median, memory, run, sleep, summary, untilNewWorker, wrk } from './measure.mjs';
import { installPeers } from './peers.mjs';
import { tools } from './tools.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const PEERS = path.join(ROOT, 'bench/.peers');
const APP = path.join(ROOT, 'bench/app.cjs');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const LEAK_SECONDS = 60;

/** Runs `body` with `tool` started on a fresh port and directory; always stops it. */
async function withTool(tool, { workers, extraArgs = [], env = {}, logFile }, body) {
  const dir = mkdtempSync(path.join(tmpdir(), 'naught-health-'));
  const port = await freePort();
  const instance = await tool.start({ dir, app: APP, workers, env: { ...process.env, PORT: String(port), ...env }, extraArgs, ...(logFile === undefined ? {} : { logFile }) }).catch((error) => {
    // What the supervisor said, to see why it did not come online.
    for (const log of ['naught.log', 'stderr.log']) console.error(`${log}:\n${readFileSync(path.join(dir, log), 'utf8').slice(-2000)}`);
    throw error;
  });
  try {
    return await body(instance, port, dir);
  } finally {
    await instance.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What naught started as `on` costs a worker against `off` ({extraArgs, logFile}): its
 * memory and requests/s, each measured RUNS times in turn, so both see the machine alike.
 */
async function costOf(naught, on, off) {
  const measure = (how) =>
    withTool(naught, { workers: 2, ...how }, async (instance, port) => {
      await sleep(2000);
      return { workerRssBytes: memory(instance.workerPids()).rss / 2, requestsPerS: (await wrk(port, { seconds: 5 })).requestsPerS };
    });
  const offRuns = [];
  const onRuns = [];
  for (let i = 0; i < RUNS; i += 1) {
    offRuns.push(await measure(off));
    onRuns.push(await measure(on));
  }
  const of = (runs, key) => median(runs.map((run) => run[key]));
  const ratios = onRuns.map((run, i) => run.requestsPerS / offRuns[i].requestsPerS);
  return {
    off: { workerRssBytes: of(offRuns, 'workerRssBytes'), requestsPerS: of(offRuns, 'requestsPerS') },
    on: { workerRssBytes: of(onRuns, 'workerRssBytes'), requestsPerS: of(onRuns, 'requestsPerS') },
    rss: of(onRuns, 'workerRssBytes') / of(offRuns, 'workerRssBytes'),
    throughput: summary(ratios),
  };
}

/** A wedge (GET /wedge) → the first answer from a process that did not exist before, polled on fresh connections. */
async function wedgeToReplacement(naught) {
  return withTool(naught, { workers: 2, extraArgs: ['--worker-timeout', '2'] }, async (instance, port) => {
    const samples = [];
    for (let i = 0; i < RUNS; i += 1) {
      await instance.ready();
      const before = instance.workerPids();
      const wedgedAt = performance.now();
      await getPid(port, '/wedge');
      samples.push(await untilNewWorker(port, before, wedgedAt));
    }
    return summary(samples);
  });
}

/** Peak RSS of naught and every worker during one deploy, sampled every 10 ms, as a ratio to the steady state before it. */
async function deployPeak(naught, workers, extraArgs) {
  return withTool(naught, { workers, env: { BOOT_MS: '300' } }, async (instance, _port, dir) => {
    const cli = path.join(ROOT, 'dist/naught.js');
    const ratios = [];
    for (let i = 0; i < RUNS; i += 1) {
      await instance.ready();
      await sleep(500);
      const all = () => instance.supervisorPids().concat(instance.workerPids());
      const steady = memory(all()).rss;
      let peak = steady;
      const sampler = setInterval(() => {
        try {
          peak = Math.max(peak, memory(all()).rss);
        } catch {
          // A process ended between the listing and the read.
        }
      }, 10);
      await run(process.execPath, [cli, 'deploy', ...extraArgs], { cwd: dir });
      clearInterval(sampler);
      ratios.push(peak / steady);
    }
    return summary(ratios);
  });
}

/**
 * 60 s of wrk (50 connections) on an app that keeps 10 MB more each second, with a
 * 100 MB limit: failed requests and recycles. 60 s because pm2 checks memory every
 * 30 s (its worker interval).
 */
async function leaking(tool, workers, extraArgs, recycles) {
  return withTool(tool, { workers, extraArgs, env: { LEAK_MB_PER_S: '10' } }, async (instance, port, dir) => {
    await sleep(1000);
    // The largest worker seen, every 250 ms: how far over the limit a worker gets before it is replaced.
    let largest = 0;
    const sampler = setInterval(() => {
      for (const pid of instance.workerPids()) {
        try {
          largest = Math.max(largest, memory([pid]).rss);
        } catch {
          // Gone between the listing and the read.
        }
      }
    }, 250);
    const result = await wrk(port, { seconds: LEAK_SECONDS });
    clearInterval(sampler);
    return { requests: result.requests, errors: result.errors, recycles: await recycles(instance, dir), largest };
  });
}

const started = performance.now();
await installPeers(PEERS);
await run('npm', ['run', '--silent', 'build'], { cwd: ROOT });
const [naught, , pm2] = tools(ROOT, PEERS);
console.error('agent cost');
// The agent alone (no pings, no drain, only the output it writes) against no agent: every job's cost but the output's.
const quiet = ['--stderr', '/dev/null'];
const agent = await costOf(naught, { logFile: '/dev/null', extraArgs: quiet }, { logFile: '/dev/null', extraArgs: [...quiet, '--worker-timeout', 'none', '--drain-timeout', '0'] });
console.error('drain cost');
const drain = await costOf(naught, { extraArgs: ['--worker-timeout', 'none'] }, { extraArgs: ['--worker-timeout', 'none', '--drain-timeout', '0'] });
console.error('wedge to replacement');
const wedge = await wedgeToReplacement(naught);
console.error('deploy peaks');
const peaks = {};
for (const [name, args] of [['all at once', []], ['--batch 1', ['--batch', '1']]]) peaks[name] = await deployPeak(naught, 4, args);
console.error('leaking app');
const countLines = (dir) => readFileSync(path.join(dir, 'naught.log'), 'utf8').split('\n').filter((line) => line.startsWith('WorkerRecycle.')).length;
const leaks = [];
for (const workers of [1, 2]) {
  leaks.push({
    workers,
    naught: await leaking(naught, workers, ['--max-memory', '100M'], async (_instance, dir) => countLines(dir)),
    pm2: await leaking(pm2, workers, ['--max-memory-restart', '100M'], (instance) => instance.restarts()),
  });
}

const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const range = ({ median: m, min, max }, digits = 2) => `${m.toFixed(digits)} (${min.toFixed(digits)}–${max.toFixed(digits)})`;
const lines = [
  '# Worker health, measured',
  '',
  `${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${RUNS} runs each, medians (min–max). \`npm run bench:health\`.`,
  '',
  '| what | figure |',
  '| --- | --- |',
  `| agent (pings and drain, no captured output) vs no agent (--worker-timeout none --drain-timeout 0): worker RSS | ${mb(agent.on.workerRssBytes)} vs ${mb(agent.off.workerRssBytes)} = ${agent.rss.toFixed(3)}× |`,
  `| the same: requests/s, 2 workers, wrk 50 connections, 5 s | ${Math.round(agent.on.requestsPerS)} vs ${Math.round(agent.off.requestsPerS)}; ratio per pair ${range(agent.throughput, 3)}× |`,
  `| the drain (--drain-timeout 10 vs 0, the agent there for the output either way): worker RSS | ${mb(drain.on.workerRssBytes)} vs ${mb(drain.off.workerRssBytes)} = ${drain.rss.toFixed(3)}× |`,
  `| the same: requests/s | ${Math.round(drain.on.requestsPerS)} vs ${Math.round(drain.off.requestsPerS)}; ratio per pair ${range(drain.throughput, 3)}× |`,
  `| wedge → a replacement answers, --worker-timeout 2 | ${range(wedge, 0)} ms |`,
  `| peak RSS during a deploy of 4 workers (booting 300 ms) / steady, all at once | ${range(peaks['all at once'])}× (target (2N)/N = 2) |`,
  `| the same, --batch 1 | ${range(peaks['--batch 1'])}× (target ≤ (N+1)/N = 1.25) |`,
  ...leaks.flatMap(({ workers, naught: n, pm2: p }) => [
    `| leaking app (10 MB/s, limit 100 MB), ${workers} worker${workers === 1 ? '' : 's'}, ${LEAK_SECONDS} s of wrk: naught --max-memory | ${n.errors} failed of ${n.requests}, ${n.recycles} recycles, largest worker ${mb(n.largest)} |`,
    `| the same under pm2 --max-memory-restart | ${p.errors} failed of ${p.requests}, ${p.recycles} restarts, largest worker ${mb(p.largest)} |`,
  ]),
  '',
  `Took ${((performance.now() - started) / 60_000).toFixed(1)} min.`,
  '',
];
const markdown = lines.join('\n');
console.log(markdown);
writeFileSync(path.join(ROOT, 'bench/HEALTH.md'), markdown);
