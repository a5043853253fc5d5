// Every option value the CLI accepts, parsed and checked in one place. Values come
// as `--name value` (1.x style); a bad one is a UsageError that names the option.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { LogTarget } from '../log/sinks.js';
import { addressText, UNNAMED, type ListenAddress, type SocketAddress } from '../protocol/listen-fds.js';
import { MAX_SECONDS, MAX_WORKERS } from '../protocol/requests.js';
import { appPath, isDirectory } from './host.js';

/** Bad command-line input: printed as one line, exit code 2. */
export class UsageError extends Error {}

/** What `naught unit` knows when it fills in an option that was not given. */
export interface UnitContext {
  name: string;
  workingDirectory: string;
}

/** One option of one command: everything help, parsing and `naught unit` need of it. */
export interface OptionSpec<T> {
  description: string;
  /** The default as help shows it; undefined when there is none to show. */
  shown: string | undefined;
  /** `value` is undefined when the option was not given. */
  parse(value: string | undefined, name: string): T;
  /** Given alone (`--json`), without a value. */
  flag?: true;
  /** A value help shows, `--name <example>`. */
  example?: string;
  /** The parsed value as an absolute path, which `naught unit` writes instead of what was typed. */
  asPath?(value: T): string;
  /** What `naught unit` sets when the option is not given. */
  unitDefault?(unit: UnitContext): string;
  /** Where docs/ says more of it: a page of docs/ and its section, by the heading's title. */
  see?: { page: string; title: string };
}

export type OptionSpecs = Record<string, OptionSpec<unknown>>;
export type OptionValues<S extends OptionSpecs> = { [K in keyof S]: ReturnType<S[K]['parse']> };

type Camel<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;

/** The values of a command's options by their names in code: `--worker-count` is `workerCount`. */
export type Options<S extends OptionSpecs> = { [K in keyof S & string as Camel<K>]: ReturnType<S[K]['parse']> };

export function camelCase<S extends OptionSpecs>(values: OptionValues<S>): Options<S> {
  const named: Record<string, unknown> = {};
  for (const [option, value] of Object.entries(values)) named[option.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase())] = value;
  return named as Options<S>;
}

function option<T>(description: string, shown: string | undefined, parse: OptionSpec<T>['parse']): OptionSpec<T> {
  return { description, shown, parse };
}

/** A number as the command line takes it: digits, maybe a fraction (`30`, `2.5`, `.5`); no sign, no exponent. */
const DECIMAL = /^\d+(\.\d+)?$|^\.\d+$/;

function invalid(name: string, expected: string, value: string): UsageError {
  return new UsageError(`--${name} must be ${expected}, not '${value}'`);
}

/**
 * A worker count: a whole number of at least `min`, or `auto`, which naught counts where
 * it runs (cluster/cpu-quota.ts): one per CPU it may use, its cgroup's quota too.
 */
export function workerCount(description: string, fallback: number, min: number): OptionSpec<number | 'auto'> {
  return option(description, String(fallback), (value, name) => {
    if (value === undefined) return fallback;
    if (value === 'auto') return value;
    if (!/^\d+$/.test(value) || Number(value) < min) {
      throw invalid(name, `a whole number of ${min} or more, or 'auto'`, value);
    }
    if (Number(value) > MAX_WORKERS) throw invalid(name, `at most ${MAX_WORKERS} (a node process each)`, value);
    return Number(value);
  });
}

/** A whole number, 0 or more. */
export function wholeNumber(description: string, fallback: number, max = Number.MAX_SAFE_INTEGER): OptionSpec<number> {
  return option(description, String(fallback), (value, name) => {
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)) || Number(value) > max) {
      throw invalid(name, max === Number.MAX_SAFE_INTEGER ? 'a whole number, 0 or more' : `a whole number from 0 to ${max}`, value);
    }
    return Number(value);
  });
}

export function bytes(description: string, fallback: number): OptionSpec<number> {
  return option(description, String(fallback), (value, name) => {
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
      throw invalid(name, 'a whole number of bytes, 1 or more', value);
    }
    return Number(value);
  });
}

/** How many of something to keep: a whole number, or `all` (the default) for no limit (null). */
export function keep(description: string): OptionSpec<number | null> {
  return option(description, 'all', (value, name) => {
    if (value === undefined || value === 'all') return null;
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw invalid(name, "a whole number or 'all'", value);
    return Number(value);
  });
}

/** A file's permissions in octal (0640), for files naught creates: no more than rw for the owner, r and w for group and others, never execute or set-id. */
export function fileMode(description: string, fallback: number): OptionSpec<number> {
  return option(description, `0${fallback.toString(8)}`, (value, name) => {
    if (value === undefined) return fallback;
    if (!/^0?[0-7]{3}$/.test(value) || (Number.parseInt(value, 8) & 0o111) !== 0) throw invalid(name, 'an octal file mode with no execute bit, such as 0640', value);
    return Number.parseInt(value, 8);
  });
}

/** Seconds, fractions allowed; `none` (the default unless `fallback` is given) means no limit. */
/** Given in seconds (the default too), parsed to milliseconds: past the command line, time is in milliseconds alone. */
export function seconds(description: string, fallback?: number): OptionSpec<number | undefined> {
  return option(description, fallback === undefined ? 'none' : String(fallback), (value, name) => {
    if (value === undefined) return fallback === undefined ? undefined : fallback * 1000;
    if (value === 'none') return undefined;
    if (!DECIMAL.test(value)) throw invalid(name, "a number of seconds or 'none'", value);
    if (Number(value) > MAX_SECONDS) throw invalid(name, `a number of seconds up to ${MAX_SECONDS} (24 days), or 'none'`, value);
    return Math.round(Number(value) * 1000);
  });
}

export function boolean(description: string, fallback: boolean): OptionSpec<boolean> {
  return option(description, String(fallback), (value, name) => {
    if (value === undefined) return fallback;
    if (value !== 'true' && value !== 'false') throw invalid(name, "'true' or 'false'", value);
    return value === 'true';
  });
}

/** A file path, resolved against the directory naught was started in. */
export function file(description: string, fallback: string): OptionSpec<string> {
  const spec = option(description, fallback, (value, name) => {
    if (value === '') throw invalid(name, 'a path', value);
    return path.resolve(value ?? fallback);
  });
  return { ...spec, asPath: (resolved) => resolved };
}

/** Linux's limit for a unix socket path (sun_path holds 108 bytes with the NUL); node truncates longer ones silently. */
const MAX_SOCKET_PATH_BYTES = 107;

/** The ipc socket path, resolved; refused when too long to bind where it says. */
export function ipcPath(given: string): string {
  return socketPath(given, 'ipc-file');
}

function socketPath(given: string, what: string): string {
  const resolved = path.resolve(given);
  const size = Buffer.byteLength(resolved);
  if (size > MAX_SOCKET_PATH_BYTES) {
    throw new UsageError(`${what} path is ${size} bytes, unix sockets allow ${MAX_SOCKET_PATH_BYTES}: ${resolved}`);
  }
  return resolved;
}

export function ipcFile(description: string, fallback: string): OptionSpec<string> {
  const plain = file(description, fallback);
  return { ...plain, parse: (value, name) => ipcPath(plain.parse(value, name)) };
}

/** An existing directory for the app's code, resolved against the logical directory naught was started in. */
export function directory(description: string, fallback: string): OptionSpec<string> {
  return { ...option(description, fallback, (value, name) => existingDirectory(value ?? fallback, name)), asPath: (resolved) => resolved };
}

/** An existing directory, or undefined when the option is not given. */
export function optionalDirectory(description: string, shown: string): OptionSpec<string | undefined> {
  return option(description, shown, (value, name) => (value === undefined ? undefined : existingDirectory(value, name)));
}

function existingDirectory(given: string, name: string): string {
  const resolved = appPath(given);
  if (!isDirectory(resolved)) throw new UsageError(`--${name}: no such directory: ${given}`);
  return resolved;
}

/** A file to write, resolved; undefined when not given. */
export function outputFile(description: string): OptionSpec<string | undefined> {
  return option(description, undefined, (value, name) => {
    if (value === undefined) return undefined;
    if (value === '') throw invalid(name, 'a path', value);
    return path.resolve(value);
  });
}

/** A group name (from /etc/group) or number; null when not given. */
export function group(description: string): OptionSpec<number | null> {
  return option(description, undefined, (value, name) => {
    if (value === undefined) return null;
    if (/^\d+$/.test(value)) return Number(value);
    const gid = groupId(value);
    if (gid === undefined) throw new UsageError(`--${name}: no such group: ${value}`);
    return gid;
  });
}

function groupId(name: string): number | undefined {
  let groups = '';
  try {
    groups = readFileSync('/etc/group', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of groups.split('\n')) {
    const [entry, , gid] = line.split(':');
    if (entry === name && gid !== undefined && /^\d+$/.test(gid)) return Number(gid);
  }
  return undefined;
}

/** A log path; `-` means naught's own stream and `/dev/null` turns the log off. */
export function logTarget(description: string, fallback: string): OptionSpec<LogTarget> {
  const spec = option<LogTarget>(description, fallback, (value, name) => {
    const given = value ?? fallback;
    if (given === '') throw invalid(name, "a path, '-' or '/dev/null'", given);
    if (given === '-') return { kind: 'console' };
    if (given === '/dev/null') return { kind: 'none' };
    return { kind: 'file', path: path.resolve(given) };
  });
  return { ...spec, asPath: (target) => (target.kind === 'file' ? target.path : target.kind === 'console' ? '-' : '/dev/null') };
}

/** One of a few words. */
export function choice<const W extends string>(description: string, choices: readonly W[], fallback: W): OptionSpec<W> {
  return option(description, fallback, (value, name) => {
    if (value === undefined) return fallback;
    if (!(choices as readonly string[]).includes(value)) throw invalid(name, choices.map((word) => `'${word}'`).join(' or '), value);
    return value as W;
  });
}

/** A switch given alone, `--json`. */
export function flag(description: string): OptionSpec<boolean> {
  return { ...boolean(description, false), flag: true };
}

/** A word, or undefined when not given (`shown` describes what is used then). */
export function word(description: string, shown: string, pattern: RegExp, expected: string): OptionSpec<string | undefined> {
  return option(description, shown, (value, name) => {
    if (value !== undefined && !pattern.test(value)) throw invalid(name, expected, value);
    return value;
  });
}

/** Arguments for node, split on white space. */
export function words(description: string): OptionSpec<string[]> {
  return option(description, "''", (value) => (value ?? '').split(/\s+/).filter((word) => word !== ''));
}

const SIZE_UNITS: Readonly<Record<string, number>> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/**
 * A size: bytes, or with K, M, G or T (powers of 1024, as pm2 reads them), `none`
 * for no limit (null). Not given: null, or undefined when `unchanged` (deploy keeps it).
 */
export function size(description: string, notGiven: 'none' | 'unchanged'): OptionSpec<number | null | undefined> {
  return option(description, notGiven, (value, name) => {
    if (value === undefined) return notGiven === 'none' ? null : undefined;
    if (value === 'none') return null;
    const match = /^(\d+(?:\.\d+)?)([KMGT]?)B?$/i.exec(value);
    const bytes = match === null ? NaN : Math.round(Number(match[1]) * SIZE_UNITS[match[2]!.toUpperCase()]!);
    if (!Number.isSafeInteger(bytes) || bytes < 1) throw invalid(name, "a size such as 512M or 1G, a number of bytes, or 'none'", value);
    return bytes;
  });
}

const DURATION_UNITS: Readonly<Record<string, number>> = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration in milliseconds: seconds, or with s, m, h or d (`90`, `15m`, `6h`); `none` (the default) for no limit (null). */
export function duration(description: string): OptionSpec<number | null> {
  return option(description, 'none', (value, name) => {
    if (value === undefined || value === 'none') return null;
    const match = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(value);
    const ms = match === null ? NaN : Math.round(Number(match[1]) * DURATION_UNITS[match[2]!]!);
    if (!Number.isSafeInteger(ms) || ms < 1000) throw invalid(name, "a duration of 1 s or more such as 90, 15m, 6h or 1d, or 'none'", value);
    return ms;
  });
}

/** Seconds as `seconds()` reads them, at least `minimum`. */
export function secondsAtLeast(description: string, fallback: number, minimum: number): OptionSpec<number | undefined> {
  const plain = seconds(description, fallback);
  return {
    ...plain,
    parse: (value, name) => {
      const parsed = plain.parse(value, name);
      if (parsed !== undefined && parsed < minimum * 1000) throw invalid(name, `at least ${minimum} seconds, or 'none'`, value ?? String(parsed / 1000));
      return parsed;
    },
  };
}

/** How many workers a canary is: a whole number of 1 or more, or `none` (0); not given: undefined. */
export function canarySize(description: string, shown: string): OptionSpec<number | undefined> {
  return option(description, shown, (value, name) => {
    if (value === undefined) return undefined;
    if (value === 'none') return 0;
    if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_WORKERS) throw invalid(name, `a whole number from 1 to ${MAX_WORKERS}, or 'none'`, value);
    return Number(value);
  });
}

/** A length of time in seconds, fractions allowed, from `minimum` on, parsed to milliseconds; never `none`. Not given: `fallback`, or undefined. */
export function span(description: string, fallback: number | undefined, minimum: number, shown = String(fallback)): OptionSpec<number | undefined> {
  return option(description, shown, (value, name) => {
    if (value === undefined) return fallback === undefined ? undefined : fallback * 1000;
    const expected = `a number of seconds from ${minimum} to ${MAX_SECONDS}`;
    if (!DECIMAL.test(value) || Number(value) < minimum || Number(value) > MAX_SECONDS) throw invalid(name, expected, value);
    return Math.round(Number(value) * 1000);
  });
}

/** Percentage points, 0 to 100, fractions allowed. Not given: `fallback`, or undefined. */
export function percent(description: string, fallback: number | undefined, shown = String(fallback)): OptionSpec<number | undefined> {
  return option(description, shown, (value, name) => {
    if (value === undefined) return fallback;
    if (!DECIMAL.test(value) || Number(value) > 100) throw invalid(name, 'a number from 0 to 100 (percentage points)', value);
    return Number(value);
  });
}

/** How many workers a deploy replaces at a time: a whole number of 1 or more; not given (or `all`): undefined, every one at once. */
export function batchSize(description: string, shown: string): OptionSpec<number | undefined> {
  return option(description, shown, (value, name) => {
    if (value === undefined || value === 'all') return undefined;
    if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) throw invalid(name, "a whole number of 1 or more, or 'all'", value);
    return Number(value);
  });
}

const LISTEN_EXPECTED = "a port, host:port, [v6 host]:port or a unix socket path, each maybe name=, several with commas";

/** Sockets for naught to bind (`8000`, `127.0.0.1:8000`, `[::1]:8000`, `/run/app.sock`, `web=8000,admin=127.0.0.1:9000`); none when not given. */
export function listenAddresses(description: string): OptionSpec<ListenAddress[]> {
  return option(description, 'none', (value, name) => {
    if (value === undefined) return [];
    const addresses = value.split(',').map((entry) => listenAddress(entry, name, value));
    const names = addresses.map((address) => address.name);
    if (addresses.length > 1 && new Set(names).size < names.length) {
      throw new UsageError(`--${name}: give each socket its own name, as in web=8000,admin=127.0.0.1:9000, not '${value}'`);
    }
    return addresses;
  });
}

function listenAddress(entry: string, option: string, value: string): ListenAddress {
  const named = /^([A-Za-z0-9_.-]+)=(.*)$/.exec(entry);
  const [name, address] = named === null ? [UNNAMED, entry] : [named[1]!, named[2]!];
  return { name, ...socketAddress(address, option, () => invalid(option, LISTEN_EXPECTED, value)) };
}

/** A port, host:port, [v6 host]:port or a unix socket path (it has a slash); `bad` is the error for anything else. */
function socketAddress(address: string, option: string, bad: () => UsageError): SocketAddress {
  if (address.includes('/')) return { path: socketPath(address, `--${option}`) };
  const port = (digits: string | undefined): number => {
    const number = Number(digits);
    if (digits === undefined || !/^\d+$/.test(digits) || number < 1 || number > 65535) throw bad();
    return number;
  };
  if (/^\d+$/.test(address)) return { port: port(address) };
  const hostPort = /^\[([0-9A-Fa-f:.]+)\]:(\d+)$/.exec(address) ?? /^([^\s:[\]]+):(\d+)$/.exec(address);
  if (hostPort === null) throw bad();
  return { host: hostPort[1]!, port: port(hostPort[2]) };
}

/** The metrics endpoint's address; a bare port is loopback's alone (127.0.0.1). null when not given. */
export function metricsAddress(description: string): OptionSpec<SocketAddress | null> {
  const spec = option<SocketAddress | null>(description, 'none', (value, name) => {
    if (value === undefined) return null;
    const address = socketAddress(value, name, () => invalid(name, 'a port, host:port, [v6 host]:port or a unix socket path', value));
    return 'port' in address && address.host === undefined ? { host: '127.0.0.1', port: address.port } : address;
  });
  // A path is written absolute; an address as naught reads it.
  return { ...spec, asPath: (address) => (address === null ? 'none' : addressText({ name: UNNAMED, ...address })) };
}
