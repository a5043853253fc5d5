// --worker-count auto in a real cgroup with a CPU quota (as a container runtime or
// Kubernetes sets it): one worker per CPU of the quota, rounded up, and status --json
// says how the count was chosen. Needs root and the cpu controller (v1 here, or v2).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { freePort } from './helpers/http.js';
import { NAUGHT, naught } from './helpers/naught.js';
import { eventually } from './helpers/processes.js';
import { useSandbox } from './helpers/sandbox.js';

/** Where a cgroup with a CPU quota can be made: the cpu controller's v1 hierarchy, or v2's when it has the controller. */
function cpuHierarchy(): { dir: string; version: 1 | 2 } | null {
  if (process.getuid?.() !== 0) return null;
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const [before, after] = line.split(' - ');
    const [type, , options] = (after ?? '').split(' ');
    const point = before?.split(' ')[4];
    if (point === undefined) continue;
    if (type === 'cgroup' && options?.split(',').includes('cpu')) return { dir: point, version: 1 };
    if (type === 'cgroup2' && readFileSync(path.join(point, 'cgroup.subtree_control'), 'utf8').split(/\s+/).includes('cpu')) return { dir: point, version: 2 };
  }
  return null;
}

const hierarchy = cpuHierarchy();
const run = promisify(execFile);

describe('--worker-count auto under a CPU quota', () => {
  const box = useSandbox();

  test.skipIf(hierarchy === null)('one worker per CPU of the quota, rounded up, never more than the CPUs; status --json says why', async () => {
    const { dir: root, version } = hierarchy!;
    box.installApp('v1');
    for (const quota of [100_000, 150_000]) {
      const cgroup = path.join(root, `naught-test-${process.pid}-${quota}`);
      mkdirSync(cgroup);
      try {
        const file = version === 1 ? path.join(cgroup, 'cpu.cfs_quota_us') : path.join(cgroup, 'cpu.max');
        if (version === 1) {
          writeFileSync(path.join(cgroup, 'cpu.cfs_period_us'), '100000');
          writeFileSync(file, String(quota));
        } else {
          writeFileSync(file, `${quota} 100000`);
        }
        // naught starts in the cgroup, as a service manager would put it there.
        const enter = `echo $$ > ${path.join(cgroup, 'cgroup.procs')} && exec "$0" "$@"`;
        await run('/bin/sh', ['-c', enter, process.execPath, NAUGHT, 'start', '--daemon-mode', 'true', '--worker-count', 'auto', 'server.js'], {
          cwd: box.dir,
          env: { ...process.env, PORT: String(await freePort()) },
        });
        const expected = Math.min(availableParallelism(), Math.ceil(quota / 100_000));
        const status = JSON.parse((await naught(['status', '--json'], { cwd: box.dir })).stdout);
        expect(status.count.online).toBe(expected);
        expect(status.supervisor.workerCount).toEqual({ given: 'auto', count: expected, availableCpus: availableParallelism(), cpuQuota: { cpus: quota / 100_000, file } });
        // A deploy's auto is counted by naught, in its cgroup, not by the command run from outside it.
        expect(await naught(['deploy', '--worker-count', 'auto'], { cwd: box.dir })).toMatchObject({ code: 0 });
        expect(JSON.parse((await naught(['status', '--json'], { cwd: box.dir })).stdout).count.online).toBe(expected);
        expect(await naught(['stop'], { cwd: box.dir })).toMatchObject({ code: 0 });
      } finally {
        // Empty once naught and its workers are gone.
        await eventually(async () => readFileSync(path.join(cgroup, 'cgroup.procs'), 'utf8').trim() === '', 'the cgroup to be empty');
        rmdirSync(cgroup);
      }
      expect(existsSync(cgroup)).toBe(false);
    }
  });
});
