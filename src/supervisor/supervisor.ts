// The long-lived process that systemd, Docker or a runbook sees. It owns the log
// sinks, the ipc socket, the pid file, the signals and the cluster primary, and
// renders each event of the primary into every sink.
//
// The primary runs in this process rather than in a child: one node process
// instead of two (naught 1.x used two, ~89 MB), worker output reaches the log
// files through one pipe hop instead of two, and per-deploy cwd and environment
// are per-fork options of node:cluster, so nothing here is mutated by a deploy.
// --node-args go to the workers, which run the app; the supervisor runs no app code.
import { Primary, type DeployOptions } from '../cluster/primary.js';
import type { Program } from '../cluster/worker-process.js';
import { openSink, type LogTarget, type Sink } from '../log/sinks.js';
import { WorkerOutput } from '../log/worker-output.js';
import { eventLine } from '../protocol/event-line.js';
import type { Answer, NaughtEvent } from '../protocol/messages.js';
import { IpcServer, type RequestHandler } from './ipc-server.js';
import { sendToParent } from './parent.js';
import { removePidFile, writePidFile } from './pid-file.js';
import { handleSignals } from './signals.js';

export interface SupervisorConfig {
  program: Omit<Program, 'captured'>;
  workerCount: number;
  /** Working directory of the workers. */
  cwd: string;
  /** Environment of the workers. */
  env: Record<string, string>;
  ipcFile: string;
  pidFile: string;
  logs: { naught: LogTarget; stdout: LogTarget; stderr: LogTarget };
  maxLogSize: number;
  /** In the foreground, events are also printed on naught's stderr as they happen. */
  printEvents: boolean;
}

/** The supervisor could not start; nothing it opened is left behind. */
export class StartError extends Error {}

/** Runs until the workers are stopped; resolves to the exit code: 1 when the first boot failed. */
export async function supervise(config: SupervisorConfig): Promise<number> {
  const cleanup: Array<() => Promise<void>> = [];
  const release = async (): Promise<void> => {
    for (const step of cleanup.reverse()) await step();
  };
  const report = (message: string): void => {
    process.stderr.write(`${message}\n`);
  };

  let ipc: IpcServer | undefined;
  let naughtLog: Sink | null = null;
  const onEvent = (event: NaughtEvent): void => {
    const line = `${eventLine(event)}\n`;
    naughtLog?.stream.write(line);
    if (config.printEvents) process.stderr.write(line);
    sendToParent(event);
    ipc?.broadcast(event);
  };

  try {
    // Every step from here can be undone by `cleanup`, so a failed start leaves nothing behind.
    await startStep(writePidFile(config.pidFile, process.pid));
    cleanup.push(() => removePidFile(config.pidFile, process.pid));
    ipc = await startStep(IpcServer.listen(config.ipcFile), (error) =>
      error.code === 'EADDRINUSE' ? `ipc-file ${config.ipcFile} is in use by another process` : undefined,
    );
    const server = ipc;
    cleanup.push(() => server.close());
    // naught's own console is where events are printed; only a file is a separate sink.
    if (config.logs.naught.kind === 'file') {
      const sink = await startStep(openSink(config.logs.naught, process.stderr, config.maxLogSize, report));
      naughtLog = sink;
      if (sink !== null) cleanup.push(() => sink.close());
    }
    const stdout = await startStep(openSink(config.logs.stdout, process.stdout, config.maxLogSize, report));
    const stderr = await startStep(openSink(config.logs.stderr, process.stderr, config.maxLogSize, report));
    const output = new WorkerOutput(stdout, stderr);
    cleanup.push(() => output.close());

    const primary = new Primary({
      program: { ...config.program, captured: { stdout: stdout !== null, stderr: stderr !== null } },
      generation: { count: config.workerCount, env: config.env, cwd: config.cwd },
      onEvent,
      onSpawn: (child) => output.attach(child),
    });
    /** Deploys and says how it went; a deploy refused because another runs answers when that one ends. */
    const deploy = async (options: DeployOptions, answer: (answer: Answer) => void): Promise<void> => {
      const result = await primary.deploy(options);
      if (result === 'busy') {
        answer('deploy-busy');
        await primary.deployFinished();
      }
      answer(result === 'ready' ? 'deployed' : result === 'stopping' ? 'deploy-refused' : 'deploy-failed');
    };
    const stop = (timeoutMs?: number): void => {
      void primary.stop(timeoutMs);
    };
    const onRequest: RequestHandler = (request, client) => {
      if (request.action === 'status') {
        client.send({ type: 'status', ...primary.status() });
        return;
      }
      client.follow();
      const answer = (value: Answer): void => client.send({ type: 'answer', answer: value });
      if (request.action === 'deploy') {
        const { workerCount: count, env, cwd, timeout } = request;
        void deploy({ count, env, cwd, timeoutMs: seconds(timeout) }, answer);
      } else if (request.action === 'deploy-abort') {
        if (!primary.abortDeploy()) answer('nothing-to-abort');
        else void primary.deployFinished().then(() => answer('aborted'));
      } else {
        // The stop's end is its Shutdown event; naught exits right after.
        if (primary.waitingFor === 'shutdown') answer('already-stopping');
        stop(seconds(request.timeout));
      }
    };

    sendToParent({ event: 'IpcListening' });
    const removeSignalHandlers = handleSignals({
      deploy: () => void deploy({}, () => {}),
      // A signal during a stop, whoever began it, means: do not wait any longer.
      stop: () => (primary.waitingFor === 'shutdown' ? void primary.forceStop() : stop()),
    });
    cleanup.push(async () => removeSignalHandlers());

    const booting = primary.boot();
    // Requests are read once the first operation runs, so none can race it.
    server.serve(onRequest);
    const boot = await booting;
    await primary.closed;
    await release();
    return boot === 'failed' ? 1 : 0;
  } catch (error) {
    await release();
    throw error;
  }
}

/** Awaits one start-up step, turning its failure into a StartError with a one-line reason. */
async function startStep<T>(step: Promise<T>, explain?: (error: NodeJS.ErrnoException) => string | undefined): Promise<T> {
  try {
    return await step;
  } catch (error) {
    const cause = error as NodeJS.ErrnoException;
    throw new StartError(explain?.(cause) ?? cause.message);
  }
}

function seconds(value: number | undefined): number | undefined {
  return value === undefined ? undefined : value * 1000;
}
