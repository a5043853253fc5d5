// The tail during deploys: p99 latency under 50 keep-alive connections, steady, then
// while deploys of an app whose boot burns BOOT_CPU_MS of CPU (as a real app's
// require() and setup do) run back to back. What the booting workers cost the
// serving ones shows as the ratio of the two.
import { rmSync } from 'node:fs';
import { appRun, median, wrk } from './measure.mjs';

export const BOOT_CPU_MS = 300;
const SECONDS = 6;

/** `extraArgs`: the supervisor's own (naught's options under trial). */
export async function tailDuringDeploys(tool, app, workers, extraArgs = [], paceMs = undefined) {
  const { dir, port, env } = await appRun('naught-bench-', 'graceful', { BOOT_CPU_MS: String(BOOT_CPU_MS) });
  const instance = await tool.start({ dir, app, workers, env, extraArgs });
  try {
    // Warms the workers' JIT, as the steady runs should see a warm server.
    await wrk(port, { seconds: 2 });
    // Steady, deploys, steady, deploys, steady: one wrk run's p99 on 2 busy cores varies up to 2×
    // from run to run, so steady is the median of three, and the deploys' the mean of two.
    const steady = [await wrk(port, { seconds: SECONDS, paceMs })];
    const during = [];
    const deployMs = [];
    // A deploy that fails (naught 1.6's "Bootup never succeeded" under this load) is counted, and ends that round's deploys.
    let failedDeploys = 0;
    let notOnline = false;
    for (let round = 0; round < 2; round += 1) {
      let running = true;
      const deploying = (async () => {
        while (running) {
          try {
            deployMs.push(await instance.deploy());
          } catch {
            failedDeploys += 1;
            running = false;
          }
        }
      })();
      during.push(await wrk(port, { seconds: SECONDS, paceMs }));
      running = false;
      await deploying;
      // A supervisor whose workers do not all come back (naught 1.6 under this load, once) ends its rounds here.
      try {
        await instance.ready();
      } catch {
        notOnline = true;
        break;
      }
      // The new workers warm again before the steady run.
      await wrk(port, { seconds: 2 });
      steady.push(await wrk(port, { seconds: SECONDS, paceMs }));
    }
    const steadyP99 = median(steady.map((run) => run.p99Ms));
    const duringP99 = during.reduce((sum, run) => sum + run.p99Ms, 0) / during.length;
    return {
      tool: tool.name,
      workers,
      extraArgs,
      steady: { p99Ms: steadyP99, maxMs: Math.max(...steady.map((run) => run.maxMs)) },
      during: { p99Ms: duringP99, maxMs: Math.max(...during.map((run) => run.maxMs)), requests: during.reduce((sum, run) => sum + run.requests, 0) },
      ratio: duringP99 / steadyP99,
      deploys: deployMs.length,
      failedDeploys,
      notOnline,
      deployMs: median(deployMs),
      errors: [...steady, ...during].reduce((sum, run) => sum + run.errors, 0),
    };
  } finally {
    await instance.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
