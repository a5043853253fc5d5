// test/helpers/load.cjs run as a process of its own (in a container's or a test
// network's namespace, by the command that wraps it): requests from its first answer
// until stopped, then what it counted.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** What test/helpers/load.cjs counted. */
export interface LoadTally {
  ok: number;
  failed: number;
  errors: Record<string, number>;
  bodies: Record<string, number>;
  longestMs: number;
}

export interface Load {
  /** Requests answered so far, in thousands (load.cjs says each thousand). */
  answered(): number;
  stop(): Promise<LoadTally>;
}

/** Starts load.cjs on `url` through `wrap` (e.g. nsenter into a namespace); resolves once it has an answer. */
export async function startLoad(wrap: (command: string[]) => string[], url: string, ...extra: string[]): Promise<Load> {
  const [command, ...args] = wrap([process.execPath, 'test/helpers/load.cjs', url, ...extra]);
  const load = spawn(command!, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const output: string[] = [];
  const lines = createInterface({ input: load.stdout! });
  const exited = new Promise((resolve) => load.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    lines.on('line', (line) => (output.push(line), line === 'running' && resolve()));
    void exited.then(() => reject(new Error(`the load on ${url} ended before its first answer`)));
  });
  return {
    answered() {
      const said = output.findLast((line) => line.startsWith('ok '));
      return said === undefined ? 0 : Number(said.slice(3));
    },
    async stop() {
      load.kill('SIGTERM');
      await exited;
      return JSON.parse(output.at(-1)!) as LoadTally;
    },
  };
}
