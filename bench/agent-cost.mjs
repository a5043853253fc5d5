// What naught's agent costs a worker in its request path: the bench app as one
// process under wrk (50 keep-alive connections, where requests/s is highest and a
// per-request cost shows most), with and without `--require dist/agent.js`, which
// observes each server's events (the drain) and counts and times each response
// (worker/requests.ts). Paired runs in the order A B B A, each a new process, so a
// drift of the machine falls on both sides.
//
// Two figures: requests/s under wrk, and the app's CPU time per request (utime +
// stime from /proc, every thread). wrk shares this machine's two CPUs with the app, so
// requests/s moves ±10 % from run to run with nothing changed; the CPU a request
// costs the app moves far less, and where the app is the bottleneck it is what
// requests/s comes down to. The cost is each's ratio of medians, as requests/s
// with the agent ÷ without (1 / the CPU ratio).
//
//   node bench/agent-cost.mjs [agent.js]   (after npm run build; prints JSON)
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { freePort, getPid, launch, median, run, waitFor } from './measure.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const APP = path.join(ROOT, 'bench/app.cjs');
const SECONDS = 3;
const PAIRS = 4;

/** Clock ticks of CPU (user + system) the process has used. */
function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** One run: requests/s, and CPU microseconds per request. */
async function measure(preload) {
  const port = await freePort();
  // The app on one CPU, wrk (one thread) on the other: neither takes the other's.
  const app = launch('taskset', ['-c', '1', process.execPath, ...(preload === null ? [] : ['--require', preload]), APP], { env: { ...process.env, PORT: String(port) } });
  try {
    await waitFor(async () => (await getPid(port)) !== null, 'the app');
    const before = cpuTicks(app.pid);
    const { stdout } = await run('taskset', ['-c', '0', 'wrk', '-t1', '-c50', `-d${SECONDS}s`, `http://127.0.0.1:${port}/`]);
    const requestsPerS = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]);
    const requests = Number(/(\d+) requests in/.exec(stdout)?.[1]);
    // USER_HZ is 100: a tick is 10 ms.
    return { requestsPerS, cpuUsPerRequest: ((cpuTicks(app.pid) - before) * 10_000) / requests };
  } finally {
    app.kill('SIGKILL');
    await app.exited;
  }
}

/** The app alone and under `agent`: each run's figures, and the two ratios. */
export async function agentCost(agent = path.join(ROOT, 'dist/agent.js')) {
  const plain = [];
  const withAgent = [];
  for (let pair = 0; pair < PAIRS; pair += 1) {
    const order = pair % 2 === 0 ? [null, agent] : [agent, null];
    for (const preload of order) (preload === null ? plain : withAgent).push(await measure(preload));
  }
  const of = (runs, key) => median(runs.map((run) => run[key]));
  return {
    plain,
    withAgent,
    requestsRatio: of(withAgent, 'requestsPerS') / of(plain, 'requestsPerS'),
    cpuRatio: of(plain, 'cpuUsPerRequest') / of(withAgent, 'cpuUsPerRequest'),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await agentCost(process.argv[2] && path.resolve(process.argv[2]))));
