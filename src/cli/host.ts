// Small facts about this process and its file system that several commands check.
import { statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { statFields } from '../host/process-usage.js';

/** This process's environment with the unset entries dropped. */
export function currentEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
  return env;
}

/**
 * The directory this command runs in as the operator named it: the shell's $PWD
 * when it is this very directory, so `cd /srv/app/current` stays `current` rather
 * than the release it points to now (as `pwd -L` does); else the real one.
 */
export function logicalCwd(): string {
  const real = process.cwd();
  const pwd = process.env.PWD;
  if (pwd === undefined || !path.isAbsolute(pwd) || pwd === real) return real;
  const named = stat(pwd);
  const here = stat(real);
  return named !== undefined && here !== undefined && named.dev === here.dev && named.ino === here.ino ? path.normalize(pwd) : real;
}

/** A path the operator gave for the app's code, absolute against the logical directory (symlinks kept). */
export function appPath(given: string): string {
  return path.resolve(logicalCwd(), given);
}

export function isFile(candidate: string): boolean {
  return stat(candidate)?.isFile() ?? false;
}

export function isDirectory(candidate: string): boolean {
  return stat(candidate)?.isDirectory() ?? false;
}

/** Running, as opposed to gone or a zombie that its new parent (often PID 1) has not reaped yet. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // The state is the first field after the command name: a zombie is not running.
  const fields = statFields(`/proc/${pid}/stat`);
  return fields !== null && fields[0] !== 'Z';
}

/** Missing, unreadable or not under a directory: all mean "not usable here". */
function stat(candidate: string): Stats | undefined {
  try {
    return statSync(candidate);
  } catch {
    return undefined;
  }
}
