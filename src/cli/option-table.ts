// Every command's options, in one table: what each is, its default, an example, and
// what `naught unit` makes of it. Parsing, checking, help and the unit all read it, so
// they cannot disagree; commands.ts says what each command does with them.
import { CANARY_MARGIN_PERCENT, CANARY_WINDOW_MS, MIN_CANARY_REQUESTS, MIN_CANARY_WINDOW_MS } from '../cluster/canary.js';
import { MIN_WORKER_TIMEOUT_MS } from '../cluster/health.js';
import { BALANCES } from '../cluster/balance.js';
import { LOG_FORMATS } from '../protocol/event-record.js';
import {
  batchSize,
  boolean,
  bytes,
  canarySize,
  choice,
  directory,
  duration,
  file,
  fileMode,
  flag,
  group,
  ipcFile,
  keep,
  listenAddresses,
  logTarget,
  metricsAddress,
  optionalDirectory,
  outputFile,
  percent,
  seconds,
  secondsAtLeast,
  size,
  span,
  wholeNumber,
  word,
  words,
  workerCount,
  type OptionSpecs,
} from './options.js';
import { PROBES } from './probe.js';
import { MIN_PROFILE_SECONDS } from '../protocol/diagnostics.js';

/**
 * The default of --stop-timeout. docker stop sends SIGKILL 10 s after SIGTERM (systemd
 * after 90 s): 7 s of grace, then SIGTERM to the workers left and SIGKILL 1 s later,
 * leaves naught about 2 s to write its last lines and exit before docker's deadline.
 */
const STOP_TIMEOUT_SECONDS = 7;

/**
 * The default of --drain-timeout. A drained worker's connections end after their next
 * answer; one that stays idle ends at the server's keepAliveTimeout, 5 s in node's
 * http (and Express); twice that leaves a slow request in flight time to finish.
 * Fastify keeps idle connections 72 s: there the drain ends at this bound.
 */
const DRAIN_TIMEOUT_SECONDS = 10;

/**
 * The default of --drain-ramp: a new worker's first requests run cold (V8 has compiled
 * nothing yet), and a retired worker's whole load landing on it at once queues behind
 * them (docs/performance.md, "Successors warm up"); 3 s kept a deploy's p99 near 2× steady in bench/.
 */
const DRAIN_RAMP_SECONDS = 3;

/**
 * The default of --boot-yield: a boot that yields the CPU waits for ever where none is
 * spare; a nice 10 boot under a saturating load made deploys take 7–24 s against 6 s.
 * Starved 2 s, the boot has waited as long as a fast one takes; the serving workers
 * then get what a boot at their own priority costs them.
 */
const BOOT_YIELD_SECONDS = 2;

/** The default of `naught profile --seconds`: long enough for hundreds of samples of a function that takes a tenth of the CPU. */
const PROFILE_SECONDS = 10;

/** The default of --worker-timeout: Gunicorn's (cluster/health.ts says why). */
const WORKER_TIMEOUT_SECONDS = 30;

/** The start options, each once: what it is, its default, an example, and what `naught unit` makes of it. */
export const START_OPTIONS = {
  'worker-count': { ...workerCount("number of workers, or auto for one per CPU naught may use (its cgroup's CPU quota, rounded up, when smaller)", 1, 1), example: 'auto' },
  'ipc-file': {
    ...ipcFile('unix socket the other commands use to reach this naught', 'naught.ipc'),
    example: '/run/myapp/naught.ipc',
    unitDefault: ({ name }) => `/run/${name}/naught.ipc`,
  },
  'ipc-group': { ...group('a group whose members may also use the ipc socket (mode 0660); by default only its owner may (0600)'), example: 'deploy', see: { page: 'security.md', title: 'Security' } },
  'pid-file': { ...file('file that holds the pid of naught', 'naught.pid'), example: '/run/myapp/naught.pid', unitDefault: ({ name }) => `/run/${name}/naught.pid` },
  log: {
    ...logTarget("naught's event log; - for naught's stderr only, /dev/null for none", 'naught.log'),
    example: '/var/log/myapp/naught.log',
    unitDefault: ({ name }) => `/var/log/${name}/naught.log`,
  },
  stdout: {
    ...logTarget("the workers' stdout: a file (in the foreground also copied to naught's stdout), - for naught's stdout only, /dev/null for nowhere", 'stdout.log'),
    example: '-',
    unitDefault: ({ name }) => `/var/log/${name}/stdout.log`,
  },
  stderr: {
    ...logTarget("the workers' stderr: a file (in the foreground also copied to naught's stderr), - for naught's stderr only, /dev/null for nowhere", 'stderr.log'),
    example: '/var/log/myapp/stderr.log',
    unitDefault: ({ name }) => `/var/log/${name}/stderr.log`,
  },
  'log-format': {
    ...choice("how naught.log and naught's console give events and notices: text, the 1.x lines, or json, one object per line", LOG_FORMATS, 'text'),
    see: { page: 'logs.md#json-log', title: 'JSON log' },
    example: 'json',
  },
  'report-dir': {
    ...optionalDirectory("directory where naught keeps the diagnostic report of each worker it kills for hanging (the newest 20); none when naught.log is not a file", "naught.log's directory"),
    example: '/var/log/myapp/reports',
    see: { page: 'diagnostics.md', title: 'When a worker misbehaves' },
  },
  'max-log-size': { ...bytes('bytes after which a log file is rotated and gzipped', 10485760), example: '52428800' },
  'max-log-files': { ...keep('gzipped archives kept per log, the newest; older ones are deleted'), example: '10' },
  'log-mode': { ...fileMode("permissions of the log files naught creates (naught.log, the workers' logs, their archives), less the umask", 0o640), example: '0600' },
  'stop-timeout': {
    ...seconds(
      "seconds a stop by signal (SIGTERM, SIGINT: docker stop, systemctl stop) waits for 'shutdown' before the workers are killed; none waits for ever",
      STOP_TIMEOUT_SECONDS,
    ),
    see: { page: 'signals.md#why-the-stop-timeout-is-7-s', title: 'Why the stop timeout is 7 s' },
    example: '30',
    // systemd's own stop timeout is 90 s, so a unit can wait longer than docker's 10 s allow.
    unitDefault: () => '45',
  },
  cwd: {
    ...directory('working directory of the workers', '.'),
    example: '/srv/myapp/current',
    // systemd sets no $PWD: without --cwd naught would take the release a `current` symlink names at start for good.
    unitDefault: ({ workingDirectory }) => workingDirectory,
  },
  listen: {
    ...listenAddresses(
      "sockets naught binds and holds for the workers, which listen on them with naught/worker's listen() (or on fd 3 on): a port, host:port or unix socket path, each maybe name=, several with commas. They stay bound while workers die and restart; naught unit makes them a .socket unit",
    ),
    see: { page: 'sockets.md#held-sockets', title: 'Held sockets' },
    example: '8000',
  },
  metrics: {
    ...metricsAddress(
      "serve Prometheus metrics at /metrics here: a port (on 127.0.0.1 alone), host:port, or a unix socket path (with the ipc socket's permissions)",
    ),
    see: { page: 'metrics.md', title: 'Metrics' },
    example: '9100',
  },
  'daemon-mode': { ...boolean('true: detach, and return once the workers are online', false), example: 'true' },
  'remove-old-ipc': { ...boolean('remove an ipc-file nobody answers on, then start', false), example: 'true' },
  'node-args': { ...words('arguments for node, in naught and in each worker, split on white space'), example: '"--max-old-space-size=512 --enable-source-maps"' },
  'max-memory': {
    ...size("resident memory a worker may use; one over it is replaced, its replacement online first (checked every second)", 'none'),
    see: { page: 'health.md', title: 'Worker health' },
    example: '512M',
  },
  'worker-timeout': {
    ...secondsAtLeast(
      "seconds a worker's event loop may not answer (a preloaded agent answers naught's pings) before it is killed and replaced; none turns it off",
      WORKER_TIMEOUT_SECONDS,
      MIN_WORKER_TIMEOUT_MS / 1000,
    ),
    see: { page: 'health.md', title: 'Worker health' },
    example: '60',
  },
  'max-worker-age': {
    ...duration('age after which a worker is replaced, online first, one at a time; worker n of N at age × (1 + 0.1 × n/N)'),
    see: { page: 'health.md', title: 'Worker health' },
    example: '6h',
  },
  'deploy-batch': {
    ...batchSize("workers a deploy (naught deploy, SIGHUP, systemctl reload) replaces at a time; all: every one at once, which never mixes releases", 'all'),
    see: { page: 'deploys.md#in-batches', title: 'In batches' },
    example: '1',
  },
  'deploy-canary': {
    ...canarySize(
      "workers a deploy (naught deploy, SIGHUP, systemctl reload) first replaces as a canary: they serve beside the old ones for --deploy-canary-window, and the deploy goes on only if none exited, hung or answered a larger share of 5xx than the old workers by over --canary-margin; else they are replaced by the release that runs and the deploy fails",
      'none',
    ),
    see: { page: 'deploys.md#canary-deploys', title: 'Canary deploys' },
    example: '1',
  },
  'deploy-canary-window': {
    ...span("seconds a canary serves beside the old workers before it is judged", CANARY_WINDOW_MS / 1000, MIN_CANARY_WINDOW_MS / 1000),
    see: { page: 'deploys.md#canary-deploys', title: 'Canary deploys' },
    example: '30',
  },
  'canary-margin': {
    ...percent(`percentage points by which a canary worker's share of 5xx responses may exceed the old workers' over the window; judged once it answered ${MIN_CANARY_REQUESTS} requests`, CANARY_MARGIN_PERCENT),
    see: { page: 'deploys.md#canary-deploys', title: 'Canary deploys' },
    example: '1',
  },
  'drain-timeout': {
    ...seconds(
      "seconds a worker naught retires (deploy, recycle, upgrade, stop) is drained before its 'shutdown': it takes no new connection, its HTTP responses carry Connection: close, and 'shutdown' comes once its HTTP connections are gone; at a stop at most half the stop timeout; 0 or none: 'shutdown' at once",
      DRAIN_TIMEOUT_SECONDS,
    ),
    see: { page: 'deploys.md#the-drain', title: 'The drain' },
    example: '30',
  },
  'drain-ramp': {
    ...seconds(
      "seconds over which a retired worker that is serving hands its load to its successors (a deploy, a recycle): it still accepts, and its HTTP connections end one by one at random moments in that time; at most --drain-timeout; a stop does not ramp; 0 or none: all at once",
      DRAIN_RAMP_SECONDS,
    ),
    see: { page: 'performance.md#successors-warm-up', title: 'Successors warm up' },
    example: '10',
  },
  balance: {
    ...choice(
      "how new connections reach the workers: kernel, each worker accepts from a socket naught binds at the address the app listens at and holds; round-robin, node:cluster's (naught accepts each connection and hands it to a worker in turn)",
      BALANCES,
      'kernel',
    ),
    see: { page: 'sockets.md#connections-go-from-the-kernel-to-the-workers', title: 'Connections go from the kernel to the workers' },
    example: 'round-robin',
  },
  'boot-nice': {
    ...wholeNumber(
      "nice value added to a worker's until it is online, so a booting worker takes the CPU the serving ones leave over (a deploy under load keeps its latency); only where naught may set it back (CAP_SYS_NICE, or LimitNICE=); 0: none",
      10,
      19,
    ),
    see: { page: 'performance.md#booting-workers-yield-the-cpu', title: 'Booting workers yield the CPU' },
    example: '0',
  },
  'boot-yield': {
    ...seconds(
      "seconds a booting worker may go starved at the lower priority (--boot-nice, and SCHED_IDLE where chrt is found): runnable, and getting under a tenth of a CPU; then it runs at naught's, so a deploy on a machine with no CPU to spare still ends; none: until it is online",
      BOOT_YIELD_SECONDS,
    ),
    see: { page: 'performance.md#booting-workers-yield-the-cpu', title: 'Booting workers yield the CPU' },
    example: '5',
  },
  'graceful-preload': {
    ...boolean(
      "true: preload naught/worker's graceful close into the workers (node --require), so an app that calls plain server.close() drops no keep-alive request",
      false,
    ),
    example: 'true',
  },
} satisfies OptionSpecs;

export const UNIT_OPTIONS = {
  ...START_OPTIONS,
  name: { ...word('name of the unit, and of its directories under /run and /var/log', "the script's directory", /^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . or -'), example: 'shop' },
  user: { ...word('user the service runs as', 'you', /^[a-z_][a-z0-9_-]*\$?$/i, 'a user name'), example: 'shop' },
  socket: { ...flag("with --listen: print the .socket unit that holds the sockets across restarts, instead of the service"), example: '', see: { page: 'systemd.md#socket-activation', title: 'Socket activation' } },
} satisfies OptionSpecs;

export const STOP_OPTIONS = {
  timeout: { ...seconds("seconds to wait for 'shutdown'; then the workers are killed"), example: '10' },
  'pid-file': { ...file('pid file of the naught to wait for', 'naught.pid'), example: '/run/myapp/naught.pid' },
} satisfies OptionSpecs;

export const DEPLOY_OPTIONS = {
  'worker-count': { ...workerCount("new number of workers; 0 keeps it, auto is one per CPU naught may use (its cgroup's CPU quota, rounded up, when smaller)", 0, 0), example: 'auto' },
  'override-env': { ...boolean("give this command's environment to the new workers", true), example: 'false' },
  timeout: { ...seconds('seconds before a deploy that has not finished is aborted'), example: '60' },
  cwd: { ...optionalDirectory('new working directory of the workers', 'unchanged'), example: '/srv/myapp/current' },
  'max-memory': { ...size('a new --max-memory for the new workers; none removes it', 'unchanged'), example: '1G' },
  batch: { ...batchSize('workers replaced at a time, each batch all online before its old workers get shutdown', "naught's --deploy-batch"), example: '1', see: { page: 'deploys.md#in-batches', title: 'In batches' } },
  canary: {
    ...canarySize("workers first replaced as a canary and judged before the rest follow; none: no canary", "naught's --deploy-canary"),
    example: '1',
    see: { page: 'deploys.md#canary-deploys', title: 'Canary deploys' },
  },
  'canary-window': {
    ...span('seconds the canary serves beside the old workers before it is judged', undefined, MIN_CANARY_WINDOW_MS / 1000, "naught's --deploy-canary-window"),
    example: '30',
  },
  'canary-margin': {
    ...percent("percentage points by which a canary worker's share of 5xx may exceed the old workers'", undefined, "naught's --canary-margin"),
    example: '1',
  },
} satisfies OptionSpecs;

export const STATUS_OPTIONS = {
  json: { ...flag('print the counts, every worker and naught itself as one JSON object'), example: '', see: { page: 'commands.md#naught-status', title: 'naught status' } },
  probe: {
    ...choice(
      "exit 1, saying why, unless naught passes this check of an orchestrator: readiness (a worker is online and naught is not stopping) or liveness (not every worker is crash-looping)",
      PROBES,
      'none',
    ),
    example: 'readiness',
  },
} satisfies OptionSpecs;

export const UPGRADE_OPTIONS = {
  timeout: { ...seconds("seconds the new naught's workers have to come online; then it is stopped and the old one serves on"), example: '60', see: { page: 'upgrade.md', title: 'Upgrading naught itself' } },
} satisfies OptionSpecs;

export const EXAMINE_OPTIONS = {
  output: {
    ...outputFile('file to write; by default one in the current directory named for the app, the worker and the time (the path is printed)'),
    example: '/tmp/worker1.json',
    see: { page: 'diagnostics.md', title: 'When a worker misbehaves' },
  },
} satisfies OptionSpecs;

export const PROFILE_OPTIONS = {
  ...EXAMINE_OPTIONS,
  seconds: { ...span('seconds to profile for', PROFILE_SECONDS, MIN_PROFILE_SECONDS), example: '30' },
} satisfies OptionSpecs;

export const LOGS_OPTIONS = {
  follow: { ...flag('keep printing lines as they are written, across rotations, until naught stops or Ctrl+C'), example: '' },
  lines: { ...wholeNumber('how many of the last lines of each file to print first', 10), example: '100' },
  stdout: { ...flag("only the workers' stdout"), example: '' },
  stderr: { ...flag("only the workers' stderr"), example: '' },
} satisfies OptionSpecs;
