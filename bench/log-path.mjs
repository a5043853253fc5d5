// The log path, measured: lines from workers through naught into stdout.log, as
// ratios against the same workers writing straight to one file, plus naught's CPU
// per MB and peak memory, and the event loop's delay while a 100 MB archive is
// gzipped. Run with `npm run bench:logs` (after `npm run build`).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { build } from 'esbuild';
import { SIZE, WRITER, audit, direct, sizeOf } from './log-scenario.mjs';
import { cpuSeconds, median, peakRss, sleep, waitFor } from './measure.mjs';

const NAUGHT = path.resolve('dist/naught.js');
const TOTAL_MB = Number(process.env.BENCH_LOG_MB ?? 64);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

async function throughNaught(dir, workers, perWorker) {
  // Not direct()'s 'go', which exists by now: the workers would start writing as they boot, before the clock.
  const go = path.join(dir, 'go-naught');
  const file = path.join(dir, 'stdout.log');
  const naught = spawn(process.execPath, [NAUGHT, 'start', '--worker-count', String(workers), '--max-log-size', String(1 << 30), '--stdout', file, WRITER], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LINES: String(perWorker), SIZE: String(SIZE), GO: go },
  });
  let stderr = '';
  naught.stderr.on('data', (chunk) => (stderr += chunk));
  await waitFor(() => stderr.includes('Ready.'), 'naught to be ready');
  const cpuBefore = cpuSeconds([naught.pid]);
  const expected = workers * perWorker * SIZE;
  const start = performance.now();
  writeFileSync(go, '');
  await waitFor(() => sizeOf(file) >= expected, 'every line in stdout.log', 120_000);
  const seconds = (performance.now() - start) / 1000;
  const cpu = cpuSeconds([naught.pid]) - cpuBefore;
  const rss = peakRss(naught.pid);
  naught.kill('SIGTERM');
  await new Promise((resolve) => naught.on('exit', resolve));
  return { seconds, cpu, rss, ...audit(file, workers, perWorker) };
}

/** The event loop's delay while RotatingFile gzips a 100 MB archive, against the same time idle. */
async function gzipLoopDelay(dir) {
  const bundle = path.join(dir, 'rotating-file.mjs');
  await build({ entryPoints: ['src/log/rotating-file.ts'], outfile: bundle, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
  const { RotatingFile } = await import(bundle);
  const log = path.join(dir, 'gz', 'big.log');
  const file = await RotatingFile.open(log, { maxBytes: 100 * 1024 * 1024, maxFiles: null, mode: 0o640, report: console.error });
  // Exactly one line short of the size, so that the next line rotates the file.
  const chunk = Buffer.from(`${'y'.repeat(SIZE - 1)}\n`.repeat(10_000));
  let left = 100 * 1024 * 1024 - SIZE;
  while (left > 0) {
    const part = chunk.subarray(0, Math.min(chunk.length, left));
    left -= part.length;
    if (!file.write(part)) await new Promise((resolve) => file.once('drain', resolve));
  }
  await new Promise((resolve) => file.write(Buffer.alloc(0), resolve));
  const idle = monitorEventLoopDelay({ resolution: 1 });
  idle.enable();
  await sleep(1000);
  idle.disable();
  const busy = monitorEventLoopDelay({ resolution: 1 });
  busy.enable();
  const start = performance.now();
  file.write(chunk.subarray(0, SIZE));
  // The file waits for its archive to be compressed before it finishes.
  file.end();
  await new Promise((resolve) => file.on('finish', resolve));
  busy.disable();
  if (!existsSync(path.join(dir, 'gz')) || !statSync(path.join(dir, 'gz')).isDirectory()) throw new Error('no archive');
  return { gzipSeconds: (performance.now() - start) / 1000, idleMaxMs: idle.max / 1e6, busyMaxMs: busy.max / 1e6, busyP99Ms: busy.percentile(99) / 1e6 };
}

const rows = [];
for (const workers of [1, 4]) {
  const perWorker = Math.floor((TOTAL_MB * 1024 * 1024) / SIZE / workers);
  const runs = [];
  for (let run = 0; run < RUNS; run += 1) {
    const dir = mkdtempSync(path.join(tmpdir(), 'naught-bench-'));
    try {
      const base = await direct(dir, workers, perWorker);
      const ours = await throughNaught(dir, workers, perWorker);
      runs.push({ base, ours });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const mb = (workers * perWorker * SIZE) / 1024 / 1024;
  const lines = workers * perWorker;
  const ours = median(runs.map((r) => r.ours.seconds));
  const base = median(runs.map((r) => r.base.seconds));
  rows.push({
    workers,
    mb: Math.round(mb),
    naughtLinesPerS: Math.round(lines / ours),
    naughtMBPerS: +(mb / ours).toFixed(1),
    directMBPerS: +(mb / base).toFixed(1),
    ratio: +(base / ours).toFixed(2),
    cpuMsPerMB: +((median(runs.map((r) => r.ours.cpu)) * 1000) / mb).toFixed(1),
    peakRssMB: +(Math.max(...runs.map((r) => r.ours.rss)) / 1024 / 1024).toFixed(1),
    lost: runs.reduce((sum, r) => sum + r.ours.lost, 0),
    torn: runs.reduce((sum, r) => sum + r.ours.torn, 0),
  });
}

const dir = mkdtempSync(path.join(tmpdir(), 'naught-bench-'));
let gzip;
try {
  gzip = await gzipLoopDelay(dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(`log path, ${TOTAL_MB} MB of ${SIZE}-byte lines, median of ${RUNS} runs (ratio = naught's throughput / direct write's)\n`);
console.log('| workers | MB | naught lines/s | naught MB/s | direct MB/s | ratio | naught CPU ms/MB | naught peak RSS MB | lost | torn |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  console.log(`| ${r.workers} | ${r.mb} | ${r.naughtLinesPerS} | ${r.naughtMBPerS} | ${r.directMBPerS} | ${r.ratio} | ${r.cpuMsPerMB} | ${r.peakRssMB} | ${r.lost} | ${r.torn} |`);
}
console.log(
  `\ngzip of a 100 MB archive: ${gzip.gzipSeconds.toFixed(2)} s; event loop delay meanwhile max ${gzip.busyMaxMs.toFixed(1)} ms, p99 ${gzip.busyP99Ms.toFixed(1)} ms (idle max ${gzip.idleMaxMs.toFixed(1)} ms)`,
);
