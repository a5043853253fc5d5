import type { Answer, DeployRequest, NaughtEvent } from '../protocol/messages.js';
import type { DEPLOY_OPTIONS } from './option-table.js';
import type { Options } from './options.js';
import { currentEnv } from './host.js';
import { err, errRaw, printFollowed, stderr } from './print.js';
import { DeployProgress } from './deploy-progress.js';
import { reach } from './reach.js';
import { canaryText, lastLinesText } from '../protocol/event-line.js';
import type { Connection } from './connection.js';

export const DEPLOY_FAILED = "Deploy failed. Check stderr.log and usage of 'online' and 'shutdown' events.";

/** An abort that came once every new worker was online: nothing is undone, the old workers are only not waited for. */
const TOO_LATE = 'too late to abort: every new worker was online; the old workers left were killed';

/** These end a deploy; the commands print their verdict instead of the event line. */
const VERDICTS = ['Ready', 'DeployFailed'] as const;

/** What is asked of naught; the environment only to naught's user or root, and from them (cli/trust.ts). */
function deployRequest(ipcFile: string, options: Options<typeof DEPLOY_OPTIONS>, { mayConfide, owner }: { mayConfide: boolean; owner: number }): DeployRequest {
  if (options.overrideEnv && !mayConfide) {
    err(`naught: the workers keep their environment: ${owner === 0 || owner === process.getuid?.() ? "only naught's user or root may give them one" : `${ipcFile} belongs to uid ${owner}, not to you or root`}`);
  }
  return {
    action: 'deploy',
    workerCount: options.workerCount,
    ...(options.overrideEnv && mayConfide ? { env: currentEnv() } : {}),
    ...(options.timeout === undefined ? {} : { timeoutMs: options.timeout }),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.maxMemory === undefined ? {} : { maxMemoryBytes: options.maxMemory }),
    ...(options.batch === undefined ? {} : { batch: options.batch }),
    ...canaryRequest(options),
  };
}

/** The canary's parts given on the command line; naught fills in the rest from its own options. */
function canaryRequest({ canary, canaryWindow, canaryMargin }: Options<typeof DEPLOY_OPTIONS>): Pick<DeployRequest, 'canary'> {
  const parts = {
    ...(canary === undefined ? {} : { count: canary }),
    ...(canaryWindow === undefined ? {} : { windowMs: canaryWindow }),
    ...(canaryMargin === undefined ? {} : { marginPercent: canaryMargin }),
  };
  return Object.keys(parts).length === 0 ? {} : { canary: parts };
}

/** A `workerCount` of `auto` is sent as it is: naught counts the CPUs it may use, in its own cgroup. */
export async function deploy(ipcFile: string, options: Options<typeof DEPLOY_OPTIONS>): Promise<number> {
  const connection = await reach(ipcFile, 1);
  if (typeof connection === 'number') return connection;
  return follow(connection, deployRequest(ipcFile, options, connection.trust));
}

/** `naught rollback`: a deploy of the release that ran before, followed as a deploy is. */
export async function rollback(ipcFile: string): Promise<number> {
  const connection = await reach(ipcFile, 1);
  if (typeof connection === 'number') return connection;
  return follow(connection, { action: 'rollback' });
}

/** What a following command has seen of the deploy so far. */
interface Seen {
  /** Why it failed, as its DeployFailed said. */
  failure: string | null;
  /** The last lines on stderr of each new worker that died, by its number, for the failure that names it. */
  deathLines: Map<number, string[]>;
  canaryFailed: boolean;
  /** Another deploy ran: this one was refused, and waits for that one's end. */
  refused: boolean;
  /** Ctrl+C asked for an abort. */
  aborting: boolean;
}

/**
 * Follows a deploy to its end, printing its events (or a progress line on a terminal)
 * and its verdict.
 */
async function follow(connection: Connection, request: DeployRequest | { action: 'rollback' }): Promise<number> {
  const seen: Seen = { failure: null, deathLines: new Map(), canaryFailed: false, refused: false, aborting: false };
  // On a terminal, one line of progress instead of the event lines.
  const progress = stderr.isTerminal() ? new DeployProgress(errRaw) : null;
  const say = (message: string): void => (progress === null ? err(message) : progress.say(message));
  // Ctrl+C aborts the deploy with zero downtime; a second Ctrl+C leaves at once.
  const onInterrupt = (): void => {
    if (seen.aborting) process.exit(130);
    seen.aborting = true;
    say('aborting deploy');
    connection.send({ action: 'deploy-abort' });
  };
  process.on('SIGINT', onInterrupt);
  try {
    return await connection.converse(
      request,
      (reply) => {
        if (reply.type === 'answer') return lastWords(reply.answer, seen, request.action, say, progress);
        if (progress === null) printFollowed(reply, VERDICTS);
        else progress.onReply(reply);
        if (reply.type === 'event') see(reply, seen, say);
        return undefined;
      },
      () => {
        say(`lost the connection to naught before the ${request.action} finished`);
        return 1;
      },
    );
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}

/** A canary's events are said as they come; a failure is kept for the last words. */
function see(event: NaughtEvent, seen: Seen, say: (message: string) => void): void {
  const canary = canaryText(event);
  if (canary !== null) say(canary);
  if (event.event === 'CanaryFailed') seen.canaryFailed = true;
  if (event.event === 'DeployFailed') seen.failure = event.failure ?? null;
  if (event.event === 'NewDeath' && event.worker !== undefined) seen.deathLines.set(event.worker, event.death?.stderr ?? []);
}

/**
 * What the command says for naught's answer, and its exit code; undefined while the
 * deploy goes on. A failure that is not 1.x's (a canary rolled back, a rollback that
 * could not start), or any failure on a terminal (where no script reads 1.x's line), is
 * said in naught's words: `deploy failed: <why>`, with a dead worker's last lines.
 */
function lastWords(answer: Answer, seen: Seen, verb: string, say: (message: string) => void, progress: DeployProgress | null): number | undefined {
  switch (answer) {
    case 'deployed':
      if (seen.aborting) say(TOO_LATE);
      say(progress === null ? 'done' : `done in ${progress.elapsed()}`);
      return 0;
    case 'deploy-busy':
      seen.refused = true;
      say('Deploy already in progress. Press Ctrl+C to abort.');
      return undefined;
    case 'deploy-refused':
      say('naught is shutting down: nothing was deployed');
      return 1;
    case 'deploy-failed': {
      const inOurWords = seen.canaryFailed || verb === 'rollback' || (progress !== null && !seen.aborting);
      if (!seen.refused && seen.failure !== null && inOurWords) say(`${verb} failed: ${seen.failure}${lastLinesText(linesOf(seen), '')}`);
      else if (seen.aborting) say('deploy aborted');
      else if (!seen.refused) say(DEPLOY_FAILED);
      return 1;
    }
    default:
      // The answer to our own Ctrl+C abort; the deploy's own answer follows.
      return undefined;
  }
}

/** The last lines on stderr of the new worker the failure names (`new worker 1 exited with code 1`), if it died. */
function linesOf({ failure, deathLines }: Seen): string[] {
  const named = /^new worker (\d+) /.exec(failure ?? '');
  return named === null ? [] : (deathLines.get(Number(named[1])) ?? []);
}

export async function deployAbort(ipcFile: string): Promise<number> {
  const connection = await reach(ipcFile, 1);
  if (typeof connection === 'number') return connection;
  return connection.converse(
    { action: 'deploy-abort' },
    (reply) => {
      if (reply.type !== 'answer') {
        printFollowed(reply, VERDICTS);
        return undefined;
      }
      if (reply.answer === 'aborted') {
        err('deploy aborted');
        return 0;
      }
      err(reply.answer === 'abort-too-late' ? `${TOO_LATE}; the deploy is done` : 'no deploy in progress');
      return 1;
    },
    () => {
      err('lost the connection to naught before the abort finished');
      return 1;
    },
  );
}
