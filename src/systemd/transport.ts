// How a notification reaches systemd's NOTIFY_SOCKET. Node's dgram module has no
// unix sockets, so either the `sd-notify` addon (libsystemd's sd_notify, when it
// could be built) or the `systemd-notify` program carries it. Both understand
// abstract (`@…`) socket addresses, because both are libsystemd.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import type { TransportName } from '../protocol/messages.js';

/** Fields of one notification, in order: `READY=1`, `STATUS=…`. */
export type Message = Record<string, string>;

export interface Transport {
  readonly name: TransportName;
  /** Which transport this is and why, for the operator: one line, said once at start. */
  readonly choice: string;
  send(message: Message): void;
  /** Resolves once everything sent so far has been delivered (or given up on). */
  flush(): Promise<void>;
}

interface Addon {
  sendState(state: string): void;
}

/** Set to `systemd-notify` to use the program even where the addon loads (for tests and troubleshooting). */
export const TRANSPORT_ENV = 'NAUGHT_NOTIFY_TRANSPORT';

export function openTransport(env: NodeJS.ProcessEnv, report: (message: string) => void): Transport {
  if (env[TRANSPORT_ENV] === 'systemd-notify') {
    return programTransport(report, `naught: notifying systemd through systemd-notify (${TRANSPORT_ENV}=systemd-notify)`);
  }
  const addon = loadAddon();
  if (typeof addon !== 'string') return addonTransport(addon);
  return programTransport(report, addon);
}

/** The addon, or why it is not used, as the line that says so. */
function loadAddon(): Addon | string {
  try {
    // A native module: loaded at run time from node_modules, never bundled.
    return createRequire(import.meta.url)('sd-notify') as Addon;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const fallback = 'notifying systemd through systemd-notify';
    if (code === 'MODULE_NOT_FOUND' && message.includes("'sd-notify'")) return `naught: ${fallback}; the optional sd-notify addon is not installed`;
    // Its install script (node-gyp) did not run: not allowed, or no libsystemd-dev or compiler.
    if (message.startsWith('Could not locate the bindings file')) {
      return `naught: ${fallback}; the sd-notify addon was not built (install naught with --allow-scripts=sd-notify, libsystemd-dev and a C++ compiler)`;
    }
    // Built for another node (NODE_MODULE_VERSION), or a broken build.
    return `naught: the sd-notify addon does not load (${message.replace(/\s+/g, ' ').trim()}); ${fallback}`;
  }
}

function assignments(message: Message): string[] {
  return Object.entries(message).map(([name, value]) => `${name}=${value}`);
}

function addonTransport(addon: Addon): Transport {
  return {
    name: 'sd-notify',
    choice: 'naught: notifying systemd through the sd-notify addon',
    // sd_notify() is one sendmsg(): synchronous, so messages keep their order.
    send: (message) => addon.sendState(assignments(message).join('\n')),
    flush: () => Promise.resolve(),
  };
}

/**
 * Runs `systemd-notify` once per message, one at a time so they arrive in order.
 * A message that only reports progress replaces one still waiting, so a burst of
 * events costs one run, not one each.
 */
function programTransport(report: (message: string) => void, choice: string): Transport {
  const queue: Message[] = [];
  let running: Promise<void> | null = null;
  let failed = false;

  const run = (message: Message): Promise<void> =>
    new Promise((resolve) => {
      const child = spawn('systemd-notify', assignments(message), { stdio: 'ignore' });
      child.on('error', (error) => {
        if (!failed) report(`naught: cannot notify systemd: ${error.message}`);
        failed = true;
        resolve();
      });
      child.on('exit', () => resolve());
    });

  const drain = async (): Promise<void> => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) await run(next);
    running = null;
  };

  return {
    name: 'systemd-notify',
    choice,
    send(message) {
      const last = queue.at(-1);
      if (last !== undefined && isProgressOnly(last) && isProgressOnly(message)) queue[queue.length - 1] = message;
      else queue.push(message);
      running ??= drain();
    },
    flush: () => running ?? Promise.resolve(),
  };
}

/** Fields that a later message makes obsolete; a state change (READY=1, STOPPING=1…) never is. */
const PROGRESS = new Set(['STATUS', 'EXTEND_TIMEOUT_USEC']);

function isProgressOnly(message: Message): boolean {
  return Object.keys(message).every((name) => PROGRESS.has(name));
}
