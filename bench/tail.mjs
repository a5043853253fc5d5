// The tail during deploys: p99 latency under 50 keep-alive connections, steady, then
// while deploys of an app whose boot burns BOOT_CPU_MS of CPU (as a real app's
// require() and setup do) run back to back. What the booting workers cost the
// serving ones shows as the ratio of the two.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, median, wrk } from './measure.mjs';

export const BOOT_CPU_MS = 300;
const SECONDS = 10;

/** `extraArgs`: the supervisor's own (naught's options under trial). */
export async function tailDuringDeploys(tool, app, workers, extraArgs = []) {
  const dir = mkdtempSync(path.join(tmpdir(), 'naught-bench-'));
  const modeFile = path.join(dir, 'mode');
  writeFileSync(modeFile, 'graceful');
  const port = await freePort();
  const env = { ...process.env, PORT: String(port), BOOT_CPU_MS: String(BOOT_CPU_MS), MODE_FILE: modeFile };
  const instance = await tool.start({ dir, app, workers, env, extraArgs });
  try {
    // Warms the workers' JIT, as the steady run should see a warm server.
    await wrk(port, { seconds: 2 });
    const before = await wrk(port, { seconds: SECONDS });
    const deployMs = [];
    let running = true;
    const deploying = (async () => {
      while (running) deployMs.push(await instance.deploy());
    })();
    const during = await wrk(port, { seconds: SECONDS });
    running = false;
    await deploying;
    await instance.ready();
    // Steady before and after the deploys (the new workers warm again): wrk's p99 of one run is noisy.
    await wrk(port, { seconds: 2 });
    const after = await wrk(port, { seconds: SECONDS });
    const steadyP99 = (before.p99Ms + after.p99Ms) / 2;
    return {
      tool: tool.name,
      workers,
      extraArgs,
      steady: { p99Ms: steadyP99, maxMs: Math.max(before.maxMs, after.maxMs) },
      during: { p99Ms: during.p99Ms, maxMs: during.maxMs, requests: during.requests },
      ratio: during.p99Ms / steadyP99,
      deploys: deployMs.length,
      deployMs: median(deployMs),
      errors: before.errors + during.errors + after.errors,
    };
  } finally {
    await instance.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
