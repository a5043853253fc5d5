// A command run to its end, whatever its exit code: what it printed, and how it exited.
import { execFile } from 'node:child_process';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `command` (its first word the program); `input` goes to its stdin. */
export function run(command: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  const [file, ...args] = command;
  return new Promise((resolve) => {
    const child = execFile(file!, args, { maxBuffer: 64 * 1024 * 1024, env: options.env ?? process.env }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
    if (options.input !== undefined) child.stdin!.end(options.input);
  });
}
