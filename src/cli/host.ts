// Small facts about this process and its file system that several commands check.
import { statSync, type Stats } from 'node:fs';

/** This process's environment with the unset entries dropped. */
export function currentEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) env[name] = value;
  return env;
}

export function isFile(candidate: string): boolean {
  return stat(candidate)?.isFile() ?? false;
}

export function isDirectory(candidate: string): boolean {
  return stat(candidate)?.isDirectory() ?? false;
}

/** Missing, unreadable or not under a directory: all mean "not usable here". */
function stat(candidate: string): Stats | undefined {
  try {
    return statSync(candidate);
  } catch {
    return undefined;
  }
}
