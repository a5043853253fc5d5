// Splits one command's arguments into option values and positionals.
//
// Written here rather than left to sade's parser (mri): every naught option takes
// a value, and that value may itself begin with '-' (`--stdout -`,
// `--node-args --harmony`); and for `start`, the script ends naught's options,
// so everything after it reaches the script untouched.
import { UsageError } from './options.js';
import { nearest } from './suggest.js';

export interface CommandShape {
  name: string;
  options: readonly string[];
  /** Options given alone, without a value. */
  flags: readonly string[];
  /** How many positionals the command takes. */
  maxPositionals: number;
  /** The first positional is a script: the arguments after it belong to the script. */
  script: boolean;
}

export interface CommandLine {
  help: boolean;
  values: Map<string, string>;
  positionals: string[];
  /** The script's own arguments. */
  rest: string[];
}

export function splitCommandLine(args: readonly string[], shape: CommandShape): CommandLine {
  const line: CommandLine = { help: false, values: new Map(), positionals: [], rest: [] };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') {
      line.help = true;
    } else if (arg.startsWith('-') && arg !== '-') {
      const [flag, inline] = splitInline(arg);
      const name = flag.replace(/^--?/, '');
      if (!flag.startsWith('--') || !shape.options.includes(name)) {
        throw new UsageError(`unknown option ${flag} for 'naught ${shape.name}'${known(shape, name)}`);
      }
      const value = inline ?? (shape.flags.includes(name) ? 'true' : args[(i += 1)]);
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      if (line.values.has(name)) throw new UsageError(`--${name} is given twice`);
      line.values.set(name, value);
    } else if (line.positionals.length < shape.maxPositionals) {
      line.positionals.push(arg);
      if (shape.script) {
        line.rest = args.slice(i + 1);
        break;
      }
    } else {
      throw new UsageError(`unexpected argument '${arg}' for 'naught ${shape.name}'`);
    }
  }
  return line;
}

function splitInline(arg: string): [string, string | undefined] {
  const equals = arg.indexOf('=');
  return equals === -1 ? [arg, undefined] : [arg.slice(0, equals), arg.slice(equals + 1)];
}

function known(shape: CommandShape, typed: string): string {
  if (shape.options.length === 0) return ` (it takes none)`;
  const near = nearest(typed, shape.options);
  if (near !== undefined) return `; did you mean --${near}?`;
  return ` (known: ${shape.options.map((o) => `--${o}`).join(', ')})`;
}
