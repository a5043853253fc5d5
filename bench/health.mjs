// Worker health, measured: what naught's agent costs a worker, how long from a
// wedged event loop to a replacement serving, the memory a deploy needs all at once
// and with --batch 1, and a leaking app under naught's --max-memory beside pm2's
// max_memory_restart. Ratios against a baseline in the same run. `npm run bench:health`
// (installs pm2 into bench/.peers and wrk from Debian on first use). Prints a
// markdown table and writes it to bench/HEALTH.md.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getPid, median, memory, run, sleep, summary, wrk } from './measure.mjs';
import { installPeers } from './peers.mjs';
import { tools } from './tools.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const PEERS = path.join(ROOT, 'bench/.peers');
const APP = path.join(ROOT, 'bench/app.cjs');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Runs `body` with `tool` started on a fresh port and directory; always stops it. */
async function withTool(tool, { workers, extraArgs = [], env = {} }, body) {
  const dir = mkdtempSync(path.join(tmpdir(), 'naught-health-'));
  const port = await freePort();
  const instance = await tool.start({ dir, app: APP, workers, env: { ...process.env, PORT: String(port), ...env }, extraArgs });
  try {
    return await body(instance, port, dir);
  } finally {
    await instance.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The agent's cost: worker memory and requests/s with --worker-timeout 30 (the default) and none. */
async function agentCost(naught) {
  const measure = (timeout) =>
    withTool(naught, { workers: 2, extraArgs: ['--worker-timeout', timeout] }, async (instance, port) => {
      await sleep(2000);
      const rss = memory(instance.workerPids()).rss / 2;
      const rates = [];
      for (let i = 0; i < RUNS; i += 1) rates.push((await wrk(port, { seconds: 3 })).requestsPerS);
      return { workerRssBytes: rss, requestsPerS: median(rates) };
    });
  const off = await measure('none');
  const on = await measure('30');
  return { off, on, rss: on.workerRssBytes / off.workerRssBytes, throughput: on.requestsPerS / off.requestsPerS };
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
      samples.push(
        await new Promise((resolve) => {
          const poll = setInterval(() => {
            if (performance.now() - wedgedAt > 20_000) finish(Infinity);
            void getPid(port).then((pid) => {
              if (pid !== null && !before.includes(pid)) finish(performance.now() - wedgedAt);
            });
          }, 10);
          const finish = (value) => {
            clearInterval(poll);
            resolve(value);
          };
        }),
      );
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

/** 20 s of wrk (50 connections) on an app that keeps 256 KB per request, with a 100 MB limit: failed requests and recycles. */
async function leaking(tool, extraArgs, recycles) {
  return withTool(tool, { workers: 2, extraArgs, env: { LEAK_KB: '256' } }, async (instance, port, dir) => {
    await sleep(1000);
    const result = await wrk(port, { seconds: 20 });
    return { requests: result.requests, errors: result.errors, recycles: await recycles(instance, dir) };
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
const leaks = {
  naught: await leaking(naught, ['--max-memory', '100M'], async (_instance, dir) => countLines(dir)),
  pm2: await leaking(pm2, ['--max-memory-restart', '100M'], (instance) => instance.restarts()),
};

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
  `| agent: requests/s, 2 workers, wrk 50 connections | ${Math.round(agent.on.requestsPerS)} vs ${Math.round(agent.off.requestsPerS)} = ${agent.throughput.toFixed(3)}× |`,
  `| wedge → a replacement answers, --worker-timeout 2 | ${range(wedge, 0)} ms |`,
  `| peak RSS during a deploy of 4 workers (booting 300 ms) / steady, all at once | ${range(peaks['all at once'])}× (target (2N)/N = 2) |`,
  `| the same, --batch 1 | ${range(peaks['--batch 1'])}× (target ≤ (N+1)/N = 1.25) |`,
  `| leaking app (256 KB/request, limit 100 MB), 20 s of wrk: naught --max-memory | ${leaks.naught.errors} failed of ${leaks.naught.requests}, ${leaks.naught.recycles} recycles |`,
  `| the same under pm2 --max-memory-restart | ${leaks.pm2.errors} failed of ${leaks.pm2.requests}, ${leaks.pm2.recycles} restarts |`,
  '',
  `Took ${((performance.now() - started) / 60_000).toFixed(1)} min.`,
  '',
];
const markdown = lines.join('\n');
console.log(markdown);
writeFileSync(path.join(ROOT, 'bench/HEALTH.md'), markdown);
