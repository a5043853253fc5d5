// What a process uses now, as the kernel counts it (Linux's /proc).
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

/** Clock ticks a second in /proc's figures: USER_HZ, 100 on every Linux architecture naught runs on. */
const TICKS_PER_SECOND = 100;

/** CPU time (user + system) a process has used, in seconds, or null when it cannot be read. */
export function cpuSeconds(pid: number): number | null {
  return schedule(pid)?.cpuSeconds ?? null;
}

/** Whether a process is running or waiting for a CPU (state R), and the CPU time it has used; null when it cannot be read. */
export function schedule(pid: number): { runnable: boolean; cpuSeconds: number } | null {
  const fields = statFields(`/proc/${pid}/stat`);
  if (fields === null) return null;
  // The state is field 3; utime and stime are fields 14 and 15, the 12th and 13th after the name.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? { runnable: fields[0] === 'R', cpuSeconds: ticks / TICKS_PER_SECOND } : null;
}

/** The fields of a /proc stat file (a process's or a thread's) after the command name, from field 3 on; null when it cannot be read. */
export function statFields(file: string): string[] | null {
  try {
    const stat = readFileSync(file, 'utf8');
    // The command name, field 2, is in parentheses and may hold spaces: count from after it.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}
