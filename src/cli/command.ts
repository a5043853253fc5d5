// What a command is: the shape every row of commands.ts has, which parsing (main.ts)
// and help (help.ts) read.
import type { OptionSpecs, OptionValues } from './options.js';

export interface Command<S extends OptionSpecs = OptionSpecs> {
  name: string;
  /** The arguments after the command name, as help shows them. */
  usage: string;
  summary: string;
  options: S;
  maxPositionals: number;
  /** The first positional is the app's script: everything after it is the app's. */
  script: boolean;
  examples: string[];
  /** `given` holds the options as typed, for commands that pass them on. */
  run(values: OptionValues<S>, positionals: string[], rest: string[], given: ReadonlyMap<string, string>): Promise<number>;
}

/** Checks one command against its own options; the table holds them all alike. */
export function define<S extends OptionSpecs>(command: Command<S>): Command {
  return command as unknown as Command;
}
