// naught as a systemd service: every event becomes the notifications systemd
// expects, read from the operation the event belongs to:
//
//   a boot or a deploy ends (not cut short by a stop)  READY=1
//   a deploy begins                                    RELOADING=1 + MONOTONIC_USEC
//   a stop begins                                      STOPPING=1
//   every event                                        STATUS=<one line>
//   every event that leaves naught waiting             EXTEND_TIMEOUT_USEC
// The last is sent only while systemd times a job of ours (the start until READY=1,
// a reload from RELOADING=1 to READY=1, the stop), never for a restart after a crash,
// so its timeouts fire once progress stops. systemd moves its watchdog deadline by EXTEND_TIMEOUT_USEC as well as the
// job's (service_extend_timeout() in src/core/service.c), so the window is short and
// never longer than the watchdog's own: a naught that wedges mid-deploy is still caught.
// A daemon sends no MAINPID=: sent while the CLI that forked it is alive, it makes
// systemd (252) mark the main pid "alien" for good, and under KillMode=mixed an
// alien main pid gets SIGKILL without the SIGTERM grace. Type=forking with
// PIDFile= names the daemon instead, once it is systemd's own child.
import type { EventSink } from '../protocol/event-sink.js';
import type { NaughtEvent, TransportName } from '../protocol/messages.js';
import { statusLine } from './status-line.js';
import { openTransport, type Message, type Transport } from './transport.js';
import { watchdogInterval } from './watchdog.js';

/** How long systemd should wait for the next sign of progress (an event) before its own timeouts apply again. */
export const PROGRESS_WINDOW_USEC = 5_000_000;

export interface SystemdOptions {
  env: NodeJS.ProcessEnv;
  /**
   * The naught systemd started when it is not this process (the CLI of a daemon or of
   * the --node-args copy, an upgrade's predecessor): WATCHDOG_PID may name it for us.
   */
  startedBy: number | null;
  report(message: string): void;
  /** A line for the operator, in naught's log as well as on its console. */
  notice(message: string): void;
}

export class Systemd implements EventSink {
  readonly name = 'systemd notifications';
  private readonly watchdog: NodeJS.Timeout | undefined;
  private readonly progressWindowUsec: number;

  /** Null when naught does not run under a service manager that listens. */
  static connect(options: SystemdOptions): Systemd | null {
    if (!options.env.NOTIFY_SOCKET) return null;
    return new Systemd(openTransport(options.env, options.report), options);
  }

  private constructor(
    private readonly transport: Transport,
    options: SystemdOptions,
  ) {
    // Said once, so an operator can tell whether the addon works (and why not).
    options.notice(transport.choice);
    const interval = watchdogInterval(options.env, options.startedBy === null ? [process.pid] : [process.pid, options.startedBy]);
    if (interval !== null) this.watchdog = setInterval(() => transport.send({ WATCHDOG: '1' }), interval);
    // The ping interval is half of WATCHDOG_USEC.
    this.progressWindowUsec = interval === null ? PROGRESS_WINDOW_USEC : Math.min(PROGRESS_WINDOW_USEC, interval * 2000);
  }

  /** Whether this naught pings the watchdog. */
  get watchdogOn(): boolean {
    return this.watchdog !== undefined;
  }

  get transportName(): TransportName {
    return this.transport.name;
  }

  event(event: NaughtEvent): void {
    const { operation } = event;
    const message: Message = {};
    if (operation?.kind === 'stop' && operation.begins) {
      message.STOPPING = '1';
    } else if (operation?.kind === 'deploy' && operation.begins && !operation.ends) {
      message.RELOADING = '1';
      // CLOCK_MONOTONIC, which systemd 253+ requires with RELOADING=1.
      message.MONOTONIC_USEC = String(process.hrtime.bigint() / 1000n);
    } else if (operation !== null && operation.kind !== 'stop' && (operation.ends === 'ready' || operation.ends === 'failed') && !operation.begins) {
      message.READY = '1';
    }
    message.STATUS = statusLine(event);
    // Something is awaited: the boot's or a deploy's workers, old ones' exits, the stop's end.
    if (event.waitingFor !== null) message.EXTEND_TIMEOUT_USEC = String(this.progressWindowUsec);
    this.transport.send(message);
  }

  /** This naught is the service's main process now: an upgrade's successor, once it has taken over. */
  async takeOver(): Promise<void> {
    this.transport.send({ MAINPID: String(process.pid), READY: '1' });
    // Out before the predecessor is told to go: systemd reads notifications before
    // SIGCHLDs, so it knows the new main pid by the time the old one exits.
    await this.transport.flush();
  }

  /** Stops the watchdog and waits for the last notifications to go out. */
  async close(): Promise<void> {
    clearInterval(this.watchdog);
    await this.transport.flush();
  }
}
