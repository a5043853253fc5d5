// Builds the CLI (so no test ever runs a stale bundle), gives the run one temp root, and at the end fails the run
// if any process started under that root is still alive.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { processesUnder } from './processes.js';

export default function setup(): () => void {
  execFileSync(process.execPath, ['scripts/build.js'], { stdio: 'inherit' });
  const root = mkdtempSync(path.join(tmpdir(), 'naught-test-'));
  process.env.NAUGHT_TEST_ROOT = root;
  return () => {
    const left = processesUnder(root);
    for (const { pid } of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    rmSync(root, { recursive: true, force: true });
    if (left.length > 0) {
      // vitest reports a teardown error but does not fail the run for it.
      process.exitCode = 1;
      throw new Error(`processes left running by the suite:\n${left.map((p) => `  ${p.pid} ${p.command}`).join('\n')}`);
    }
  };
}
