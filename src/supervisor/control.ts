// What the ipc requests and the signals do to the cluster primary, and how each
// requester is answered.
import type { DeployOptions, Primary } from '../cluster/primary.js';
import { readFileSync } from 'node:fs';
import type { Answer, StatusDetail } from '../protocol/messages.js';
import type { RequestHandler } from './ipc-server.js';
import type { SignalActions } from './signals.js';

/** Deploys, then answers; a deploy refused because another runs is answered when that one ends. */
async function deploy(primary: Primary, options: DeployOptions, answer: (answer: Answer) => void): Promise<void> {
  const result = await primary.deploy(options);
  if (result === 'busy') {
    answer('deploy-busy');
    await primary.deployFinished();
  }
  answer(result === 'ready' ? 'deployed' : result === 'stopping' ? 'deploy-refused' : 'deploy-failed');
}

/** What the status detail says of naught itself beside the primary's own state. */
type SupervisorFacts = Pick<StatusDetail['supervisor'], 'mode' | 'notify'>;

export function requestHandler(primary: Primary, facts: SupervisorFacts): RequestHandler {
  return (request, client) => {
    if (request.action === 'status') {
      client.send({ type: 'status', ...primary.status(), ...(request.detail ? { detail: statusDetail(primary, facts) } : {}) });
      return;
    }
    client.follow();
    const answer = (value: Answer): void => client.send({ type: 'answer', answer: value });
    switch (request.action) {
      case 'deploy': {
        const { workerCount: count, env, cwd, timeout } = request;
        void deploy(primary, { count, env, cwd, timeoutMs: milliseconds(timeout) }, answer);
        break;
      }
      case 'deploy-abort':
        if (!primary.abortDeploy()) answer('nothing-to-abort');
        else void primary.deployFinished().then(() => answer('aborted'));
        break;
      case 'stop':
        // The stop's end is its Shutdown event; naught exits right after.
        if (primary.waitingFor === 'shutdown') answer('already-stopping');
        void primary.stop(milliseconds(request.timeout));
        break;
    }
  };
}

/** `stopTimeoutMs`: how long a stop by signal waits for 'shutdown' before the workers are killed. */
export function signalActions(primary: Primary, reopenLogs: () => void, stopTimeoutMs: number | undefined): SignalActions {
  return {
    reopenLogs,
    deploy: () => void deploy(primary, {}, () => {}),
    // A signal during a stop, whoever began it, means: do not wait any longer.
    stop: () => void (primary.waitingFor === 'shutdown' ? primary.forceStop() : primary.stop(stopTimeoutMs)),
  };
}

function statusDetail(primary: Primary, facts: SupervisorFacts): StatusDetail {
  const { operation, workers } = primary.detail();
  return {
    supervisor: { pid: process.pid, ...facts, uptimeMs: Math.round(process.uptime() * 1000), operation },
    workers: workers.map((worker) => ({ ...worker, memoryBytes: worker.pid === null ? null : residentBytes(worker.pid) })),
  };
}

/** VmRSS of a process, or null when it cannot be read (gone, or not Linux). */
function residentBytes(pid: number): number | null {
  try {
    const kilobytes = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kilobytes === undefined ? null : Number(kilobytes) * 1024;
  } catch {
    return null;
  }
}

function milliseconds(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : seconds * 1000;
}
