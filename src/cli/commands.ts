// Every command: its usage, summary and examples, its options (option-table.ts), and
// what it runs. Parsing, checking and help all read this list, so they cannot disagree.
// Each command's code is loaded when it runs: a command starts with its own modules
// only (`naught status` without the supervisor, `naught start` without the client).
import pkg from '../../package.json' with { type: 'json' };
import { appPath } from './host.js';
import { DIAGNOSTICS } from '../protocol/diagnostics.js';
import { DEPLOY_OPTIONS, EXAMINE_OPTIONS, LOGS_OPTIONS, PROFILE_OPTIONS, START_OPTIONS, STATUS_OPTIONS, STOP_OPTIONS, UNIT_OPTIONS, UPGRADE_OPTIONS } from './option-table.js';
import { define, type Command } from './command.js';
import { camelCase, ipcPath } from './options.js';
import { out, stdout } from './print.js';

const ipcFileAt = (positional: string | undefined): string => ipcPath(positional ?? 'naught.ipc');

const EXAMINE_SUMMARIES = {
  report: "Writes node's diagnostic report of a live worker (its JavaScript stack, heap, libuv handles, resource use; not its environment) to a file, taken through node's inspector with no restart",
  profile: 'Writes a CPU profile of a live worker over --seconds to a .cpuprofile file, which Chrome DevTools and speedscope open; the worker serves on meanwhile',
  'heap-snapshot':
    "Writes a heap snapshot of a live worker to a .heapsnapshot file, which Chrome DevTools' Memory tab opens; the worker stops serving while it is taken (about 1 s per 100 MB of heap). naught's user or root only",
} as const;

export const COMMANDS: readonly Command[] = [
  define({
    name: 'start',
    usage: '<script> [script-options]',
    summary:
      'Runs script as a cluster of workers, in the foreground unless --daemon-mode true. Options go before the script; everything after it is passed to the script.',
    options: START_OPTIONS,
    maxPositionals: 1,
    script: true,
    examples: ['start --worker-count 4 server.js --port 8080', 'start --daemon-mode true --node-args "--max-old-space-size=512" server.js'],
    run: async (o, [script], rest) => (await import('./start.js')).start({ ...camelCase(o), script: appPath(script!), scriptArgs: rest }),
  }),
  define({
    name: 'unit',
    usage: '<script> [script-options]',
    summary:
      'Prints a systemd unit that runs script under naught (Type=notify, reload deploys, graceful stop, watchdog), with absolute paths and the start options given',
    options: UNIT_OPTIONS,
    maxPositionals: 1,
    script: true,
    examples: ['unit --worker-count auto server.js > /etc/systemd/system/myapp.service', 'unit --name shop --user shop --stop-timeout 20 server.js --port 8080'],
    run: async (o, [script], rest, given) => (await import('./unit-command.js')).unit(o, appPath(script!), rest, given),
  }),
  define({
    name: 'stop',
    usage: '[ipc-file]',
    summary: "Sends 'shutdown' to every worker and waits for them and for naught to exit",
    options: STOP_OPTIONS,
    maxPositionals: 1,
    script: false,
    examples: ['stop', 'stop --timeout 10 /run/myapp/naught.ipc'],
    run: async (o, [ipc]) => (await import('./stop.js')).stop(ipcFileAt(ipc), o.timeout, o['pid-file']),
  }),
  define({
    name: 'status',
    usage: '[ipc-file]',
    summary:
      "Says whether naught runs there, and how many workers are online. On a terminal: a table of the workers (pid, state, uptime, restarts, memory, last exit) and naught's own state",
    options: STATUS_OPTIONS,
    maxPositionals: 1,
    script: false,
    examples: ['status', 'status --json /run/myapp/naught.ipc', 'status --probe readiness'],
    run: async (o, [ipc]) => (await import('./status.js')).status(ipcFileAt(ipc), o.json ? 'json' : stdout.isTerminal() ? 'table' : 'lines', o.probe),
  }),
  define({
    name: 'deploy',
    usage: '[ipc-file]',
    summary: 'Replaces every worker with zero downtime: all new ones are online before an old one stops',
    options: DEPLOY_OPTIONS,
    maxPositionals: 1,
    script: false,
    examples: ['deploy', 'deploy --worker-count 8 --timeout 60', 'deploy --override-env false --cwd /srv/app/current', 'deploy --canary 1 --canary-window 30'],
    run: async (o, [ipc]) => (await import('./deploy.js')).deploy(ipcFileAt(ipc), camelCase(o)),
  }),
  define({
    name: 'rollback',
    usage: '[ipc-file]',
    summary:
      "Deploys the release that ran before the last deploy that went through, with zero downtime: its directory as it was resolved then (also after a current symlink moved on), its script, environment and worker count",
    options: {},
    maxPositionals: 1,
    script: false,
    examples: ['rollback', 'rollback /run/myapp/naught.ipc'],
    run: async (_o, [ipc]) => (await import('./deploy.js')).rollback(ipcFileAt(ipc)),
  }),
  define({
    name: 'deploy-abort',
    usage: '[ipc-file]',
    summary: 'Aborts a deploy that hangs; the old workers keep serving',
    options: {},
    maxPositionals: 1,
    script: false,
    examples: ['deploy-abort'],
    run: async (_o, [ipc]) => (await import('./deploy.js')).deployAbort(ipcFileAt(ipc)),
  }),
  define({
    name: 'upgrade',
    usage: '[ipc-file]',
    summary:
      "Restarts naught itself without a gap: a new naught, from the node and naught that run this command, gets the sockets naught holds (--listen, or a .socket unit's) and boots all its workers beside the old ones; only then the old naught stops its workers and exits. A new naught that fails leaves the old one serving",
    options: UPGRADE_OPTIONS,
    maxPositionals: 1,
    script: false,
    examples: ['upgrade', 'upgrade --timeout 60 /run/myapp/naught.ipc'],
    run: async (o, [ipc]) => (await import('./upgrade.js')).upgrade(ipcFileAt(ipc), o.timeout),
  }),
  define({
    name: 'logs',
    usage: '[ipc-file]',
    summary:
      "Prints the last lines of the workers' log files (stdout.log on stdout, stderr.log on stderr), read by the running naught, so it works for a daemon; with --follow, every line written after them too, across rotations, until naught stops",
    options: LOGS_OPTIONS,
    maxPositionals: 1,
    script: false,
    examples: ['logs', 'logs --follow --lines 0 --stderr /run/myapp/naught.ipc'],
    run: async (o, [ipc]) => (await import('./logs.js')).logs(ipcFileAt(ipc), camelCase(o)),
  }),
  ...(['report', 'profile', 'heap-snapshot'] as const).map((kind) =>
    define({
      name: kind,
      usage: '<worker> [ipc-file]',
      summary: EXAMINE_SUMMARIES[kind],
      options: kind === 'profile' ? PROFILE_OPTIONS : EXAMINE_OPTIONS,
      maxPositionals: 2,
      script: false,
      examples: [`${kind} 0`, kind === 'profile' ? 'profile 1 --seconds 30 --output /tmp/worker1.cpuprofile' : `${kind} 1 --output /tmp/worker1.${DIAGNOSTICS[kind].extension} /run/myapp/naught.ipc`],
      run: async (o, [worker, ipc]) => (await import('./examine.js')).examine(kind, worker, ipcFileAt(ipc), o as { output: string | undefined; seconds?: number }),
    }),
  ),
  define({
    name: 'version',
    usage: '',
    summary: 'Prints the version of naught',
    options: {},
    maxPositionals: 0,
    script: false,
    examples: [],
    run: async () => {
      out(pkg.version);
      return 0;
    },
  }),
  define({
    name: 'help',
    usage: '[command]',
    summary: 'Describes a command and its options',
    options: {},
    maxPositionals: 1,
    script: false,
    examples: [],
    run: async (_o, [command]) => {
      (await import('./help.js')).help(COMMANDS, command);
      return 0;
    },
  }),
];

/** What `naught -v`, `naught --help` and the like stand for. */
export const ALIASES: Readonly<Record<string, string>> = { '--version': 'version', '-v': 'version', '--help': 'help', '-h': 'help' };
