// `naught unit`: checks the start options like `naught start` would, then prints the unit.
import { userInfo } from 'node:os';
import path from 'node:path';
import { START_OPTIONS, type UNIT_OPTIONS } from './option-table.js';
import { isFile } from './host.js';
import { UsageError, type OptionSpec, type OptionValues } from './options.js';
import { out } from './print.js';
import { renderSocketUnit, renderUnit, unitName } from './unit.js';

export async function unit(values: OptionValues<typeof UNIT_OPTIONS>, script: string, scriptArgs: string[], given: ReadonlyMap<string, string>): Promise<number> {
  if (!isFile(script)) throw new UsageError(`script not found: ${script}`);
  if (values['daemon-mode']) throw new UsageError('--daemon-mode true does not fit a Type=notify unit; packaging/README.md shows the Type=forking one');
  const name = values.name ?? unitName(script);
  // --listen becomes a .socket unit: systemd holds the sockets, also while naught restarts.
  const sockets = values.listen;
  if (values.socket) {
    if (sockets.length === 0) throw new UsageError('--socket prints the .socket unit of --listen: give --listen too');
    out(renderSocketUnit(name, sockets));
    return 0;
  }
  const workingDirectory = path.dirname(script);
  const typed = values as Record<string, unknown>;
  const specs: Record<string, OptionSpec<unknown>> = START_OPTIONS;
  // The options given, paths made absolute, then those the unit sets unless given, in the table's order.
  const startOptions = [...given]
    .filter(([option]) => option in specs && option !== 'listen')
    .map(([option, raw]) => [option, specs[option]!.asPath?.(typed[option]) ?? raw] as const);
  for (const [option, spec] of Object.entries(specs)) {
    if (!given.has(option) && spec.unitDefault !== undefined) startOptions.push([option, spec.unitDefault({ name, workingDirectory })]);
  }
  const stopTimeoutMs = START_OPTIONS['stop-timeout'].parse(startOptions.find(([option]) => option === 'stop-timeout')![1], 'stop-timeout');
  out(
    renderUnit({
      name,
      user: values.user ?? userInfo().username,
      script,
      scriptArgs,
      workingDirectory,
      startOptions,
      stopTimeoutMs: stopTimeoutMs ?? null,
      sockets,
      bootNice: values['boot-nice'],
    }),
  );
  return 0;
}
