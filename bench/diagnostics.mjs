// What knowing why costs (docs/diagnostics.md), measured on this machine with the node
// that runs this script: what the inspector's flags cost a worker that is never examined,
// how long naught takes a hung worker's stack, a wedge to its replacement serving (beside
// a build without the stack, given as BEFORE=<a checkout's dist/naught.js>), and what
// `naught report`, `profile` and `heap-snapshot` cost the worker they examine: its event
// loop's longest stall, its memory, the time. `npm run bench:diagnostics`. Prints a
// markdown table and writes it to bench/DIAGNOSTICS.md.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, getPid, launch, median, memory, peakRss, run, sleep, summary, untilNewWorker, waitFor } from './measure.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'dist/naught.js');
const APP = path.join(ROOT, 'bench/app.cjs');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const range = (s, digits = 0) => `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;

/** A foreground naught of `cli` in a fresh directory, `workers` of the bench app; always stopped. */
async function withNaught(cli, { workers = 2, args = [], env = {} }, body) {
  const dir = mkdtempSync(path.join(tmpdir(), 'naught-diagnostics-'));
  const port = await freePort();
  const child = launch(process.execPath, [cli, 'start', '--worker-count', String(workers), '--log-format', 'json', ...args, APP], { cwd: dir, env: { ...process.env, PORT: String(port), ...env } });
  const naught = (...words) => run(process.execPath, [cli, ...words], { cwd: dir, allowFailure: true });
  const online = async () => waitFor(async () => (await naught('status')).stdout === `workers online: ${workers}\n`, 'naught to be online');
  try {
    await online();
    return await body({ dir, port, naught, online, pids: async () => JSON.parse((await naught('status', '--json')).stdout).workers.map((w) => w.pid) });
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A bare node running the bench app, with `flags`: its resident memory and threads once it serves. */
async function bareWorker(flags) {
  const port = await freePort();
  const child = launch(process.execPath, [...flags, APP], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  try {
    await waitFor(async () => (await getPid(port)) !== null, 'the app to serve');
    await sleep(500);
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    return { rss: memory([child.pid]).rss, threads: Number(/^Threads:\s+(\d+)/m.exec(status)[1]) };
  } finally {
    child.kill('SIGKILL');
  }
}

/** The inspector's flags on a worker that is never examined: its memory and threads, alternated RUNS times. */
async function idleCost() {
  const plain = [];
  const flagged = [];
  for (let i = 0; i < RUNS; i += 1) {
    plain.push(await bareWorker([]));
    flagged.push(await bareWorker(['--inspect-publish-uid=stderr', '--inspect-port=0']));
  }
  return {
    rss: { plain: median(plain.map((p) => p.rss)), flagged: median(flagged.map((p) => p.rss)) },
    threads: { plain: median(plain.map((p) => p.threads)), flagged: median(flagged.map((p) => p.threads)) },
  };
}

/**
 * A wedge (GET /wedge), RUNS times: from the hang found (its replacement's SpawnNew, in the
 * JSON log) to WorkerHang with the stack; from the wedge, and from the hang found, to a new
 * worker answering. The first moves by up to a health check's period (500 ms here) with where
 * the wedge falls between two checks; the second is what naught does once it knows.
 */
async function hangs(cli) {
  return withNaught(cli, { args: ['--worker-timeout', '2'] }, async ({ dir, port, online, pids }) => {
    const stackMs = [];
    const wedgeMs = [];
    const foundMs = [];
    for (let i = 0; i < RUNS; i += 1) {
      await online();
      const before = await pids();
      const wedgedAt = performance.now();
      const wedgedDate = Date.now();
      await getPid(port, '/wedge');
      const ms = await untilNewWorker(port, before, wedgedAt);
      wedgeMs.push(ms);
      await sleep(100);
      const events = readFileSync(path.join(dir, 'naught.log'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
      const hang = events.findLast((e) => e.event === 'WorkerHang');
      const found = events.find((e) => e.event === (hang?.stack === undefined ? 'WorkerHang' : 'SpawnNew') && Date.parse(e.time) >= wedgedDate);
      foundMs.push(wedgedDate + ms - Date.parse(found.time));
      if (hang?.stack !== undefined) stackMs.push(Date.parse(hang.time) - Date.parse(found.time));
    }
    return { stackMs: stackMs.length === 0 ? null : summary(stackMs), wedgeMs: summary(wedgeMs), foundMs: summary(foundMs) };
  });
}

/** Polls the app every 2 ms on one keep-alive connection while `work` runs: the longest wait for an answer. */
async function longestStall(port, work) {
  let longest = 0;
  let going = true;
  const poller = (async () => {
    while (going) {
      const started = performance.now();
      // No timeout: a heap snapshot stops the worker for seconds.
      await fetch(`http://127.0.0.1:${port}/`).then((response) => response.text()).catch(() => {});
      longest = Math.max(longest, performance.now() - started);
      await sleep(2);
    }
  })();
  const startedAt = performance.now();
  const result = await work();
  const ms = performance.now() - startedAt;
  going = false;
  await poller;
  return { result, ms, stallMs: longest };
}

/** `naught <command>` of worker 0 holding `retainMb` of small objects: time, the worker's longest stall, its peak memory over its steady one, the file. */
async function examine(command, retainMb) {
  return withNaught(CLI, { workers: 1, env: { RETAIN_MB: String(retainMb) } }, async ({ dir, port, naught, pids }) => {
    const [pid] = await pids();
    await sleep(500);
    const steady = memory([pid]).rss;
    const { result, ms, stallMs } = await longestStall(port, () => naught(...command, '0', '--output', path.join(dir, 'out')));
    if (result.code !== 0) throw new Error(`naught ${command.join(' ')}: ${result.stderr}`);
    return { ms, stallMs, steadyMb: steady / 2 ** 20, peakOverMb: (peakRss(pid) - steady) / 2 ** 20, fileMb: statSync(path.join(dir, 'out')).size / 2 ** 20 };
  });
}

const before = process.env.BEFORE;
console.error('idle cost');
const idle = await idleCost();
console.error('hangs');
const now = await hangs(CLI);
const then = before === undefined ? null : await hangs(before);
console.error('report, profile, heap snapshots');
const report = await examine(['report'], 0);
const profile = await examine(['profile', '--seconds', '2'], 0);
const snapshots = [];
for (const mb of [0, 100, 300]) snapshots.push({ mb, ...(await examine(['heap-snapshot'], mb)) });

const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const rows = [
  `| a worker never examined: resident memory, plain node vs with naught's inspector flags | ${mb(idle.rss.plain)} vs ${mb(idle.rss.flagged)} = ${(idle.rss.flagged / idle.rss.plain).toFixed(3)}× |`,
  `| the same: threads | ${idle.threads.plain} vs ${idle.threads.flagged} |`,
  `| a hung worker's stack, from the hang found to WorkerHang with the stack (--worker-timeout 2) | ${now.stackMs === null ? 'no stack' : `${range(now.stackMs)} ms`} |`,
  `| wedge → a replacement answers (--worker-timeout 2) | ${range(now.wedgeMs)} ms${then === null ? '' : `; without the stack (BEFORE): ${range(then.wedgeMs)} ms`} |`,
  `| the hang found → a replacement answers | ${range(now.foundMs)} ms${then === null ? '' : `; without the stack (BEFORE): ${range(then.foundMs)} ms`} |`,
  `| \`naught report\`: time / the worker's longest stall / its memory over steady / file | ${report.ms.toFixed(0)} ms / ${report.stallMs.toFixed(0)} ms / +${report.peakOverMb.toFixed(1)} MB / ${report.fileMb.toFixed(2)} MB |`,
  `| \`naught profile --seconds 2\`: the same | ${profile.ms.toFixed(0)} ms / ${profile.stallMs.toFixed(0)} ms / +${profile.peakOverMb.toFixed(1)} MB / ${profile.fileMb.toFixed(2)} MB |`,
  ...snapshots.map(
    (s) =>
      `| \`naught heap-snapshot\`, ${s.mb} MB retained (${s.steadyMb.toFixed(0)} MB resident): the same | ${s.ms.toFixed(0)} ms / ${s.stallMs.toFixed(0)} ms / +${s.peakOverMb.toFixed(1)} MB / ${s.fileMb.toFixed(1)} MB |`,
  ),
];
const table = [
  '# Diagnostics, measured',
  '',
  `${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${RUNS} runs where a range is given: median (min–max). \`npm run bench:diagnostics\`.`,
  '',
  '| what | figure |',
  '| --- | --- |',
  ...rows,
  '',
].join('\n');
writeFileSync(path.join(ROOT, 'bench/DIAGNOSTICS.md'), table);
console.log(table);
