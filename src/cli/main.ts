// The command line: finds the command, parses and checks its arguments against
// the table in commands.ts, and runs it. sade renders the help from that table.
import sade from 'sade';
import pkg from '../../package.json' with { type: 'json' };
import { splitCommandLine } from './argv.js';
import { COMMANDS, OPTION_EXAMPLES, type Command } from './commands.js';
import { UsageError } from './options.js';
import { nearest } from './suggest.js';
import { err, out } from './print.js';

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

async function dispatch([name, ...args]: readonly string[]): Promise<number> {
  if (name === undefined) {
    help(undefined);
    return 2;
  }
  if (name === 'help' || name === '--help' || name === '-h') {
    if (args.length > 1) throw new UsageError(`unexpected argument '${args[1]}' for 'naught help'`);
    if (args[0] !== undefined) find(args[0]);
    help(args[0]);
    return 0;
  }
  if (name === 'version' || name === '--version' || name === '-v') {
    if (args.length > 0) throw new UsageError(`unexpected argument '${args[0]}' for 'naught version'`);
    out(pkg.version);
    return 0;
  }
  const command = find(name);
  const options = Object.entries(command.options);
  const line = splitCommandLine(args, { ...command, options: options.map(([name]) => name), flags: options.filter(([, spec]) => spec.flag).map(([name]) => name) });
  if (line.help) {
    help(command.name);
    return 0;
  }
  if (command.script && line.positionals.length === 0) {
    throw new UsageError(`missing script: naught ${command.name} [options] ${command.usage}`);
  }
  const values: Record<string, unknown> = {};
  for (const [option, spec] of Object.entries(command.options)) values[option] = spec.parse(line.values.get(option), option);
  return command.run(values, line.positionals, line.rest, line.values);
}

function find(name: string): Command {
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    const names = [...COMMANDS.map((c) => c.name), 'version', 'help'];
    const near = nearest(name, names);
    throw new UsageError(`unknown command '${name}'${near === undefined ? '' : `; did you mean '${near}'?`} (commands: ${names.join(', ')})`);
  }
  return command;
}

function help(commandName: string | undefined): void {
  const program = sade('naught').version(pkg.version);
  for (const command of COMMANDS) {
    program.command(`${command.name} ${command.usage}`, command.summary);
    for (const [option, spec] of Object.entries(command.options)) {
      const example = OPTION_EXAMPLES[option];
      const shown = example === undefined ? '' : `; e.g. --${option}${spec.flag ? '' : ` ${example}`}`;
      program.option(`--${option}`, `${spec.description}${shown}`, spec.shown);
    }
    for (const example of command.examples) program.example(example);
  }
  program.command('version', 'Prints the version of naught');
  program.command('help [command]', 'Describes a command and its options');
  program.help(commandName);
}
