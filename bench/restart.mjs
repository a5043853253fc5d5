// Replacing naught itself on a bare host, measured: failed requests and the longest
// request under fresh-connection and keep-alive load (test/helpers/load.cjs), for
// `naught upgrade` with the socket held (--listen), for today's way without a held
// socket (`naught stop` then `naught start`), and for a deploy (the app's code only),
// the baseline a hand-over should match. Workers take 300 ms to boot. `npm run
// bench:restart`; prints a markdown table and writes it to bench/RESTART.md. The same
// under a real systemd (a .socket unit, `systemctl restart`, the hand-over) is
// measured by test/slow/restart.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, launch, run, sleep, summary } from './measure.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const NAUGHT = path.join(ROOT, 'dist/naught.js');
const APP = path.join(ROOT, 'bench/app.cjs');
const LOAD = path.join(ROOT, 'test/helpers/load.cjs');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const LOADS = { 'fresh connections': ['4'], 'keep-alive': ['10', 'keep-alive'] };

const startArgs = (port, listen) => ['start', '--daemon-mode', 'true', '--worker-count', '2', ...(listen ? ['--listen', `127.0.0.1:${port}`] : []), APP];

/** `act(naught, port)` replaces what serves; `naught(args)` runs the CLI in the app's directory. */
const SCENARIOS = {
  deploy: { listen: true, act: (naught) => naught(['deploy']) },
  'naught upgrade': { listen: true, act: (naught) => naught(['upgrade']) },
  'stop + start, no held socket': {
    listen: false,
    act: async (naught, port) => {
      await naught(['stop']);
      await naught(startArgs(port, false));
    },
  },
};

/** Runs load.cjs against `port` until `during` has run and 1 s more; what it counted. */
async function underLoad(port, loadArgs, during) {
  const load = launch(process.execPath, [LOAD, `http://127.0.0.1:${port}/`, ...loadArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = [];
  await new Promise((resolve, reject) => {
    createInterface({ input: load.stdout }).on('line', (line) => (lines.push(line), line === 'running' && resolve()));
    load.exited.then(() => reject(new Error('the load ended before its first answer')));
  });
  const { ms } = await during();
  await sleep(1000);
  load.kill('SIGTERM');
  await load.exited;
  return { ...JSON.parse(lines.at(-1)), actionMs: ms };
}

async function measure(scenario, loadArgs) {
  const dir = mkdtempSync(path.join(tmpdir(), 'naught-restart-'));
  const port = await freePort();
  const env = { ...process.env, PORT: String(port), BOOT_MS: '300' };
  const naught = (args) => run(process.execPath, [NAUGHT, ...args], { cwd: dir, env });
  try {
    await naught(startArgs(port, scenario.listen));
    return await underLoad(port, loadArgs, async () => {
      const began = performance.now();
      await scenario.act(naught, port);
      return { ms: performance.now() - began };
    });
  } finally {
    await naught(['stop']).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows = [];
for (const [name, scenario] of Object.entries(SCENARIOS)) {
  for (const [loadName, loadArgs] of Object.entries(LOADS)) {
    const results = [];
    for (let i = 0; i < RUNS; i += 1) results.push(await measure(scenario, loadArgs));
    const failed = summary(results.map((r) => r.failed));
    const total = summary(results.map((r) => r.ok + r.failed));
    const longest = summary(results.map((r) => r.longestMs));
    const errors = [...new Set(results.flatMap((r) => Object.keys(r.errors)))].join(', ') || '–';
    rows.push(`| ${name} | ${loadName} | ${failed.median} (${failed.min}–${failed.max}) of ~${Math.round(total.median)} | ${errors} | ${longest.median} (${longest.min}–${longest.max}) | ${Math.round(summary(results.map((r) => r.actionMs)).median)} |`);
    console.error(rows.at(-1));
  }
}

const table = [
  `Replacing naught under load, ${RUNS} runs each, median (min–max); node ${process.version}, 2 workers booting in 300 ms.`,
  '',
  '| what | load | failed requests | errors | longest request, ms | command, ms |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows,
].join('\n');
console.log(table);
writeFileSync(path.join(ROOT, 'bench/RESTART.md'), `# Replacing naught itself, measured\n\n\`npm run bench:restart\` (bench/restart.mjs) wrote this table.\n\n${table}\n`);
