// Worker health, measured: what naught's agent costs a worker, how long from a
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
async function withTool(tool, { workers, extraArgs = [], env = {} }, body) {
  const dir = mkdtempSync(path.join(tmpdir(), 'naught-health-'));
  const port = await freePort();
  const instance = await tool.start({ dir, app: APP, workers, env: { ...process.env, PORT: String(port), ...env }, extraArgs }).catch((error) => {
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
 * The agent's cost: worker memory and requests/s with --worker-timeout 30 (the
 * default) and none, each measured RUNS times in turn, so both see the machine alike.
 */
async function agentCost(naught) {
  const measure = (timeout) =>
    withTool(naught, { workers: 2, extraArgs: ['--worker-timeout', timeout] }, async (instance, port) => {
      await sleep(2000);
      return { workerRssBytes: memory(instance.workerPids()).rss / 2, requestsPerS: (await wrk(port, { seconds: 5 })).requestsPerS };
    });
  const off = [];
  const on = [];
  for (let i = 0; i < RUNS; i += 1) {
    off.push(await measure('none'));
    on.push(await measure('30'));
  }
  const of = (runs, key) => median(runs.map((run) => run[key]));
  const ratios = on.map((run, i) => run.requestsPerS / off[i].requestsPerS);
  return {
    off: { workerRssBytes: of(off, 'workerRssBytes'), requestsPerS: of(off, 'requestsPerS') },
    on: { workerRssBytes: of(on, 'workerRssBytes'), requestsPerS: of(on, 'requestsPerS') },
    rss: of(on, 'workerRssBytes') / of(off, 'workerRssBytes'),
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
const agent = await agentCost(naught);
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
  `| agent: worker RSS, --worker-timeout 30 vs none | ${mb(agent.on.workerRssBytes)} vs ${mb(agent.off.workerRssBytes)} = ${agent.rss.toFixed(3)}× |`,
  `| agent: requests/s, 2 workers, wrk 50 connections, 5 s | ${Math.round(agent.on.requestsPerS)} vs ${Math.round(agent.off.requestsPerS)}; ratio per pair ${range(agent.throughput, 3)}× |`,
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
