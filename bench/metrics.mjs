// What --metrics costs, measured against the same naught without it in the same run:
// the supervisor's resident memory once settled (after 100 scrapes with metrics on,
// then 2 s idle), a worker's, `naught status` wall time, and a scrape's
// wall time. 2 workers, foreground, RUNS runs of each, alternating. `npm run
// bench:metrics`; prints a markdown table and writes it to bench/METRICS.md.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { childrenOf, commandOf, freePort, launch, memory, run, summary, waitFor } from './measure.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const NAUGHT = path.join(ROOT, 'dist/naught.js');
const APP = path.join(ROOT, 'bench/app.cjs');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SCRAPES = 100;
const STATUSES = 20;

function scrape(port) {
  return new Promise((resolve, reject) => {
    const began = performance.now();
    http
      .get({ host: '127.0.0.1', port, path: '/metrics', agent: false }, (response) => {
        response.resume();
        response.on('end', () => (response.statusCode === 200 ? resolve(performance.now() - began) : reject(new Error(`status ${response.statusCode}`))));
      })
      .on('error', reject);
  });
}

async function measure(withMetrics) {
  const dir = mkdtempSync(path.join(tmpdir(), 'naught-metrics-'));
  const env = { ...process.env, PORT: String(await freePort()) };
  const metricsPort = await freePort();
  const args = ['start', '--worker-count', '2', '--stdout', '/dev/null', '--stderr', '/dev/null', ...(withMetrics ? ['--metrics', String(metricsPort)] : []), APP];
  const naught = launch(process.execPath, [NAUGHT, ...args], { cwd: dir, env, stdio: ['ignore', 'ignore', 'ignore'] });
  const status = () => run(process.execPath, [NAUGHT, 'status'], { cwd: dir, env, allowFailure: true });
  try {
    await waitFor(async () => (await status()).stdout === 'workers online: 2\n', 'naught to be online');
    const scrapes = [];
    if (withMetrics) for (let i = 0; i < SCRAPES; i += 1) scrapes.push(await scrape(metricsPort));
    // Then 2 s idle, with or without: what is left is what naught keeps.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const statuses = [];
    for (let i = 0; i < STATUSES; i += 1) statuses.push((await status()).ms);
    const [worker] = childrenOf(naught.pid).filter((pid) => commandOf(pid).includes(APP));
    return {
      supervisorRss: memory([naught.pid]).rss,
      workerRss: memory([worker]).rss,
      statusMs: summary(statuses).median,
      scrapeMs: scrapes.length === 0 ? null : summary(scrapes).median,
      scrapeMaxMs: scrapes.length === 0 ? null : Math.max(...scrapes),
    };
  } finally {
    naught.kill('SIGTERM');
    await naught.exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

const off = [];
const on = [];
for (let i = 0; i < RUNS; i += 1) {
  // Alternating, so neither always runs on a warmer machine.
  for (const withMetrics of i % 2 === 0 ? [false, true] : [true, false]) (withMetrics ? on : off).push(await measure(withMetrics));
  console.error(`run ${i + 1}/${RUNS}: supervisor ${(off.at(-1).supervisorRss / 2 ** 20).toFixed(1)} MB off, ${(on.at(-1).supervisorRss / 2 ** 20).toFixed(1)} MB on`);
}

const mb = (bytes) => (bytes / 2 ** 20).toFixed(1);
const spread = (values, format) => {
  const { median, min, max } = summary(values);
  return `${format(median)} (${format(min)}–${format(max)})`;
};
const ms = (value) => value.toFixed(1);
const ratio = (key) => summary(on.map((r) => r[key])).median / summary(off.map((r) => r[key])).median;
const table = [
  `--metrics on against off, ${RUNS} runs each, median (min–max); node ${process.version}, 2 workers, ${SCRAPES} scrapes before the memory is read.`,
  '',
  '| what | metrics off | metrics on | on / off |',
  '| --- | --- | --- | --- |',
  `| supervisor RSS, MB | ${spread(off.map((r) => r.supervisorRss), mb)} | ${spread(on.map((r) => r.supervisorRss), mb)} | ${ratio('supervisorRss').toFixed(3)}× |`,
  `| worker RSS, MB | ${spread(off.map((r) => r.workerRss), mb)} | ${spread(on.map((r) => r.workerRss), mb)} | ${ratio('workerRss').toFixed(3)}× |`,
  `| \`naught status\`, ms | ${spread(off.map((r) => r.statusMs), ms)} | ${spread(on.map((r) => r.statusMs), ms)} | ${ratio('statusMs').toFixed(3)}× |`,
  `| a scrape of /metrics, ms | – | ${spread(on.map((r) => r.scrapeMs), ms)} | |`,
  `| the slowest of ${SCRAPES} scrapes, ms | – | ${spread(on.map((r) => r.scrapeMaxMs), ms)} | |`,
].join('\n');
console.log(table);
writeFileSync(path.join(ROOT, 'bench/METRICS.md'), `# What --metrics costs, measured\n\n\`npm run bench:metrics\` (bench/metrics.mjs) wrote this table.\n\n${table}\n`);
