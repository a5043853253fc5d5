// A fake NOTIFY_SOCKET: every datagram naught sends, with its sender's pid.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { until } from './processes.js';

export interface Notification {
  pid: number;
  /** The fields of the datagram, e.g. { READY: '1', STATUS: '2 workers online' }. */
  fields: Record<string, string>;
  /** When it arrived, in milliseconds on the listener's monotonic clock. */
  at: number;
}

export class NotifyListener {
  readonly received: Notification[] = [];
  /** BARRIER=1 datagrams: systemd-notify sends one after each message, sd_notify() never does. */
  barriers = 0;
  private readonly child: ChildProcess;
  private listening = false;

  /** `address` is a path, or `@name` for an abstract socket. */
  constructor(readonly address: string) {
    this.child = spawn('python3', [path.resolve('test/helpers/notify-listener.py'), address], { stdio: ['ignore', 'pipe', 'inherit'] });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      const parsed = JSON.parse(line) as { listening?: string; pid?: number; message?: string; at?: number };
      if (parsed.listening !== undefined) {
        this.listening = true;
        return;
      }
      const fields: Record<string, string> = {};
      for (const assignment of parsed.message!.split('\n')) {
        const equals = assignment.indexOf('=');
        if (equals > 0) fields[assignment.slice(0, equals)] = assignment.slice(equals + 1);
      }
      // systemd-notify's BARRIER=1 only asks when the manager has read what came before.
      if (Object.keys(fields).join() === 'BARRIER') {
        this.barriers += 1;
        return;
      }
      this.received.push({ pid: parsed.pid!, fields, at: parsed.at! });
    });
  }

  ready(): Promise<void> {
    return until(() => this.listening, 'the notify listener to bind');
  }

  /** Waits for a notification from index `from` on that has `field` (with `value`, if given). */
  async waitFor(field: string, value?: string, from = 0): Promise<Notification> {
    const match = (n: Notification): boolean => field in n.fields && (value === undefined || n.fields[field] === value);
    await until(() => this.received.slice(from).some(match), `a notification with ${field}${value === undefined ? '' : `=${value}`}`);
    return this.received.slice(from).find(match)!;
  }

  /** The notifications that carry `field`, from index `from` on. */
  with(field: string, from = 0): Notification[] {
    return this.received.slice(from).filter((n) => field in n.fields);
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill();
    await exited;
  }
}
