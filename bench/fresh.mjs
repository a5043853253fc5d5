// Fresh connections (a new connection per request, as behind a proxy that does not keep
// them): a supervisor's requests/s as a ratio to N bare processes of the app sharing the
// port with SO_REUSEPORT (what the kernel alone does), and how evenly its workers share
// them. Two things make one comparison of two running groups of processes unreliable,
// both measured with two identical bare groups (N = 2, paired 2 s runs):
// - every run leaves tens of thousands of sockets in TIME_WAIT, and the next run is
//   slower: runs alternate, in the order A B B A, so neither side always runs second;
// - a group keeps its own speed for as long as it lives: three pairings of two new
//   groups gave 0.93×, 0.94× and 1.00× as the median of 8 paired runs each (V8 compiles
//   each process's hot code its own way). So the comparison is made ROUNDS times, each
//   with a new bare group and new workers under the supervisor (a deploy), and the
//   figure is the median of every pair's ratio.
import { busiestShare, freePort, getPid, launch, median, waitFor, wrkFresh } from './measure.mjs';

const ROUNDS = 3;
/** Runs per round for each side, in pairs (A B, then B A). */
const PAIRS = 2;
const SECONDS = 2;
/** Runs of the bare shared socket (its busiest share only). */
const SHARED_RUNS = 3;

/** A check that is true once `processes` different pids have answered at `port`. */
function allAnswer(port, processes) {
  const answered = new Set();
  return async () => {
    const pid = await getPid(port);
    if (pid !== null) answered.add(pid);
    return answered.size === processes;
  };
}

/** N bare processes of `app` sharing a port with SO_REUSEPORT. */
async function bareReusePort(app, workers) {
  const port = await freePort();
  const apps = Array.from({ length: workers }, () => launch(process.execPath, [app], { env: { ...process.env, PORT: String(port), REUSE_PORT: '1' } }));
  const stop = async () => {
    for (const each of apps) each.kill('SIGKILL');
    await Promise.all(apps.map((each) => each.exited));
  };
  try {
    // Every one of them answers (node before 22.12 ignores reusePort, and the others die of EADDRINUSE).
    await waitFor(allAnswer(port, workers), `${workers} processes sharing the port with reusePort (node 22.12 or later)`, 10_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, stop };
}

/**
 * The busiest of N bare processes sharing one listening socket (node:cluster's
 * SCHED_NONE, no naught), with fresh connections: how the kernel alone spreads them
 * where naught's workers share a socket, for when the workers outnumber the CPUs.
 */
export async function bareSharedSocket(app, workers) {
  const port = await freePort();
  // execArgv: [], or the workers would run this -e script again.
  const script = `const cluster = require('node:cluster'); cluster.schedulingPolicy = cluster.SCHED_NONE;
    cluster.setupPrimary({ exec: ${JSON.stringify(app)}, execArgv: [] });
    let listening = 0;
    cluster.on('listening', () => ++listening === ${workers} && console.log('listening'));
    for (let i = 0; i < ${workers}; i += 1) cluster.fork();`;
  const primary = launch(process.execPath, ['-e', script], { env: { ...process.env, PORT: String(port) } });
  try {
    // Not every one need answer a test request: on an idle shared socket the kernel may wake the same few.
    await waitFor(() => primary.output.includes('listening'), `${workers} processes sharing one socket`, 10_000);
    const runs = [];
    for (let i = 0; i < SHARED_RUNS; i += 1) runs.push(await wrkFresh(port, { seconds: SECONDS }));
    return { workers, busiestShare: Math.max(...runs.map((r) => busiestShare(r.counts, workers))) };
  } finally {
    // Its workers exit with it (node:cluster's workers leave when their primary's channel closes).
    primary.kill('SIGTERM');
    await primary.exited;
  }
}

/**
 * The supervisor `instance` serving `app` at `port` against N bare reusePort processes:
 * the median ratio of their requests/s over every pair, each side's median requests/s,
 * and the busiest worker's share (× fair) at its worst.
 */
export async function freshConnections(instance, app, port, workers) {
  const runs = { supervisor: [], bare: [] };
  const ratios = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    if (round > 0) {
      await instance.deploy();
      await instance.ready();
    }
    const bare = await bareReusePort(app, workers);
    try {
      // Warmed first: a run whose figures are dropped.
      await wrkFresh(port, { seconds: SECONDS });
      await wrkFresh(bare.port, { seconds: SECONDS });
      for (let pair = 0; pair < PAIRS; pair += 1) {
        const order = pair % 2 === 0 ? ['bare', 'supervisor'] : ['supervisor', 'bare'];
        const pairRuns = {};
        for (const side of order) pairRuns[side] = await wrkFresh(side === 'bare' ? bare.port : port, { seconds: SECONDS });
        runs.bare.push(pairRuns.bare);
        runs.supervisor.push(pairRuns.supervisor);
        ratios.push(pairRuns.supervisor.requestsPerS / pairRuns.bare.requestsPerS);
      }
    } finally {
      await bare.stop();
    }
  }
  const figures = (list) => ({ requestsPerS: median(list.map((r) => r.requestsPerS)), busiestShare: Math.max(...list.map((r) => busiestShare(r.counts, workers))) });
  return { ...figures(runs.supervisor), bare: figures(runs.bare), ratio: median(ratios), ratios: { min: Math.min(...ratios), max: Math.max(...ratios) } };
}
