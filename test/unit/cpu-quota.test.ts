// The CPU quota of naught's cgroup, read from files laid out as the kernel shows them
// (cgroup v2's cpu.max, v1's cfs quota and period), and the worker count auto makes of it.
import { describe, expect, test } from 'vitest';
import { autoWorkerCount, cpuQuota, type Reader } from '../../src/cluster/cpu-quota.js';

/** A reader over `files`, by absolute path. */
const files = (contents: Record<string, string>): Reader => (file) => contents[file] ?? null;

const V2_MOUNTS = '30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate\n';
const V1_MOUNTS = [
  '31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
  '32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct',
  '41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
].join('\n');

describe('cpuQuota', () => {
  test('cgroup v2: cpu.max of the cgroup, the smallest along its path; max is no limit', () => {
    const read = files({
      '/proc/self/cgroup': '0::/kubepods/pod1/ctr\n',
      '/proc/self/mountinfo': V2_MOUNTS,
      '/sys/fs/cgroup/kubepods/pod1/ctr/cpu.max': 'max 100000\n',
      '/sys/fs/cgroup/kubepods/pod1/cpu.max': '250000 100000\n',
      '/sys/fs/cgroup/kubepods/cpu.max': '800000 100000\n',
    });
    expect(cpuQuota(read)).toEqual({ cpus: 2.5, file: '/sys/fs/cgroup/kubepods/pod1/cpu.max' });
    expect(autoWorkerCount(read, 64)).toEqual({ count: 3, availableCpus: 64, quota: { cpus: 2.5, file: '/sys/fs/cgroup/kubepods/pod1/cpu.max' } });
  });

  test('cgroup v2 in a container: its own cgroup is the mount point, with or without a cgroup namespace', () => {
    const limit = { '/sys/fs/cgroup/cpu.max': '200000 100000\n' };
    // With a cgroup namespace, the container's cgroup is `/` to it.
    const namespaced = files({ '/proc/self/cgroup': '0::/\n', '/proc/self/mountinfo': '500 400 0:26 / /sys/fs/cgroup ro,relatime - cgroup2 cgroup2 rw\n', ...limit });
    // Without one, the path is the host's, and the mount shows that part of the hierarchy only.
    const hosts = files({ '/proc/self/cgroup': '0::/kubepods/pod1/ctr\n', '/proc/self/mountinfo': '500 400 0:26 /kubepods/pod1/ctr /sys/fs/cgroup ro,relatime - cgroup2 cgroup2 rw\n', ...limit });
    for (const read of [namespaced, hosts]) expect(cpuQuota(read)).toEqual({ cpus: 2, file: '/sys/fs/cgroup/cpu.max' });
  });

  test('cgroup v1 (v2 mounted beside it without the cpu controller): cfs_quota_us / cfs_period_us; -1 is no limit', () => {
    const read = files({
      '/proc/self/cgroup': '9:name=systemd:/system.slice/app.service\n4:cpu,cpuacct:/system.slice/app.service\n0::/system.slice/app.service\n',
      '/proc/self/mountinfo': V1_MOUNTS,
      '/sys/fs/cgroup/cpu,cpuacct/system.slice/app.service/cpu.cfs_quota_us': '150000\n',
      '/sys/fs/cgroup/cpu,cpuacct/system.slice/app.service/cpu.cfs_period_us': '100000\n',
      '/sys/fs/cgroup/cpu,cpuacct/system.slice/cpu.cfs_quota_us': '-1\n',
      '/sys/fs/cgroup/cpu,cpuacct/system.slice/cpu.cfs_period_us': '100000\n',
    });
    expect(cpuQuota(read)).toEqual({ cpus: 1.5, file: '/sys/fs/cgroup/cpu,cpuacct/system.slice/app.service/cpu.cfs_quota_us' });
    // Rounded up, never more than the CPUs naught may run on, at least 1.
    expect(autoWorkerCount(read, 64).count).toBe(2);
    expect(autoWorkerCount(read, 1).count).toBe(1);
  });

  test('no limit anywhere, or nothing readable: null, and auto is the CPUs available', () => {
    const unlimited = files({ '/proc/self/cgroup': '0::/user.slice\n', '/proc/self/mountinfo': V2_MOUNTS, '/sys/fs/cgroup/user.slice/cpu.max': 'max 100000\n' });
    expect(cpuQuota(unlimited)).toBeNull();
    expect(cpuQuota(files({}))).toBeNull();
    expect(autoWorkerCount(files({}), 8)).toEqual({ count: 8, availableCpus: 8, quota: null });
    // A tiny quota still runs one worker.
    const tiny = files({ '/proc/self/cgroup': '0::/a\n', '/proc/self/mountinfo': V2_MOUNTS, '/sys/fs/cgroup/a/cpu.max': '10000 100000\n' });
    expect(autoWorkerCount(tiny, 8).count).toBe(1);
  });
});
