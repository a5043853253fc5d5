// `naught unit`: a systemd unit for this app, ready to install, in the shape of
// packaging/naught.service: Type=notify, a synchronous ExecReload, KillMode=mixed,
// the watchdog, /run/<name> for the socket and pid file, /var/log/<name> for logs.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { addressText, UNNAMED, type ListenAddress } from '../protocol/listen-fds.js';
import { UsageError } from './options.js';

export interface UnitOptions {
  name: string;
  user: string;
  /** The app's script and arguments, absolute where they are paths. */
  script: string;
  scriptArgs: readonly string[];
  workingDirectory: string;
  /** Every `naught start` option of the unit, given or its default there (option-table.ts), paths absolute: [name, value] pairs. */
  startOptions: ReadonlyArray<readonly [string, string]>;
  /** naught's --stop-timeout in seconds; null waits for ever. */
  stopTimeoutMs: number | null;
  /** --listen: the sockets a .socket unit of the same name holds for the service. */
  sockets: readonly ListenAddress[];
  /** --boot-nice: above 0, naught sets a worker's priority back once it is online, which User= may not without a nice limit. */
  bootNice: number;
}

/** C's escape for a control character, as systemd.syntax(7) reads them inside quotes. */
const C_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\t': '\\t', '\r': '\\r' };

/**
 * One word of a command line as systemd reads it (systemd.syntax(7), systemd.service(5)
 * "Command lines"): % and $ doubled (specifiers, variables), and, when it has white
 * space, quotes, a backslash, a semicolon or a control character, double-quoted with
 * C escapes.
 */
export function systemdWord(word: string): string {
  const escaped = word.replace(/%/g, '%%').replace(/\$/g, '$$$$');
  if (escaped !== '' && !/[\s"'\\;\u0000-\u001f\u007f]/.test(escaped)) return escaped;
  const quoted = escaped
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/[\u0000-\u001f\u007f]/g, (char) => C_ESCAPES[char] ?? `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `"${quoted}"`;
}

/**
 * A path setting (WorkingDirectory=) as systemd reads it: the rest of the line, %
 * doubled, no quotes or escapes (systemd 252 takes a quote as part of the path, then
 * finds it not absolute). A path that cannot be written so is refused.
 */
export function systemdPath(setting: string, value: string): string {
  if (/[\u0000-\u001f\u007f]/.test(value) || /^\s|\s$|\\$/.test(value)) {
    throw new UsageError(`${setting}: systemd cannot take ${JSON.stringify(value)} as a path (a control character, white space at an end, or a backslash at the end); move the app to another directory`);
  }
  return value.replace(/%/g, '%%');
}

export function renderUnit(options: UnitOptions): string {
  const { stopTimeoutMs, startOptions: all } = options;
  const ipcFile = all.find(([option]) => option === 'ipc-file')![1];
  const naught = [process.execPath, realpathSync(process.argv[1]!)];
  const start = [...naught, 'start', ...all.flatMap(([option, value]) => [`--${option}`, value]), options.script, ...options.scriptArgs];
  const line = (words: string[]): string => words.map(systemdWord).join(' ');
  const socket = `${options.name}.socket`;
  const held = options.sockets.length > 0;
  return [
    `# ${options.name} under naught: written by \`naught unit\`.`,
    `# Install: save as /etc/systemd/system/${options.name}.service, then`,
    ...(held
      ? [
          `# the sockets' unit (\`naught unit --socket\` with the same options) as /etc/systemd/system/${socket}, then`,
          `#   systemctl daemon-reload && systemctl enable --now ${socket} ${options.name}`,
          `#   systemctl restart ${options.name}  new naught, node or options; the socket stays, no connection is refused`,
          `#   naught upgrade ${ipcFile}  new naught or node without a restart: the old naught serves until the new one's workers are online`,
        ]
      : [`#   systemctl daemon-reload && systemctl enable --now ${options.name}`]),
    `#   systemctl reload ${options.name}   zero-downtime deploy; fails if the deploy fails`,
    '',
    '[Unit]',
    `Description=${options.name} under naught`,
    ...(held ? [`Requires=${socket}`, `After=network-online.target ${socket}`] : ['After=network-online.target']),
    'Wants=network-online.target',
    '',
    '[Service]',
    'Type=notify',
    'NotifyAccess=all',
    `User=${options.user}`,
    // Nice 0 again for a worker online after booting at a lower priority (--boot-nice): a user needs the limit.
    ...(options.bootNice > 0 ? ['LimitNICE=+0'] : []),
    `WorkingDirectory=${systemdPath('WorkingDirectory=', options.workingDirectory)}`,
    `RuntimeDirectory=${options.name}`,
    `LogsDirectory=${options.name}`,
    `ExecStart=${line(start)}`,
    `ExecReload=${line([...naught, 'deploy', '--timeout', '120', ipcFile])}`,
    'KillMode=mixed',
    'TimeoutStartSec=120',
    // Room for naught's own stop timeout, the SIGKILL a second after it, and its exit.
    `TimeoutStopSec=${stopTimeoutMs === null ? 'infinity' : Math.ceil(stopTimeoutMs / 1000) + 15}`,
    'WatchdogSec=30',
    'Restart=on-failure',
    'RestartSec=2',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

/**
 * The .socket unit that holds --listen's sockets for the service of the same name:
 * systemd passes them to naught at each start (LISTEN_FDS), and keeps them bound and
 * listening while naught restarts, so connections wait instead of being refused.
 */
export function renderSocketUnit(name: string, sockets: readonly ListenAddress[]): string {
  // FileDescriptorName= names every socket of a unit alike.
  const names = [...new Set(sockets.map((socket) => socket.name))];
  if (names.length > 1) throw new UsageError(`--listen: one .socket unit gives all its sockets one name, not ${names.join(', ')}; give them one name, or write a unit for each`);
  return [
    `# The sockets of ${name}, held by systemd across restarts of naught: written by \`naught unit --socket\`.`,
    `# Install: save as /etc/systemd/system/${name}.socket beside ${name}.service, then`,
    `#   systemctl daemon-reload && systemctl enable --now ${name}.socket ${name}`,
    '',
    '[Unit]',
    `Description=${name}'s listening sockets`,
    '',
    '[Socket]',
    ...sockets.map((socket) => `ListenStream=${systemdWord(addressText(socket))}`),
    ...(names[0] === UNNAMED ? [] : [`FileDescriptorName=${names[0]}`]),
    `Service=${name}.service`,
    '',
    '[Install]',
    'WantedBy=sockets.target',
    '',
  ].join('\n');
}

/**
 * The unit's default name: the app's directory, in the characters a unit name
 * allows. In a release layout that is the directory above `current` or `releases/<id>`
 * (/srv/shop/current/server.js and /srv/shop/releases/7/server.js are both `shop`).
 */
export function unitName(script: string): string {
  let dir = path.dirname(script);
  if (path.basename(dir) === 'current') dir = path.dirname(dir);
  else if (path.basename(path.dirname(dir)) === 'releases') dir = path.dirname(path.dirname(dir));
  return path.basename(dir).replace(/[^A-Za-z0-9_.-]/g, '-') || 'app';
}
