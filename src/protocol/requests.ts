// Checks what arrives on the ipc socket before the supervisor acts on it.
import { DIAGNOSTICS, MIN_PROFILE_SECONDS, type DiagnosticKind } from './diagnostics.js';
import type { DeployChanges, OutputStream, Request } from './messages.js';

/**
 * The longest timeout: node's timers hold at most 2^31 - 1 ms (24.8 days) and fire
 * after 1 ms for anything longer, so a longer one would kill at once.
 */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** The longest timeout in the whole seconds the command line takes. */
export const MAX_SECONDS = Math.floor(MAX_TIMEOUT_MS / 1000);

/** The most workers naught starts: each is a node process (~40 MB); more is a typo, not a machine. */
export const MAX_WORKERS = 1024;

type Fields = Record<string, unknown>;

/** The request, or a one-line reason why it is not one. */
export function parseRequest(value: unknown): Request | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'a request must be a JSON object';
  const fields = value as Fields;
  switch (fields.action) {
    case 'status':
      return fields.detail === true ? { action: 'status', detail: true } : { action: 'status' };
    case 'deploy-abort':
    case 'rollback':
      return { action: fields.action };
    case 'stop': {
      const timeoutMs = optionalMilliseconds(fields, 'timeoutMs');
      if (typeof timeoutMs === 'string') return timeoutMs;
      return timeoutMs === undefined ? { action: 'stop' } : { action: 'stop', timeoutMs };
    }
    case 'deploy':
      return parseDeploy(fields);
    case 'upgrade':
      return parseUpgrade(fields);
    case 'logs':
      return parseLogs(fields);
    case 'examine':
      return parseExamine(fields);
    default:
      return `unknown action: ${JSON.stringify(fields.action)}`;
  }
}

function parseDeploy(fields: Fields): Request | string {
  const { workerCount, env, cwd } = fields;
  if (workerCount !== 'auto' && (!isWhole(workerCount, 0) || (workerCount as number) > MAX_WORKERS)) {
    return `deploy: workerCount must be a whole number from 0 to ${MAX_WORKERS}, or 'auto'`;
  }
  const timeoutMs = optionalMilliseconds(fields, 'timeoutMs');
  if (typeof timeoutMs === 'string') return timeoutMs;
  if (env !== undefined && !isStringRecord(env)) return 'deploy: env must map names to strings';
  if (cwd !== undefined && (typeof cwd !== 'string' || !cwd.startsWith('/'))) return 'deploy: cwd must be an absolute path';
  const { maxMemoryBytes, batch } = fields;
  if (maxMemoryBytes !== undefined && maxMemoryBytes !== null && !isWhole(maxMemoryBytes, 1)) return 'deploy: maxMemoryBytes must be a whole number of bytes, or null';
  if (batch !== undefined && !isWhole(batch, 1)) return 'deploy: batch must be a whole number, 1 or more';
  const canary = parseCanary(fields.canary);
  if (typeof canary === 'string') return canary;
  return {
    action: 'deploy',
    workerCount: workerCount as number | 'auto',
    ...(env === undefined ? {} : { env }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(cwd === undefined ? {} : { cwd }),
    ...(maxMemoryBytes === undefined ? {} : { maxMemoryBytes: maxMemoryBytes as number | null }),
    ...(batch === undefined ? {} : { batch: batch as number }),
    ...(canary === undefined ? {} : { canary }),
  };
}

/** A deploy's canary: only the parts given, each checked. */
function parseCanary(value: unknown): DeployChanges['canary'] | string {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'deploy: canary must be an object';
  const fields = value as Fields;
  const { count, marginPercent } = fields;
  if (count !== undefined && (!isWhole(count, 0) || (count as number) > MAX_WORKERS)) return `deploy: canary.count must be a whole number from 0 to ${MAX_WORKERS}`;
  const windowMs = optionalMilliseconds(fields, 'windowMs');
  if (typeof windowMs === 'string') return `deploy: canary.${windowMs}`;
  if (marginPercent !== undefined && (typeof marginPercent !== 'number' || !(marginPercent >= 0 && marginPercent <= 100))) return 'deploy: canary.marginPercent must be a number from 0 to 100';
  return {
    ...(count === undefined ? {} : { count: count as number }),
    ...(windowMs === undefined ? {} : { windowMs }),
    ...(marginPercent === undefined ? {} : { marginPercent }),
  };
}

function parseUpgrade(fields: Fields): Request | string {
  const { node, naught, nodeVersion } = fields;
  for (const [name, value] of [['node', node], ['naught', naught]] as const) {
    if (typeof value !== 'string' || !value.startsWith('/')) return `upgrade: ${name} must be an absolute path`;
  }
  // It is only said (in naught.log), but said it must be as what it is.
  if (typeof nodeVersion !== 'string' || !/^v\d+\.\d+\.\d+[\w.+-]{0,40}$/.test(nodeVersion)) return 'upgrade: nodeVersion must be a Node.js version, as process.version gives it';
  const timeoutMs = optionalMilliseconds(fields, 'timeoutMs');
  if (typeof timeoutMs === 'string') return timeoutMs;
  return { action: 'upgrade', node: node as string, naught: naught as string, nodeVersion, ...(timeoutMs === undefined ? {} : { timeoutMs }) };
}

function parseLogs(fields: Fields): Request | string {
  const { streams, lines, follow } = fields;
  const known = ['stdout', 'stderr'];
  if (!Array.isArray(streams) || streams.length === 0 || !streams.every((stream) => known.includes(stream))) return "logs: streams must list 'stdout', 'stderr' or both";
  if (!isWhole(lines, 0)) return 'logs: lines must be a whole number, 0 or more';
  if (typeof follow !== 'boolean') return 'logs: follow must be true or false';
  return { action: 'logs', streams: [...new Set(streams as OutputStream[])], lines: lines as number, follow };
}

function parseExamine(fields: Fields): Request | string {
  const { kind, worker } = fields;
  if (typeof kind !== 'string' || !Object.hasOwn(DIAGNOSTICS, kind)) return `examine: kind must be one of ${Object.keys(DIAGNOSTICS).join(', ')}`;
  if (!isWhole(worker, 0) || (worker as number) >= MAX_WORKERS) return `examine: worker must be a worker number, 0 to ${MAX_WORKERS - 1}`;
  const profileMs = optionalMilliseconds(fields, 'profileMs');
  if (typeof profileMs === 'string') return `examine: ${profileMs}`;
  if (kind === 'profile' && (profileMs === undefined || profileMs < MIN_PROFILE_SECONDS * 1000)) return `examine: a profile needs profileMs of ${MIN_PROFILE_SECONDS * 1000} or more`;
  return { action: 'examine', kind: kind as DiagnosticKind, worker: worker as number, profileMs: profileMs ?? 0 };
}

function isWhole(value: unknown, min: number): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min;
}

function optionalMilliseconds(fields: Fields, name: string): number | undefined | string {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;
  if (!isWhole(value, 0) || (value as number) > MAX_TIMEOUT_MS) return `${name} must be a whole number of milliseconds, 0 to ${MAX_TIMEOUT_MS}`;
  return value as number;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every((v) => typeof v === 'string');
}
