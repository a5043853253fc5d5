// The slow tier's one-time preparation and final check: both Debian rootfs, built
// in parallel (about a minute each on a fresh machine, nothing once cached); and at
// the end, no container of this run may still be running.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { MACHINE_PREFIX_ENV, removeTree } from './machine.js';
import { ensureRootfs } from './rootfs.js';

export default async function setup(): Promise<() => void> {
  const prefix = `nt${process.pid}`;
  process.env[MACHINE_PREFIX_ENV] = prefix;
  await Promise.all([ensureRootfs('bookworm'), ensureRootfs('trixie')]);
  return () => {
    const left = running(`systemd-nspawn .*-M ${prefix}w`);
    for (const root of ['/sys/fs/cgroup/systemd', '/sys/fs/cgroup/unified', '/sys/fs/cgroup']) {
      if (!existsSync(root)) continue;
      for (const dir of readdirSync(root)) if (dir.startsWith(`naught-${prefix}w`)) removeTree(path.join(root, dir));
    }
    if (left !== '') {
      for (const pid of left.split('\n')) process.kill(Number(pid), 'SIGKILL');
      process.exitCode = 1;
      throw new Error(`containers left running by the slow tier: ${left.replace(/\n/g, ' ')}`);
    }
  };
}

/** Pids of processes whose command line matches `pattern`, one per line ('' when none). */
function running(pattern: string): string {
  try {
    return execFileSync('pgrep', ['-f', pattern], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // pgrep exits 1 when nothing matches.
    return '';
  }
}
