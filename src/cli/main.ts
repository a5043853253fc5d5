// The command line: finds the command, parses and checks its arguments against
// the table in commands.ts, and runs it (help and version are in the table too).
import { splitCommandLine } from './argv.js';
import type { Command } from './command.js';
import { ALIASES, COMMANDS } from './commands.js';
import { UsageError } from './options.js';
import { nearest } from './suggest.js';
import { err } from './print.js';

/** Runs one command line; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    return await dispatch(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`naught: ${error.message}`);
    return 2;
  }
}

async function dispatch([typed, ...args]: readonly string[]): Promise<number> {
  if (typed === undefined) {
    (await import('./help.js')).help(COMMANDS, undefined);
    return 2;
  }
  const command = find(ALIASES[typed] ?? typed);
  const options = Object.entries(command.options);
  const line = splitCommandLine(args, { ...command, options: options.map(([name]) => name), flags: options.filter(([, spec]) => spec.flag).map(([name]) => name) });
  if (line.help) return find('help').run({}, [command.name], [], new Map());
  if (command.script && line.positionals.length === 0) {
    throw new UsageError(`missing script: naught ${command.name} [options] ${command.usage}`);
  }
  // `naught help <command>` names a command that must exist.
  if (command.name === 'help' && line.positionals[0] !== undefined) find(line.positionals[0]);
  const values: Record<string, unknown> = {};
  for (const [option, spec] of options) values[option] = spec.parse(line.values.get(option), option);
  return command.run(values, line.positionals, line.rest, line.values);
}

function find(name: string): Command {
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    const names = COMMANDS.map((c) => c.name);
    const near = nearest(name, names);
    throw new UsageError(`unknown command '${name}'${near === undefined ? '' : `; did you mean '${near}'?`} (commands: ${names.join(', ')})`);
  }
  return command;
}
