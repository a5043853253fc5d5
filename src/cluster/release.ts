// Which code a release runs. Operators deploy by switching a symlink
// (`ln -sfn releases/2 current && naught deploy`): the paths they give stay as
// given, and are resolved once per release, when it starts. Every worker of the
// release, a restarted one too, then runs the code its siblings run, whatever the
// symlink says meanwhile; the next deploy resolves them again.
import { realpathSync } from 'node:fs';

/** The real working directory and script of one release. */
export interface Code {
  cwd: string;
  script: string;
}

/** The code the paths name now; throws an Error that says which path is missing. */
export function resolveCode(cwd: string, script: string): Code {
  return { cwd: realPath(cwd, 'working directory'), script: realPath(script, 'script') };
}

function realPath(given: string, what: string): string {
  try {
    return realpathSync(given);
  } catch (error) {
    throw new Error(`${what} ${given}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
