// Finding and waiting for the processes a test started, through /proc.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { waitUntil } from './wait.mjs';

export interface ProcessInfo {
  pid: number;
  command: string;
}

/** Live processes whose working directory or command line is inside `dir`. */
export function processesUnder(dir: string): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      const cwd = safeReadlink(`/proc/${pid}/cwd`);
      if (command.includes(dir) || cwd === dir || cwd?.startsWith(`${dir}/`)) found.push({ pid, command });
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

/** The parent of `pid` (field 4 of /proc/pid/stat, after the command's parenthesis). */
export function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** The pids of the workers of the app `script` in `dir` (naught itself and other commands left out). */
export function workerPids(dir: string, script = 'server.js'): number[] {
  return processesUnder(dir)
    .filter((p) => p.command.includes(script) && !p.command.includes('naught.js'))
    .map((p) => p.pid);
}

/** A process that exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return false;
  }
}

/** Waits until `check` returns true, polling; fails with `what` after `deadlineMs`. */
export function until(check: () => boolean, what: string, deadlineMs = 10_000): Promise<void> {
  return waitUntil(check, what, deadlineMs, 10);
}

/** Like until(), for a check that has to ask something asynchronously. */
export function eventually(check: () => Promise<boolean>, what: string, deadlineMs = 10_000): Promise<void> {
  return waitUntil(check, what, deadlineMs, 50);
}

function safeReadlink(link: string): string | undefined {
  try {
    return readlinkSync(link);
  } catch {
    return undefined;
  }
}
