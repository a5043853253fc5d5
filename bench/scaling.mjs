// How each supervisor's cost grows with its work: N = 1, 2, 4 … 32 workers of an app
// that boots in 0 and in 500 ms (deploy wall time, the supervisor's memory, file
// descriptors and CPU per deploy, the time to serve again after kill -9 of every
// worker); the log path with 1 to 16 writing workers; and a soak with a deploy every
// 10 s and a steady log flow, sampling the supervisor's memory and descriptors.
// Run by `npm run bench` (bench.mjs), or alone: `npm run bench:scaling`. Writes
// bench/SCALING.md with its tables, bench/scaling.json, and an SVG plot of each figure against N.
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { logPath } from './log-scenario.mjs';
import { appRun, cpuSeconds, getPid, median, memory, sleep, summary, waitFor } from './measure.mjs';
import { lineChart } from './plot.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const APP = path.join(ROOT, 'bench/app.cjs');
const WORKER_COUNTS = (process.env.SCALING_WORKERS ?? '1,2,4,8,16,32').split(',').map(Number);
const BOOTS_MS = [0, 500];
const DEPLOYS = 3;
const LOG_WRITERS = (process.env.SCALING_WRITERS ?? '1,2,4,8,16').split(',').map(Number);
const SOAK_MINUTES = Number(process.env.SOAK_MINUTES ?? 30);
const SOAK_DEPLOY_EVERY_MS = 10_000;
/** The soak's log flow: lines a second from each worker (bench/app.cjs's LOG_LINES_PER_S). */
const SOAK_LINES_PER_S = 200;

const descriptors = (pid) => readdirSync(`/proc/${pid}/fd`).length;

/** kill -9 of every worker at once → the first answer from a new one, and → all N online again. */
async function killAll(instance, port) {
  const before = instance.workerPids();
  const killedAt = performance.now();
  for (const pid of before) process.kill(pid, 'SIGKILL');
  let served = null;
  await waitFor(async () => {
    const pid = await getPid(port);
    if (pid !== null && !before.includes(pid)) served = performance.now() - killedAt;
    return served !== null;
  }, 'a new worker to answer', 60_000);
  await instance.ready();
  return { servedMs: served, allOnlineMs: performance.now() - killedAt };
}

async function workersRow(tool, workers, bootMs) {
  const { dir, port, env } = await appRun('naught-scaling-', 'graceful', { BOOT_MS: String(bootMs) });
  const startedAt = performance.now();
  const instance = await tool.start({ dir, app: APP, workers, env });
  try {
    const startMs = performance.now() - startedAt;
    await sleep(1000);
    const pids = instance.supervisorPids();
    const row = { tool: tool.name, workers, bootMs, startMs, memory: memory(pids), fds: descriptors(pids[0]) };
    const cpuBefore = cpuSeconds(instance.supervisorPids());
    const deploys = [];
    for (let i = 0; i < DEPLOYS; i += 1) deploys.push(await instance.deploy());
    row.deploy = summary(deploys);
    row.cpuPerDeployMs = ((cpuSeconds(instance.supervisorPids()) - cpuBefore) * 1000) / DEPLOYS;
    row.memoryAfterDeploys = memory(instance.supervisorPids());
    row.killAll = await killAll(instance, port);
    return row;
  } finally {
    await instance.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** SOAK_MINUTES of deploys every 10 s and LOG_LINES_PER_S from each of 4 workers: the supervisor's RSS and descriptors every 10 s. */
async function soak(tool) {
  const { dir, port, env } = await appRun('naught-soak-', 'graceful', { LOG_LINES_PER_S: String(SOAK_LINES_PER_S) });
  const instance = await tool.start({ dir, app: APP, workers: 4, env });
  const samples = [];
  let failedDeploys = 0;
  try {
    const started = performance.now();
    while (performance.now() - started < SOAK_MINUTES * 60_000) {
      const pids = instance.supervisorPids();
      samples.push({ minute: (performance.now() - started) / 60_000, rss: memory(pids).rss, fds: descriptors(pids[0]) });
      const deployed = performance.now();
      try {
        await instance.deploy();
      } catch {
        failedDeploys += 1;
      }
      await sleep(Math.max(0, SOAK_DEPLOY_EVERY_MS - (performance.now() - deployed)));
    }
  } finally {
    await instance.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return { tool: tool.name, samples, failedDeploys };
}

const mb = (bytes) => +(bytes / 2 ** 20).toFixed(1);

function plots(rows, logs, soaks) {
  const files = {};
  const byTool = (bootMs, value) =>
    [...new Set(rows.map((r) => r.tool))].map((name) => ({ name: `${name}, boot ${bootMs} ms`, points: rows.filter((r) => r.tool === name && r.bootMs === bootMs).map((r) => [r.workers, value(r)]) }));
  const both = (value) => [...byTool(0, value), ...byTool(500, value)];
  files['scaling-deploy.svg'] = lineChart({ title: 'Deploy wall time', xLabel: 'workers', yLabel: 'ms (median of 3)', series: both((r) => r.deploy.median) });
  files['scaling-rss.svg'] = lineChart({ title: "The supervisor's RSS after 3 deploys", xLabel: 'workers', yLabel: 'MB', series: byTool(0, (r) => mb(r.memoryAfterDeploys.rss)) });
  files['scaling-cpu.svg'] = lineChart({ title: "The supervisor's CPU per deploy", xLabel: 'workers', yLabel: 'ms', series: both((r) => r.cpuPerDeployMs) });
  files['scaling-kill.svg'] = lineChart({ title: 'kill -9 of every worker → served again', xLabel: 'workers', yLabel: 'ms', series: both((r) => r.killAll.servedMs) });
  const tools = Object.keys(logs[0]).filter((key) => !['workers', 'megabytes', 'direct', 'cat'].includes(key));
  files['scaling-logs.svg'] = lineChart({
    title: 'Log throughput × a direct write to the file',
    xLabel: 'writing workers',
    yLabel: '× direct',
    series: tools.map((name) => ({ name, points: logs.map((row) => [row.workers, row[name].ratio.median]) })),
  });
  for (const s of soaks) {
    files[`soak-${s.tool.replace(/\W/g, '-')}.svg`] = lineChart({
      title: `${s.tool}: RSS during the soak`,
      xLabel: 'sample (every 10 s)',
      yLabel: 'MB',
      series: [{ name: 'RSS', points: s.samples.map((sample, i) => [i, mb(sample.rss)]) }],
    });
  }
  return files;
}

function report(data) {
  const lines = ['# How the cost grows with the work', ''];
  lines.push(`Measured by \`npm run bench\` (bench/scaling.mjs) on ${data.date.slice(0, 10)}, Node ${data.node}, ${data.cpus} CPUs; plots beside this file.`, '');
  lines.push('## Workers', '');
  lines.push('| supervisor | N | boot | deploy wall (min–max) | RSS after start / after 3 deploys | fds | CPU per deploy | kill -9 of all → served / all online |');
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of data.rows) {
    lines.push(
      `| ${r.tool} | ${r.workers} | ${r.bootMs} ms | ${Math.round(r.deploy.median)} ms (${Math.round(r.deploy.min)}–${Math.round(r.deploy.max)}) | ${mb(r.memory.rss)} / ${mb(r.memoryAfterDeploys.rss)} MB | ${r.fds} | ${Math.round(r.cpuPerDeployMs)} ms | ${Math.round(r.killAll.servedMs)} / ${Math.round(r.killAll.allOnlineMs)} ms |`,
    );
  }
  lines.push('', '## Log throughput: 64 MB of 100-byte lines from N writing workers', '', 'Each run paired with a direct write just before it; × direct is the median of the pairs\' ratios.', '');
  const tools = Object.keys(data.logs[0]).filter((key) => !['workers', 'megabytes', 'direct', 'cat'].includes(key));
  lines.push(`| writers | direct write | ${tools.map((t) => `${t} (× direct), lost, torn`).join(' | ')} |`);
  lines.push(`| --- | --- | ${tools.map(() => '---').join(' | ')} |`);
  for (const row of data.logs) {
    const cells = tools.map((t) => `${Math.round(row[t].seconds.median * 1000)} ms (${row[t].ratio.median.toFixed(2)}×), ${row[t].lost}, ${row[t].torn}`);
    lines.push(`| ${row.workers} | ${Math.round(row.direct.median * 1000)} ms | ${cells.join(' | ')} |`);
  }
  lines.push('', `## Soak: ${SOAK_MINUTES} min, 4 workers, a deploy every ${SOAK_DEPLOY_EVERY_MS / 1000} s, ${SOAK_LINES_PER_S} lines/s from each worker (the supervisors side by side)`, '');
  lines.push('| supervisor | deploys | failed | RSS first / median / last / max | fds first / last / max |');
  lines.push('| --- | --- | --- | --- | --- |');
  for (const s of data.soaks) {
    const rss = s.samples.map((x) => x.rss);
    const fds = s.samples.map((x) => x.fds);
    lines.push(`| ${s.tool} | ${s.samples.length} | ${s.failedDeploys} | ${mb(rss[0])} / ${mb(median(rss))} / ${mb(rss.at(-1))} / ${mb(Math.max(...rss))} MB | ${fds[0]} / ${fds.at(-1)} / ${Math.max(...fds)} |`);
  }
  lines.push('');
  return lines.join('\n');
}

/** Runs every scenario for `tools` (bench/tools.mjs: naught beside pm2); writes bench/SCALING.md and the plots; resolves with the data. */
export async function scaling(tools) {
  const rows = [];
  for (const workers of WORKER_COUNTS) {
    for (const bootMs of BOOTS_MS) {
      for (const tool of tools) {
        console.error(`scaling: ${tool.name}, ${workers} workers, boot ${bootMs} ms`);
        rows.push(await workersRow(tool, workers, bootMs));
      }
    }
  }
  console.error('scaling: the log path');
  const logs = await logPath(tools, LOG_WRITERS);
  // The soaks run side by side: they measure growth, not speed, and half an hour each is long enough.
  console.error(`scaling: a ${SOAK_MINUTES}-minute soak of ${tools.map((tool) => tool.name).join(' and ')}, side by side`);
  const soaks = await Promise.all(tools.map(soak));
  const { cpus } = await import('node:os');
  const data = { date: new Date().toISOString(), node: process.version, cpus: cpus().length, rows, logs, soaks };
  for (const [file, svg] of Object.entries(plots(rows, logs, soaks))) writeFileSync(path.join(ROOT, 'bench', file), svg);
  writeFileSync(path.join(ROOT, 'bench/SCALING.md'), report(data));
  writeFileSync(path.join(ROOT, 'bench/scaling.json'), `${JSON.stringify(data, null, 2)}\n`);
  return data;
}

if (process.argv[1] === import.meta.filename) {
  const { tools } = await import('./tools.mjs');
  const { installPeers } = await import('./peers.mjs');
  const peers = path.join(ROOT, 'bench/.peers');
  await installPeers(peers);
  const all = tools(ROOT, peers);
  await scaling(all.filter((tool) => tool.name !== 'naught 1.6'));
}
