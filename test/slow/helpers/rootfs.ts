// Debian root file systems for the containers of the slow tier, built once with
// debootstrap and kept in a cache directory (reused across runs on one machine).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const CACHE = process.env.NAUGHT_SLOW_CACHE ?? '/var/cache/naught-slow';

/** bookworm has systemd 252 (Type=notify), trixie systemd 257 (Type=notify-reload). */
export type Suite = 'bookworm' | 'trixie';

/**
 * Named for what is in it, so a cache made with other packages is not taken for it.
 * openssh-server and python3: the fleet's hosts, which ansible reaches over ssh and runs its modules with.
 */
const PACKAGES = 'systemd,systemd-sysv,dbus,procps,curl,passwd,libatomic1,openssh-server,python3';

export function rootfsPath(suite: Suite): string {
  return path.join(CACHE, `${suite}-${createHash('sha256').update(PACKAGES).digest('hex').slice(0, 8)}-root`);
}

export async function ensureRootfs(suite: Suite): Promise<string> {
  const target = rootfsPath(suite);
  if (existsSync(path.join(target, 'usr/lib/systemd/systemd'))) return target;
  mkdirSync(CACHE, { recursive: true });
  const building = `${target}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  await run(
    'debootstrap',
    // libatomic1: Node 26's binary links libatomic.so.1.
    ['--variant=minbase', `--include=${PACKAGES}`, suite, building, 'http://deb.debian.org/debian'],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  // Only a complete tree ever has the final name.
  renameSync(building, target);
  return target;
}
