// V8's settings for naught's long-lived processes: the supervisor, `naught logs --follow`.
// Given on node's command line, they hold from its first compile: a foreground start runs
// itself again with them (process.execve: the same pid), and the supervisors naught spawns
// (a daemon, the copy --node-args runs, an upgrade's successor) get them when spawned.
// Where execve would lose what this process holds besides stdio, they are set at run
// time instead, which is later and loads node:v8 (1.9 MB resident on Node 26).

/**
 * No optimising compiler: the supervisor's code is not hot enough to repay one, and
 * TurboFan's machine code, paged in for a few of node's own functions at start, was
 * 4.5 MB resident on Node 26. The baseline compiler stays (without it a log flood from 4
 * workers cost the supervisor a quarter more CPU, for 0.5 MB), but on the main thread:
 * with no compile job on V8's background threads, Node 22–26 cannot deadlock at exit
 * while one waits for a garbage collection that the exiting main thread never runs
 * (nodejs/node#54918; seen here as a naught that logged its Shutdown and never exited).
 */
export const ENGINE_FLAGS: readonly string[] = ['--no-opt', '--no-maglev', '--no-concurrent-sparkplug'];

/** `execArgv` with the engine flags it lacks. */
export function withEngineFlags(execArgv: readonly string[]): string[] {
  return [...execArgv, ...ENGINE_FLAGS.filter((flag) => !execArgv.includes(flag))];
}

/**
 * Makes this process run with ENGINE_FLAGS: already so, or exec'd again with them (this
 * call then never returns), or, where execve would lose a channel to a Node parent or the
 * sockets of the service manager, set now. Called before anything is opened or said.
 */
export function settleEngine(): void {
  if (ENGINE_FLAGS.every((flag) => process.execArgv.includes(flag))) return;
  // node's execve (22.15 on) keeps stdio only: an ipc channel, LISTEN_FDS' sockets would be closed.
  if (process.execve !== undefined && process.channel === undefined && process.env.LISTEN_FDS === undefined) {
    try {
      process.execve(process.execPath, [process.execPath, ...withEngineFlags(process.execArgv), ...process.argv.slice(1)], process.env);
    } catch {
      // node's file is gone or changed under it (a package upgrade): this process goes on as it is.
    }
  }
  // Compiler flags only: V8 reads them at each compile (its collector's must be set before it starts).
  const { setFlagsFromString } = process.getBuiltinModule('node:v8');
  for (const flag of ENGINE_FLAGS) setFlagsFromString(flag);
}
