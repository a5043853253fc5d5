// naught side by side with naught 1.6.0 and pm2 7, on this machine, in one run:
// `npm run bench`. Every scenario runs for each supervisor in turn, with N = 2 and
// 4 workers of an app that boots in 0 ms and in 500 ms; the results are medians
// (with min–max), as ratios to a baseline measured in the same run. Prints one
// markdown table and writes it, with the JSON, to bench/results.json and
// bench/RESULTS.md, and the scaling study (bench/scaling.mjs) to bench/SCALING.md.
// Loopback only; every run ends by itself.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { agentCost } from './agent-cost.mjs';
import { logPath } from './log-scenario.mjs';
import { bareSharedSocket, freshConnections } from './fresh.mjs';
import { appRun, freePort, getPid, launch, median, memory, run, sleep, summary, untilNewWorker, waitFor, wrk } from './measure.mjs';
import { installPeers } from './peers.mjs';
import { scaling } from './scaling.mjs';
import { BOOT_CPU_MS, tailDuringDeploys } from './tail.mjs';
import { tools } from './tools.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const PEERS = path.join(ROOT, 'bench/.peers');
const APP = path.join(ROOT, 'bench/app.cjs');
const WORKER_COUNTS = [2, 4];
const BOOTS_MS = [0, 500];
const DEPLOYS = 5;
const DEPLOYS_UNDER_LOAD = 3;
const STATUS_RUNS = 10;
const THROUGHPUT_SECONDS = 3;
const THROUGHPUT_RUNS = 3;
/** naught's default --drain-ramp: a deploy under load lasts that much longer (the others' end sooner). */
const DRAIN_RAMP_MS = 3000;
/** `naught status` under work: this many workers deployed back to back, each writing this many lines of 100 bytes a second. */
const BUSY_WORKERS = 8;
const BUSY_LINES_PER_S = 2000;

/** wrk's pace in the tail scenario: each of 50 connections waits 2 ms after every answer (about 20,000 requests/s, a fraction of what N = 2 serves). */
const TAIL_PACE_MS = 2;

async function times(count, once) {
  const values = [];
  for (let i = 0; i < count; i += 1) values.push(await once());
  return summary(values);
}

/** The commands that need no running naught, each alternated with `node -e 0` so both see the same moment. */
const OFFLINE_COMMANDS = [['version'], ['help', 'status'], ['unit', 'app.cjs']];

/** Baselines: `node -e 0`, naught's CLI starts, a bare idle node's memory and a minimal node:cluster primary's, the app alone under wrk. */
async function baselines() {
  const node = [];
  const commands = OFFLINE_COMMANDS.map(() => []);
  for (let i = 0; i < STATUS_RUNS; i += 1) {
    node.push((await run(process.execPath, ['-e', '0'])).ms);
    for (const [j, args] of OFFLINE_COMMANDS.entries()) commands[j].push((await run(process.execPath, [path.join(ROOT, 'dist/naught.js'), ...args], { cwd: path.join(ROOT, 'bench') })).ms);
  }
  const nodeStart = summary(node);
  const cliStart = summary(commands[0]);
  const commandStarts = OFFLINE_COMMANDS.map((args, j) => ({ command: args.join(' '), ...summary(commands[j]) }));
  const idle = launch(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)']);
  await sleep(1000);
  const bareNode = memory([idle.pid]);
  idle.kill();
  await idle.exited;
  const floorPrimary = {};
  for (const workers of WORKER_COUNTS) {
    const dir = mkdtempSync(path.join(tmpdir(), 'naught-bench-'));
    const primary = launch(process.execPath, [path.join(ROOT, 'bench/floor-primary.cjs'), APP, String(workers), path.join(dir, 'out.log')], { env: { ...process.env, PORT: String(await freePort()) } });
    await sleep(1000);
    floorPrimary[workers] = memory([primary.pid]);
    primary.kill('SIGTERM');
    await primary.exited;
    rmSync(dir, { recursive: true, force: true });
  }
  const port = await freePort();
  const single = launch(process.execPath, [APP], { env: { ...process.env, PORT: String(port) } });
  await waitFor(async () => (await getPid(port)) !== null, 'the single app');
  const rates = [];
  for (let i = 0; i < THROUGHPUT_RUNS; i += 1) rates.push((await wrk(port, { seconds: THROUGHPUT_SECONDS })).requestsPerS);
  single.kill('SIGKILL');
  await single.exited;
  return { nodeStart, cliStart, commandStarts, bareNode, floorPrimary, singleRequestsPerS: median(rates) };
}

/** wrk with 50 keep-alive connections while DEPLOYS_UNDER_LOAD deploys run: the requests that failed. */
async function failuresAcrossDeploys(instance, port, deployMs) {
  const seconds = Math.ceil(2 + (DEPLOYS_UNDER_LOAD * (deployMs + DRAIN_RAMP_MS + 300)) / 1000);
  const load = wrk(port, { seconds });
  await sleep(1000);
  let deploys = 0;
  for (let i = 0; i < DEPLOYS_UNDER_LOAD; i += 1) {
    await instance.deploy();
    deploys += 1;
    await sleep(300);
  }
  const result = await load;
  await instance.ready();
  return { errors: result.errors, requests: result.requests, deploys };
}

/**
 * kill -9 of a worker that was never replaced before → the first answer from its
 * replacement (measure.mjs' untilNewWorker).
 */
async function recovery(instance, port, workers) {
  const samples = [];
  const replacements = new Set();
  for (let i = 0; i < workers; i += 1) {
    const before = instance.workerPids();
    const victim = before.find((pid) => !replacements.has(pid));
    const killedAt = performance.now();
    process.kill(victim, 'SIGKILL');
    samples.push(await untilNewWorker(port, before, killedAt));
    await instance.ready();
    for (const pid of instance.workerPids()) if (!before.includes(pid)) replacements.add(pid);
  }
  return summary(samples);
}

async function scenarios(tool, workers, bootMs) {
  const { dir, modeFile, port, env } = await appRun('naught-bench-', 'graceful', { BOOT_MS: String(bootMs) });
  const instance = await tool.start({ dir, app: APP, workers, env });
  try {
    await sleep(1000);
    const result = { tool: tool.name, workers, bootMs };
    result.memory = memory(instance.supervisorPids());
    result.supervisorProcesses = instance.supervisorPids().length;
    if (bootMs === 0) {
      // Alternated with `node -e 0`, so both see the same machine at the same moment.
      const status = [];
      const node = [];
      for (let i = 0; i < STATUS_RUNS; i += 1) {
        node.push((await run(process.execPath, ['-e', '0'])).ms);
        status.push(await instance.status());
      }
      result.status = summary(status);
      result.nodeStart = summary(node);
      const rates = [];
      for (let i = 0; i < THROUGHPUT_RUNS; i += 1) rates.push((await wrk(port, { seconds: THROUGHPUT_SECONDS })).requestsPerS);
      result.requestsPerS = median(rates);
      result.fresh = await freshConnections(instance, APP, port, workers);
    }
    result.deploy = await times(DEPLOYS, () => instance.deploy());
    result.failuresGraceful = await failuresAcrossDeploys(instance, port, result.deploy.median);
    writeFileSync(modeFile, 'naive');
    result.failuresNaive = await failuresAcrossDeploys(instance, port, result.deploy.median);
    writeFileSync(modeFile, 'graceful');
    result.recovery = await recovery(instance, port, workers);
    return result;
  } finally {
    await instance.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `naught status` while BUSY_WORKERS workers are deployed back to back and each floods
 * its log, alternated with `node -e 0` under the same load.
 */
async function statusUnderWork(tool) {
  const { dir, env } = await appRun('naught-busy-', 'graceful', { LOG_LINES_PER_S: String(BUSY_LINES_PER_S), BOOT_MS: '500' });
  const instance = await tool.start({ dir, app: APP, workers: BUSY_WORKERS, env });
  let deploying = true;
  let deploys = 0;
  let failedDeploys = 0;
  const deployLoop = (async () => {
    while (deploying) {
      try {
        await instance.deploy();
        deploys += 1;
      } catch {
        failedDeploys += 1;
      }
    }
  })();
  try {
    // The first deploy under way.
    await sleep(300);
    const status = [];
    const node = [];
    for (let i = 0; i < 2 * STATUS_RUNS; i += 1) {
      node.push((await run(process.execPath, ['-e', '0'])).ms);
      status.push(await instance.status());
    }
    return { workers: BUSY_WORKERS, linesPerS: BUSY_LINES_PER_S, status: summary(status), nodeStart: summary(node), deploys, failedDeploys };
  } finally {
    deploying = false;
    await deployLoop;
    await instance.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const started = performance.now();
await installPeers(PEERS);
await run('npm', ['run', '--silent', 'build'], { cwd: ROOT });
const base = await baselines();
console.error("the agent's cost in the request path");
const agent = await agentCost();
const all = tools(ROOT, PEERS);
const results = [];
for (const workers of WORKER_COUNTS) {
  for (const bootMs of BOOTS_MS) {
    for (const tool of all) {
      console.error(`${tool.name}: ${workers} workers, boot ${bootMs} ms`);
      results.push(await scenarios(tool, workers, bootMs));
    }
  }
}
console.error(`naught status under a deploy of ${BUSY_WORKERS} workers and a log flood`);
const busyStatus = await statusUnderWork(all[0]);
// The naive app again, under naught with --graceful-preload true (its close made graceful without changing it).
const preload = [];
for (const workers of WORKER_COUNTS) {
  console.error(`naught --graceful-preload true: ${workers} workers, naive app`);
  const { dir, port, env } = await appRun('naught-bench-', 'naive', { BOOT_MS: '0' });
  const instance = await all[0].start({ dir, app: APP, workers, env, extraArgs: ['--graceful-preload', 'true'] });
  try {
    const deployMs = await instance.deploy();
    preload.push({ workers, ...(await failuresAcrossDeploys(instance, port, deployMs)) });
  } finally {
    await instance.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
// Where the workers outnumber the CPUs, how bare processes sharing one socket spread fresh connections.
const sharedSocket = [];
for (const workers of WORKER_COUNTS.filter((count) => count > cpus().length)) {
  console.error(`${workers} bare processes sharing one socket`);
  sharedSocket.push(await bareSharedSocket(APP, workers));
}
// The tail during deploys, for each supervisor; and naught without its ramp, and with its booting workers at the serving ones' priority.
const tails = [];
for (const workers of WORKER_COUNTS) {
  for (const [tool, extraArgs] of [...all.map((tool) => [tool, []]), [all[0], ['--drain-ramp', '0']], [all[0], ['--boot-nice', '0']]]) {
    console.error(`${tool.name} ${extraArgs.join(' ')}: tail during deploys, ${workers} workers`);
    tails.push(await tailDuringDeploys(tool, APP, workers, extraArgs, TAIL_PACE_MS));
  }
}
console.error('log path');
const logs = await logPath(all);
// How the cost grows with N, the log writers and the hours (bench/SCALING.md): naught beside pm2.
const scaled = await scaling(all.filter((tool) => tool.name !== 'naught 1.6'));
const { report, targets } = await import('./report.mjs');
const machine = { cpus: cpus().length, cpu: cpus()[0]?.model, memoryGB: +(totalmem() / 2 ** 30).toFixed(1), node: process.version, kernel: (await run('uname', ['-r'])).stdout.trim() };
const data = { date: new Date().toISOString(), machine, baselines: base, agent, results, busyStatus, preload, sharedSocket, tails, bootCpuMs: BOOT_CPU_MS, tailPaceMs: TAIL_PACE_MS, logs, scaling: scaled, minutes: +((performance.now() - started) / 60_000).toFixed(1) };
data.targets = targets(data);
const markdown = report(data);
console.log(markdown);
writeFileSync(path.join(ROOT, 'bench/results.json'), `${JSON.stringify(data, null, 2)}\n`);
writeFileSync(path.join(ROOT, 'bench/RESULTS.md'), markdown);
