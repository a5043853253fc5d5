// What naught's agent costs a worker in its request path, and what counting each
// response (worker/requests.ts) costs of that.
//
// Requests/s with and without the agent cannot tell 3 % here: on this kind of machine
// it moves ±6 % from run to run with nothing changed (wrk and the app each pinned to
// one of two CPUs that other tenants share). So the cost of counting is measured as
// what it is, CPU time per response (bench/counting.mjs, a loop of node's own request
// and response objects, with and without the counter), and set against the CPU time
// one request costs the bench app under wrk (its utime + stime ÷ the requests wrk
// counted): the share of a request's CPU is the share of requests/s an app whose CPU
// is the limit loses. The app answers its pid and nothing else, so the share is the
// largest any app would see. Requests/s with and without the whole agent are given
// beside it, for scale (paired runs, A B B A).
//
//   node bench/agent-cost.mjs [agent.js]   (after npm run build; prints JSON)
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { freePort, getPid, launch, median, run, waitFor } from './measure.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const APP = path.join(ROOT, 'bench/app.cjs');
const SECONDS = 3;
const PAIRS = 4;

/** Clock ticks (10 ms) of CPU the process has used, user and system. */
function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** One run of the app under wrk, the app on one CPU and wrk (one thread, 50 keep-alive connections) on the other. */
async function underWrk(preload) {
  const port = await freePort();
  const app = launch('taskset', ['-c', '1', process.execPath, ...(preload === null ? [] : ['--require', preload]), APP], { env: { ...process.env, PORT: String(port) } });
  try {
    await waitFor(async () => (await getPid(port)) !== null, 'the app');
    const before = cpuTicks(app.pid);
    const { stdout } = await run('taskset', ['-c', '0', 'wrk', '-t1', '-c50', `-d${SECONDS}s`, `http://127.0.0.1:${port}/`]);
    const requests = Number(/(\d+) requests in/.exec(stdout)?.[1]);
    return { requestsPerS: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]), cpuUsPerRequest: ((cpuTicks(app.pid) - before) * 10_000) / requests };
  } finally {
    app.kill('SIGKILL');
    await app.exited;
  }
}

/** `agent`: the agent to measure (another checkout's dist/agent.js, for a before and after). */
export async function agentCost(agent = path.join(ROOT, 'dist/agent.js')) {
  const plain = [];
  const withAgent = [];
  for (let pair = 0; pair < PAIRS; pair += 1) {
    for (const preload of pair % 2 === 0 ? [null, agent] : [agent, null]) (preload === null ? plain : withAgent).push(await underWrk(preload));
  }
  const counting = JSON.parse((await run(process.execPath, [path.join(import.meta.dirname, 'counting.mjs')])).stdout);
  const requestCpuUs = median(plain.map((r) => r.cpuUsPerRequest));
  return {
    plain,
    withAgent,
    requestsRatio: median(withAgent.map((r) => r.requestsPerS)) / median(plain.map((r) => r.requestsPerS)),
    requestCpuUs,
    counting,
    /** The share of a request's CPU that counting it takes. */
    countingShare: counting.costNs / (requestCpuUs * 1000),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await agentCost(process.argv[2] && path.resolve(process.argv[2]))));
