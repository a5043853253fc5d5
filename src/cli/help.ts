// Help, rendered by sade from the command table, so it cannot disagree with parsing.
import sade from 'sade';
import pkg from '../../package.json' with { type: 'json' };
import type { Command } from './command.js';
import { out } from './print.js';

/** Every command, or one with its options, their defaults and an example of each. */
export function help(commands: readonly Command[], commandName: string | undefined): void {
  const program = sade('naught').version(pkg.version);
  for (const command of commands) {
    program.command(`${command.name} ${command.usage}`.trim(), command.summary);
    for (const [option, spec] of Object.entries(command.options)) {
      const shown = spec.example === undefined ? '' : `; e.g. --${option}${spec.flag ? '' : ` ${spec.example}`}`;
      program.option(`--${option}`, `${spec.description}${shown}`, spec.shown);
    }
    for (const example of command.examples) program.example(example);
  }
  // sade prints with console.log, which would build process.stdout's stream (print.ts): its text goes through out().
  const log = console.log;
  console.log = (text: string) => out(text);
  try {
    program.help(commandName);
  } finally {
    console.log = log;
  }
}
