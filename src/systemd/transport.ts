// How a notification reaches systemd's NOTIFY_SOCKET. Node's dgram module has no
// unix sockets, so either the `sd-notify` addon (libsystemd's sd_notify, when it
// could be built) or the `systemd-notify` program carries it. Both understand
// abstract (`@…`) socket addresses, because both are libsystemd.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

/** Fields of one notification, in order: `READY=1`, `STATUS=…`. */
export type Message = Record<string, string>;

export interface Transport {
  readonly name: 'sd-notify' | 'systemd-notify';
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
  if (env[TRANSPORT_ENV] !== 'systemd-notify') {
    const addon = loadAddon();
    if (addon !== null) return addonTransport(addon);
  }
  return programTransport(report);
}

function loadAddon(): Addon | null {
  try {
    // A native module: loaded at run time from node_modules, never bundled.
    return createRequire(import.meta.url)('sd-notify') as Addon;
  } catch {
    return null;
  }
}

function assignments(message: Message): string[] {
  return Object.entries(message).map(([name, value]) => `${name}=${value}`);
}

function addonTransport(addon: Addon): Transport {
  return {
    name: 'sd-notify',
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
function programTransport(report: (message: string) => void): Transport {
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
