// How many CPUs naught may use: the CPUs it can run on, and the CPU quota of its
// cgroup, which a container runtime or Kubernetes sets (a pod limited to 2 CPUs on a
// 64-core node). `--worker-count auto` takes the smaller, as Go's runtime and
// uber-go/automaxprocs do: the quota rounded up, at least 1. The quota is the
// smallest along the cgroup's path up to the hierarchy's root (a parent's limit holds
// for its children): cgroup v2's cpu.max, or v1's cpu.cfs_quota_us / cpu.cfs_period_us.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';

/** A CPU limit, and the file it was read from. */
export interface CpuQuota {
  cpus: number;
  file: string;
}

/** How `auto` chose a worker count. */
export interface CpuChoice {
  count: number;
  /** CPUs naught may run on (node's availableParallelism()). */
  availableCpus: number;
  quota: CpuQuota | null;
}

/** Reads a file by its absolute path; null when it cannot be read. */
export type Reader = (file: string) => string | null;

const readReal: Reader = (file) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
};

export function autoWorkerCount(read: Reader = readReal, availableCpus = availableParallelism()): CpuChoice {
  const quota = cpuQuota(read);
  const count = quota === null ? availableCpus : Math.min(availableCpus, Math.max(1, Math.ceil(quota.cpus)));
  return { count, availableCpus, quota };
}

/** The CPU quota of this process's cgroup (v2 first, then v1), or null when there is none. */
export function cpuQuota(read: Reader = readReal): CpuQuota | null {
  const memberships = (read('/proc/self/cgroup') ?? '').split('\n').map((line) => line.split(':'));
  const mounts = (read('/proc/self/mountinfo') ?? '').split('\n').map(mountOf).filter((mount) => mount !== null);
  const v2Path = memberships.find(([id, controllers]) => id === '0' && controllers === '')?.[2];
  const v2Mount = mounts.find((mount) => mount.type === 'cgroup2');
  if (v2Path !== undefined && v2Mount !== undefined) {
    const found = smallest(v2Mount, v2Path, (dir) => {
      const file = path.join(dir, 'cpu.max');
      const [quota, period] = (read(file) ?? '').trim().split(/\s+/);
      return quota === undefined || quota === 'max' || quota === '' ? null : ratio(quota, period, file);
    });
    if (found !== null) return found;
  }
  const v1Path = memberships.find(([, controllers]) => controllers?.split(',').includes('cpu'))?.[2];
  const v1Mount = mounts.find((mount) => mount.type === 'cgroup' && mount.options.includes('cpu'));
  if (v1Path === undefined || v1Mount === undefined) return null;
  return smallest(v1Mount, v1Path, (dir) => {
    const file = path.join(dir, 'cpu.cfs_quota_us');
    const quota = read(file)?.trim();
    return quota === undefined || quota === '-1' ? null : ratio(quota, read(path.join(dir, 'cpu.cfs_period_us'))?.trim(), file);
  });
}

interface Mount {
  /** The directory of the hierarchy mounted there (`/` unless a container sees only its part). */
  root: string;
  point: string;
  type: string;
  options: string[];
}

/** One line of /proc/self/mountinfo: `36 25 0:30 <root> <mount point> <options> <optional fields> - <type> <source> <super options>`. */
function mountOf(line: string): Mount | null {
  const [before, after] = line.split(' - ');
  if (before === undefined || after === undefined) return null;
  const fields = before.split(' ');
  const [type, , superOptions] = after.split(' ');
  if (fields[3] === undefined || fields[4] === undefined || type === undefined) return null;
  return { root: unescape(fields[3]), point: unescape(fields[4]), type, options: (superOptions ?? '').split(',') };
}

/** mountinfo writes a space, a tab, a newline and a backslash as octal escapes. */
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** The smallest limit along `cgroup`'s directories, from its own up to the mount point. */
function smallest(mount: Mount, cgroup: string, limitAt: (dir: string) => CpuQuota | null): CpuQuota | null {
  // The cgroup's path is from the hierarchy's root; the mount shows that root's `mount.root` part.
  const relative = path.relative(mount.root, cgroup);
  if (relative.startsWith('..')) return null;
  let best: CpuQuota | null = null;
  for (let dir = path.join(mount.point, relative); ; dir = path.dirname(dir)) {
    const limit = limitAt(dir);
    if (limit !== null && (best === null || limit.cpus < best.cpus)) best = limit;
    if (dir === mount.point || dir === path.dirname(dir)) return best;
  }
}

function ratio(quota: string, period: string | undefined, file: string): CpuQuota | null {
  const cpus = Number(quota) / Number(period);
  return Number.isFinite(cpus) && cpus > 0 ? { cpus, file } : null;
}
