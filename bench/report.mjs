// The benchmark's table: each scenario for naught, naught 1.6 and pm2 side by side,
// the baseline it is measured against, naught's target, and whether it is met.

const ms = (value) => (value === undefined ? '–' : `${Math.round(value)} ms`);
const spread = (s) => (s === undefined ? '–' : `${Math.round(s.median)} ms (${Math.round(s.min)}–${Math.round(s.max)})`);
const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const ratio = (value) => `${value.toFixed(2)}×`;

function find(data, tool, workers, bootMs) {
  return data.results.find((r) => r.tool === tool && r.workers === workers && r.bootMs === bootMs);
}

/** The time a worker takes from fork to 'online': node's own start plus the app's boot. */
const bootTime = (data, bootMs) => bootMs + data.baselines.nodeStart.median;

/**
 * The busiest worker's share of fresh connections: at most 1.3 × fair; where the workers
 * outnumber the CPUs, the shared socket naught keeps (docs/sockets.md says why) spreads them as it
 * does for bare processes, so there at most 1.1 × the share of N bare processes sharing one.
 */
function fairness(data, r, config) {
  const scenario = "busiest worker's share of fresh connections";
  const shared = data.sharedSocket?.find((s) => s.workers === r.workers);
  if (shared === undefined) return [scenario, config, '≤ 1.3 × fair', ratio(r.fresh.busiestShare), r.fresh.busiestShare <= 1.3];
  const goal = Math.max(1.3, 1.1 * shared.busiestShare);
  return [scenario, config, `≤ 1.3 × fair; N > ${data.machine.cpus} CPUs: ≤ 1.1 × ${r.workers} bare processes sharing one socket (${ratio(shared.busiestShare)}) = ${ratio(goal)}`, ratio(r.fresh.busiestShare), r.fresh.busiestShare <= goal];
}

/** Each target of the issue, evaluated for naught: what it is, the figure, and whether it is met. */
export function targets(data) {
  const list = [];
  const add = (scenario, config, goal, value, met) => list.push({ scenario, config, goal, value, met });
  const configs = data.results.filter((r) => r.tool === 'naught');
  for (const r of configs) {
    const config = `N=${r.workers}, boot ${r.bootMs} ms`;
    add('failed requests, graceful app', config, '0', String(r.failuresGraceful.errors), r.failuresGraceful.errors === 0);
    // Plain server.close() with no naught option: the drain leaves it nothing to reset.
    add('failed requests, naive app', config, '0', String(r.failuresNaive.errors), r.failuresNaive.errors === 0);
    if (r.bootMs > 0) {
      const goal = 1.15 * bootTime(data, r.bootMs) + data.baselines.cliStart.median;
      add('deploy wall time', config, `≤ 1.15 × boot + one CLI start = ${ms(goal)}`, ms(r.deploy.median), r.deploy.median <= goal);
    }
    const recoveryGoal = bootTime(data, r.bootMs) + 100;
    add('kill -9 → served again', config, `≤ boot + 100 ms = ${ms(recoveryGoal)}`, ms(r.recovery.median), r.recovery.median <= recoveryGoal);
    if (r.bootMs === 0) {
      const floor = data.baselines.floorPrimary?.[r.workers];
      const floorText = floor === undefined ? '' : ` (a bare node:cluster primary: ${ratio(floor.rss / data.baselines.bareNode.rss)})`;
      const memoryRatio = r.memory.rss / data.baselines.bareNode.rss;
      add('supervisor RSS', config, `≤ 1.2 × bare node${floorText}`, ratio(memoryRatio), memoryRatio <= 1.2);
      const pssRatio = r.memory.pss / data.baselines.bareNode.pss;
      add('supervisor PSS', config, '≤ 1.2 × bare node', ratio(pssRatio), pssRatio <= 1.2);
      const statusRatio = r.status.median / r.nodeStart.median;
      add('status wall time', config, '≤ 1.15 × node -e 0', ratio(statusRatio), statusRatio <= 1.15);
      const old = find(data, 'naught 1.6', r.workers, 0);
      const throughputRatio = r.requestsPerS / old.requestsPerS;
      add('requests/s', config, '≥ 0.95 × naught 1.6', ratio(throughputRatio), throughputRatio >= 0.95);
      add('fresh connections/s', config, `≥ 0.9 × ${r.workers} bare reusePort processes (median of paired runs)`, ratio(r.fresh.ratio), r.fresh.ratio >= 0.9);
      add(...fairness(data, r, config));
    }
  }
  if (data.busyStatus !== undefined) {
    const { workers, linesPerS, status, nodeStart } = data.busyStatus;
    const busyRatio = status.median / nodeStart.median;
    add('status wall time, under work', `N=${workers} deployed back to back, ${linesPerS} lines/s from each`, '≤ 1.15 × node -e 0 (alternated, same load)', ratio(busyRatio), busyRatio <= 1.15);
  }
  for (const command of data.baselines.commandStarts ?? []) {
    const startRatio = command.median / data.baselines.nodeStart.median;
    add(`\`naught ${command.command}\` wall time`, 'no naught running', '≤ 1.15 × node -e 0', ratio(startRatio), startRatio <= 1.15);
  }
  for (const t of data.tails.filter((t) => t.tool === 'naught' && t.extraArgs.length === 0)) {
    const config = `N=${t.workers}, boot burns ${data.bootCpuMs} ms of CPU`;
    add(`p99 during back-to-back deploys, 50 keep-alive conns paced ${data.tailPaceMs} ms`, config, '≤ 2 × steady p99 (1.5× wanted), 0 failed', `${ratio(t.ratio)}, ${t.errors} failed${t.failedDeploys > 0 ? `, ${t.failedDeploys} deploys failed` : ''}${t.notOnline ? ', not all online again' : ''}`, t.ratio <= 2 && t.errors === 0 && t.failedDeploys === 0 && !t.notOnline);
  }
  if (data.agent !== undefined) {
    const { counting, requestCpuUs, countingShare } = data.agent;
    add(
      'counting and timing each HTTP response (the agent)',
      'one process, wrk, 50 keep-alive conns',
      '≤ 3 % of a request’s CPU (of requests/s)',
      `${(countingShare * 100).toFixed(1)} %: ${Math.round(counting.costNs)} ns of ${requestCpuUs.toFixed(1)} µs`,
      countingShare <= 0.03,
    );
  }
  for (const row of data.logs) {
    const mine = row.naught;
    const speed = mine.ratio.median;
    add('log path', `${row.workers} worker(s)`, '≥ 0.9 × direct, 0 lost, 0 torn', `${ratio(speed)} (${ratio(mine.ratio.min)}–${ratio(mine.ratio.max)}), ${mine.lost} lost, ${mine.torn} torn`, speed >= 0.9 && mine.lost === 0 && mine.torn === 0);
  }
  return list;
}

export function report(data) {
  const tools = ['naught', 'naught 1.6', 'pm2'];
  const lines = [];
  const row = (cells) => lines.push(`| ${cells.join(' | ')} |`);
  lines.push('# Benchmark results', '');
  lines.push(`Measured by \`npm run bench\` on ${data.date.slice(0, 10)}, in ${data.minutes} min: ${data.machine.cpus} × ${data.machine.cpu}, ${data.machine.memoryGB} GB, Linux ${data.machine.kernel}, Node ${data.machine.node}.`);
  lines.push('Medians, with min–max where a scenario was repeated. pm2 7 runs in cluster mode with `--wait-ready`; naught 1.6.0 in its foreground mode.', '');
  lines.push('## Baselines', '');
  lines.push(`- \`node -e 0\`: ${spread(data.baselines.nodeStart)}; one naught CLI start (\`naught version\`): ${spread(data.baselines.cliStart)}`);
  lines.push(`- a bare idle node process: RSS ${mb(data.baselines.bareNode.rss)}, PSS ${mb(data.baselines.bareNode.pss)}`);
  for (const [workers, floor] of Object.entries(data.baselines.floorPrimary ?? {})) {
    lines.push(`- a bare node:cluster primary with ${workers} workers, their output piped to a file (bench/floor-primary.cjs): RSS ${mb(floor.rss)}, PSS ${mb(floor.pss)}`);
  }
  lines.push(`- the app as a single process under wrk: ${Math.round(data.baselines.singleRequestsPerS)} requests/s`);
  if (data.agent !== undefined) {
    const { plain, withAgent, requestsRatio, requestCpuUs, counting } = data.agent;
    const rates = (runs) => runs.map((r) => Math.round(r.requestsPerS)).join(', ');
    lines.push(
      `- the app alone, pinned to a CPU, wrk on the other (bench/agent-cost.mjs): ${rates(plain)} requests/s; with naught's agent preloaded ${rates(withAgent)} (${ratio(requestsRatio)}); a request takes ${requestCpuUs.toFixed(1)} µs of its CPU, counting it ${Math.round(counting.costNs)} ns (bench/counting.mjs: ${Math.round(counting.plainNs)} ns to make and end a response, ${Math.round(counting.countedNs)} ns counted)`,
    );
  }
  lines.push('- N bare processes of the app sharing a port (`reusePort`), a new connection per request (wrk, 50 connections, `Connection: close`): measured beside each supervisor in paired runs (in the order A B B A), with new processes on both sides three times (bench/fresh.mjs; the side-by-side table gives each)');
  lines.push('');

  lines.push('## naught against its targets', '');
  row(['scenario', 'config', 'target', 'naught', 'met']);
  row(['---', '---', '---', '---', '---']);
  for (const t of data.targets) row([t.scenario, t.config, t.goal, t.value, t.met ? 'yes' : '**no**']);
  lines.push('');

  lines.push('## Side by side', '');
  row(['scenario', 'N', 'boot', ...tools]);
  row(['---', '---', '---', ...tools.map(() => '---')]);
  const configs = [...new Set(data.results.map((r) => `${r.workers}/${r.bootMs}`))].map((key) => key.split('/').map(Number));
  const each = (label, workers, bootMs, cell) => row([label, String(workers), `${bootMs} ms`, ...tools.map((tool) => {
    const r = find(data, tool, workers, bootMs);
    return r === undefined ? '–' : cell(r);
  })]);
  for (const [workers, bootMs] of configs) {
    each('failed requests / requests, 3 deploys, 50 keep-alive conns, graceful app', workers, bootMs, (r) => `${r.failuresGraceful.errors} / ${r.failuresGraceful.requests}`);
    each('failed requests / requests, 3 deploys, 50 keep-alive conns, naive app', workers, bootMs, (r) => `${r.failuresNaive.errors} / ${r.failuresNaive.requests}`);
    each('deploy wall time', workers, bootMs, (r) => spread(r.deploy));
    each('kill -9 of a worker → answer from its replacement', workers, bootMs, (r) => spread(r.recovery));
    if (bootMs === 0) {
      each('supervisor RSS / PSS (processes)', workers, bootMs, (r) => `${mb(r.memory.rss)} / ${mb(r.memory.pss)} (${r.supervisorProcesses})`);
      each('status wall time (pm2: jlist), and `node -e 0` alternated with it', workers, bootMs, (r) => `${spread(r.status)}; node ${Math.round(r.nodeStart.median)} ms`);
      each('requests/s (vs the app alone)', workers, bootMs, (r) => `${Math.round(r.requestsPerS)} (${ratio(r.requestsPerS / data.baselines.singleRequestsPerS)})`);
      each(
        'fresh connections/s, median (× N bare reusePort processes: the median of paired runs, min–max; bench/fresh.mjs); busiest worker × fair share',
        workers,
        bootMs,
        (r) => `${Math.round(r.fresh.requestsPerS)} (${ratio(r.fresh.ratio)}, ${ratio(r.fresh.ratios.min)}–${ratio(r.fresh.ratios.max)}, of ${Math.round(r.fresh.bare.requestsPerS)}); ${ratio(r.fresh.busiestShare)} (bare ${ratio(r.fresh.bare.busiestShare)})`,
      );
    }
  }
  lines.push('');
  lines.push(`## The tail during deploys: an app whose boot burns ${data.bootCpuMs} ms of CPU`, '');
  lines.push(`wrk's p99 (and max) under 50 keep-alive connections, each waiting ${data.tailPaceMs} ms after every answer (bench/paced.lua: a steady load the machine can serve, where a saturating one measures wrk's own fight for the cores), in 6 s runs: steady (the median of three: before, between and after), and while deploys run back to back (the mean of two); the deploys, and the median one's wall time. \`--drain-ramp 0\` is naught handing each retired worker's load over at once; \`--boot-nice 0\`, with its booting workers at the serving ones' priority.`, '');
  row(['supervisor', 'N', 'p99 steady', 'p99 during deploys (× steady)', 'max during', 'deploys (median wall time)', 'failed / requests']);
  row(['---', '---', '---', '---', '---', '---', '---']);
  for (const t of data.tails) {
    const name = [t.tool, ...t.extraArgs].join(' ');
    row([name, String(t.workers), `${t.steady.p99Ms.toFixed(1)} ms`, `${t.during.p99Ms.toFixed(1)} ms (${ratio(t.ratio)})`, `${Math.round(t.during.maxMs)} ms`, `${t.deploys} (${ms(t.deployMs)})${t.failedDeploys > 0 ? `, ${t.failedDeploys} failed` : ''}${t.notOnline ? ', then not all online again within 60 s' : ''}`, `${t.errors} / ${t.during.requests}`]);
  }
  lines.push('');
  lines.push('## The naive app under `naught start --graceful-preload true`', '');
  lines.push('The same app that calls plain `server.close()`, unchanged; naught preloads its worker helper\'s graceful close into the workers (boot 0 ms, 3 deploys under 50 keep-alive connections). The drain already makes the naive rows above 0 with no option; the preload stays for where the agent does not run.', '');
  row(['N', 'failed requests / requests']);
  row(['---', '---']);
  for (const p of data.preload) row([String(p.workers), `${p.errors} / ${p.requests}`]);
  lines.push('');
  lines.push('## Log path: 64 MB of 100-byte lines until all are in the file', '');
  lines.push('Each run paired with a direct write just before it; × direct speed is the median of the pairs\' ratios (min–max).', '');
  const seconds = (s) => spread({ median: s.median * 1000, min: s.min * 1000, max: s.max * 1000 });
  const speed = (r) => `${ratio(r.median)} (${ratio(r.min)}–${ratio(r.max)})`;
  row(['workers', 'direct write', 'through a pipe to `cat`: time, × direct speed', ...tools.map((t) => `${t}: time, × direct speed, lost, torn, peak RSS`)]);
  row(['---', '---', '---', ...tools.map(() => '---')]);
  for (const r of data.logs) {
    row([String(r.workers), seconds(r.direct), `${seconds(r.cat.seconds)}, ${speed(r.cat.ratio)}`, ...tools.map((tool) => {
      const t = r[tool];
      return `${Math.round(t.seconds.median * 1000)} ms, ${speed(t.ratio)}, ${t.lost} lost, ${t.torn} torn of ${t.lines}, ${t.peakRssMB.toFixed(1)} MB`;
    })]);
  }
  lines.push('');
  if (data.scaling !== undefined) lines.push('## How the cost grows with the work', '', 'N = 1 to 32 workers, 1 to 16 writing workers, and a soak: [SCALING.md](SCALING.md), with its plots.', '');
  return `${lines.join('\n')}\n`;
}
