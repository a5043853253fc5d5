// How much memory a process holds now, as the kernel counts it.
import { readFileSync } from 'node:fs';

/** VmRSS of a process, or null when it cannot be read (gone, or not Linux). */
export function residentBytes(pid: number): number | null {
  try {
    const kilobytes = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kilobytes === undefined ? null : Number(kilobytes) * 1024;
  } catch {
    return null;
  }
}
