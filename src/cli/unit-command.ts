// `naught unit`: checks the start options like `naught start` would, then prints the unit.
import { userInfo } from 'node:os';
import path from 'node:path';
import type { LogTarget } from '../log/sinks.js';
import { isFile } from './host.js';
import { UsageError } from './options.js';
import { out } from './print.js';
import { renderUnit, unitName } from './unit.js';

/** Start options whose parsed value is an absolute path (or a log target) to write instead of what was typed. */
const PATHS = new Set(['ipc-file', 'pid-file', 'cwd', 'log', 'stdout', 'stderr']);

function pathOf(value: unknown): string {
  if (typeof value === 'string') return value;
  const target = value as LogTarget;
  return target.kind === 'file' ? target.path : target.kind === 'console' ? '-' : '/dev/null';
}

export async function unit(values: Record<string, unknown>, script: string, scriptArgs: string[], given: ReadonlyMap<string, string>): Promise<number> {
  if (!isFile(script)) throw new UsageError(`script not found: ${script}`);
  if (values['daemon-mode'] === true) throw new UsageError('--daemon-mode true does not fit a Type=notify unit; packaging/README.md shows the Type=forking one');
  const startOptions = [...given]
    .filter(([option]) => option !== 'name' && option !== 'user')
    .map(([option, raw]) => [option, PATHS.has(option) ? pathOf(values[option]) : raw] as const);
  out(
    renderUnit({
      name: (values.name as string | undefined) ?? unitName(script),
      user: (values.user as string | undefined) ?? userInfo().username,
      script,
      scriptArgs,
      workingDirectory: path.dirname(script),
      startOptions,
      stopTimeout: (values['stop-timeout'] as number | undefined) ?? null,
    }),
  );
  return 0;
}
