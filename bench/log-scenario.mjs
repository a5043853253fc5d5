// The log path under each supervisor: 64 MB of 100-byte lines written by 1 and by 4
// workers, the time until every line is in the log file, against the same workers
// writing straight to a file; lines lost, lines torn, and the supervisor's peak RSS.
// Also the floor of any supervisor that reads its workers' output: the same workers
// writing into a pipe that `cat` copies to a file.
//
// Each run is paired with a direct write just before it, and the figure is the median
// of the pairs' ratios: on a 2-core machine the direct write alone took 86–154 ms for
// 20 MB from one run to the next, so a ratio of medians of three moved by a quarter.
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launch, peakRss, summary, waitFor } from './measure.mjs';

export const WRITER = path.join(import.meta.dirname, 'writer.cjs');
const TOTAL_BYTES = 64 * 1024 * 1024;
export const SIZE = 100;
const RUNS = 5;

export const sizeOf = (file) => (existsSync(file) ? statSync(file).size : 0);

/** Lines that are not exactly one of the writers' lines, and lines missing. */
export function audit(file, workers, perWorker) {
  const seen = new Map();
  let torn = 0;
  for (const line of readFileSync(file, 'latin1').split('\n')) {
    if (line === '') continue;
    const match = /^w(\d+) (\d+) x+$/.exec(line);
    if (match === null || line.length !== SIZE - 1) {
      torn += 1;
      continue;
    }
    seen.set(match[1], (seen.get(match[1]) ?? 0) + 1);
  }
  let lost = 0;
  for (const count of Array.from({ length: workers }, (_, w) => seen.get(String(w)) ?? 0)) lost += Math.max(0, perWorker - count);
  return { torn, lost };
}

export async function direct(dir, workers, perWorker) {
  const file = path.join(dir, 'direct.log');
  const go = path.join(dir, 'go');
  const fd = openSync(file, 'a');
  const children = Array.from({ length: workers }, (_, w) =>
    launch(process.execPath, [WRITER], { stdio: ['ignore', fd, 'ignore'], env: { ...process.env, LINES: String(perWorker), SIZE: String(SIZE), GO: go, TAG: String(w) } }),
  );
  closeSync(fd);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const start = performance.now();
  writeFileSync(go, '');
  await Promise.all(children.map((child) => child.exited));
  return { seconds: (performance.now() - start) / 1000, ...audit(file, workers, perWorker) };
}

async function throughCat(dir, workers, perWorker) {
  const file = path.join(dir, 'cat.log');
  const go = path.join(dir, 'go-cat');
  const children = Array.from({ length: workers }, (_, w) =>
    launch('sh', ['-c', `"${process.execPath}" "${WRITER}" | cat >> "${file}"`], { stdio: 'ignore', env: { ...process.env, LINES: String(perWorker), SIZE: String(SIZE), GO: go, TAG: String(w) } }),
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  const start = performance.now();
  writeFileSync(go, '');
  await Promise.all(children.map((child) => child.exited));
  return { seconds: (performance.now() - start) / 1000 };
}

async function supervised(tool, dir, workers, perWorker) {
  const file = path.join(dir, 'out.log');
  const go = path.join(dir, 'go');
  const env = { ...process.env, LINES: String(perWorker), SIZE: String(SIZE), GO: go };
  const instance = await tool.start({ dir, app: WRITER, workers, env, logFile: file });
  try {
    const expected = workers * perWorker * SIZE;
    const start = performance.now();
    writeFileSync(go, '');
    await waitFor(() => sizeOf(file) >= expected, `every line in ${tool.name}'s log`, 120_000);
    const seconds = (performance.now() - start) / 1000;
    const rss = instance.supervisorPids().reduce((sum, pid) => sum + peakRss(pid), 0);
    return { seconds, rss, ...audit(file, workers, perWorker) };
  } finally {
    await instance.stop();
  }
}

export async function logPath(tools, workerCounts = [1, 4]) {
  const rows = [];
  for (const workers of workerCounts) {
    const perWorker = Math.floor(TOTAL_BYTES / SIZE / workers);
    const runs = { direct: [], cat: [] };
    for (const tool of tools) runs[tool.name] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const dir = mkdtempSync(path.join(tmpdir(), 'naught-bench-'));
      try {
        // Each side against the direct write of the moment before it.
        const paired = async (name, once) => {
          const own = mkdtempSync(path.join(dir, 'direct-'));
          const base = await direct(own, workers, perWorker);
          rmSync(own, { recursive: true, force: true });
          runs.direct.push(base);
          const mine = await once();
          runs[name].push({ ...mine, ratio: base.seconds / mine.seconds });
        };
        await paired('cat', () => throughCat(dir, workers, perWorker));
        for (const tool of tools) {
          const toolDir = path.join(dir, tool.name.replace(/\W/g, '-'));
          mkdirSync(toolDir);
          await paired(tool.name, () => supervised(tool, toolDir, workers, perWorker));
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    const row = {
      workers,
      megabytes: (workers * perWorker * SIZE) / 2 ** 20,
      direct: summary(runs.direct.map((r) => r.seconds)),
      cat: { seconds: summary(runs.cat.map((r) => r.seconds)), ratio: summary(runs.cat.map((r) => r.ratio)) },
    };
    for (const tool of tools) {
      const mine = runs[tool.name];
      row[tool.name] = {
        seconds: summary(mine.map((r) => r.seconds)),
        ratio: summary(mine.map((r) => r.ratio)),
        peakRssMB: Math.max(...mine.map((r) => r.rss)) / 2 ** 20,
        lost: mine.reduce((sum, r) => sum + r.lost, 0),
        torn: mine.reduce((sum, r) => sum + r.torn, 0),
        lines: workers * perWorker * RUNS,
      };
    }
    rows.push(row);
  }
  return rows;
}
