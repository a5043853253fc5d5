// naught looks inside a worker through node's own inspector, which SIGUSR1 opens
// (node starts it from another thread and reaches JavaScript with a V8 interrupt, so
// it opens while the worker's event loop is stuck in a loop of JavaScript). Workers
// start with the inspector's port 0 (any free one, on 127.0.0.1) and its address said
// on stderr only (--inspect-publish-uid=stderr): only naught, which reads that stderr,
// learns the address, whose random id is what lets a client in. A worker costs nothing
// for it until it is examined: no thread, no port. What this cannot reach: a worker
// stuck in a native call (no JavaScript runs, so the interrupt never does), an app that
// takes SIGUSR1 for itself, and a worker whose stderr naught does not read.
import type { WorkerStderr } from '../log/worker-stderr.js';
import { InspectorSession } from '../host/inspector-client.js';
import { parseFrames, type StackFrame } from '../protocol/diagnostics.js';
import { durationText } from '../protocol/quantities.js';

/** node's flags that make SIGUSR1 open the inspector this way; node:cluster adds `--inspect-port=` from its inspectPort setting (0). */
export const INSPECTOR_FLAGS = ['--inspect-publish-uid=stderr'];

/** Whether node's own flags in `args` already start or place an inspector (the app is being debugged): naught then leaves it alone. */
export function hasInspectorFlags(args: readonly string[]): boolean {
  return args.some((arg) => /^--(inspect|debug)/.test(arg));
}

/** How long a worker has to open its inspector after SIGUSR1: node opens it within about 1 ms, also from a loop stuck in JavaScript. */
const OPEN_WAIT_MS = 500;

/** Opens the worker's inspector and connects to it, or throws why not, in words that follow `worker N`. */
export async function openInspector(pid: number, stderr: WorkerStderr | null): Promise<InspectorSession> {
  const signal = AbortSignal.timeout(OPEN_WAIT_MS);
  if (stderr === null) throw new Error("cannot be examined: naught reads none of its stderr (--stderr /dev/null), where node says its inspector's address");
  const address = stderr.inspectorAddress();
  try {
    process.kill(pid, 'SIGUSR1');
  } catch (error) {
    throw new Error(`cannot be signalled: ${(error as Error).message}`);
  }
  const url = await Promise.race([
    address,
    new Promise<never>((_, reject) => {
      const late = (): void =>
        reject(
          new Error(
            `did not open node's inspector on SIGUSR1 within ${durationText(OPEN_WAIT_MS)} (a thread stuck outside JavaScript, in a native call, cannot; nor can an app that handles SIGUSR1 itself, or node run with --disable-sigusr1)`,
          ),
        );
      if (signal.aborted) late();
      else signal.addEventListener('abort', late, { once: true });
    }),
  ]);
  return InspectorSession.open(url, signal);
}

/**
 * Closes the inspector the worker opened for naught, and resolves once its port is gone
 * (or after CLOSED_WAIT_MS, false then). node crashes (SIGSEGV) when its inspector
 * is closed while a session is still attached (nodejs/node#18761; seen here on 22, 24 and
 * 26 with an immediate close), so the worker closes it CLOSE_DELAY_MS after naught's
 * session has ended.
 */
export async function closeInspector(session: InspectorSession): Promise<boolean> {
  const close = `setTimeout(() => process.getBuiltinModule('node:inspector').close(), ${CLOSE_DELAY_MS}).unref(), 0`;
  await session.post('Runtime.evaluate', { expression: close }).catch(() => {});
  session.close();
  return session.listenerGone(CLOSED_WAIT_MS);
}

/** Long after naught's session has ended (its close takes a millisecond or two). */
const CLOSE_DELAY_MS = 250;
const CLOSED_WAIT_MS = 3000;

/**
 * Runs on top of whatever the worker's JavaScript is doing (the interrupt's frame sits
 * above it): the stack's frames, and node's diagnostic report with that stack, without
 * the environment's variables (secrets, which naught does not copy into files).
 * Its own frames are named by sourceURL and left out.
 */
const OWN_SOURCE = 'naught:stack';
const STACK_EXPRESSION = `(() => {
  const { stackTraceLimit, prepareStackTrace } = Error;
  const report = process.report;
  const excludeEnv = report.excludeEnv;
  try {
    Error.stackTraceLimit = 60;
    Error.prepareStackTrace = (_, sites) => sites.map((site) => ({
      fn: site.getFunctionName() ?? '', file: site.getScriptNameOrSourceURL() ?? '', line: site.getLineNumber() ?? 0, column: site.getColumnNumber() ?? 0,
    }));
    const held = {};
    Error.captureStackTrace(held);
    const frames = held.stack.filter((frame) => frame.file !== ${JSON.stringify(OWN_SOURCE)});
    Error.prepareStackTrace = prepareStackTrace;
    const error = new Error('the stack naught took before killing this worker for not answering');
    const at = ({ fn, file, line, column }) => fn === '' ? \`\${file}:\${line}:\${column}\` : \`\${fn} (\${file}:\${line}:\${column})\`;
    error.stack = [\`Error: \${error.message}\`, ...frames.map((frame) => \`    at \${at(frame)}\`)].join('\\n');
    report.excludeEnv = true;
    return JSON.stringify({ frames, report: report.getReport(error) });
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
    Error.prepareStackTrace = prepareStackTrace;
    report.excludeEnv = excludeEnv;
  }
})()
//# sourceURL=${OWN_SOURCE}`;

/** The JavaScript stack the worker is in now, and its diagnostic report (JSON text). */
export async function takeStack(session: InspectorSession): Promise<{ frames: StackFrame[]; report: string }> {
  const value = await evaluate(session, STACK_EXPRESSION);
  const parsed = JSON.parse(value) as { frames?: unknown; report?: unknown };
  return { frames: parseFrames(parsed.frames), report: `${JSON.stringify(parsed.report, null, 2)}\n` };
}

/** node's diagnostic report of the worker now (`process.report`), as JSON text, without its environment. */
export async function takeReport(session: InspectorSession): Promise<string> {
  return evaluate(
    session,
    `(() => { const r = process.report, e = r.excludeEnv; try { r.excludeEnv = true; return JSON.stringify(r.getReport(), null, 2) + '\\n'; } finally { r.excludeEnv = e; } })()`,
  );
}

/** A CPU profile of `seconds` (V8's, as Chrome DevTools and speedscope read a .cpuprofile); cut short by `signal`. */
export async function takeProfile(session: InspectorSession, seconds: number, signal: AbortSignal): Promise<string> {
  await session.post('Profiler.enable');
  // On node 22 and 24 (V8 12 and 13) the samples of code V8 optimised before the profile began often
  // go to (program) or to a caller (seen here: a hot function 0 to 45 samples of 800 in 3 runs of 6 on 24).
  // Precise coverage makes V8 deoptimise every function (Coverage::SelectMode), so what runs hot is
  // compiled again while the profile records it (12 runs of 12 named it); node 26 needs none of it.
  const recompile = Number((await evaluate(session, 'process.versions.node')).split('.')[0]) < 26;
  if (recompile) await session.post('Profiler.startPreciseCoverage', { callCount: false, detailed: false });
  await session.post('Profiler.start');
  if (recompile) await session.post('Profiler.stopPreciseCoverage');
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, seconds * 1000);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
  const { profile } = await session.post('Profiler.stop');
  return JSON.stringify(profile);
}

/**
 * A heap snapshot, written by the worker itself into `file` (node's v8.writeHeapSnapshot,
 * which streams it out as V8 serialises it): read from there at the reader's pace, it
 * never has to sit in naught's memory or the worker's.
 */
export async function takeHeapSnapshot(session: InspectorSession, file: string): Promise<void> {
  await evaluate(session, `process.getBuiltinModule('node:v8').writeHeapSnapshot(${JSON.stringify(file)})`);
}

async function evaluate(session: InspectorSession, expression: string): Promise<string> {
  const { result, exceptionDetails } = (await session.post('Runtime.evaluate', { expression, returnByValue: true })) as {
    result?: { value?: unknown };
    exceptionDetails?: { exception?: { description?: string } };
  };
  if (exceptionDetails !== undefined || typeof result?.value !== 'string') {
    throw new Error(`its JavaScript failed to answer: ${exceptionDetails?.exception?.description?.split('\n')[0] ?? 'no text came back'}`);
  }
  return result.value;
}
