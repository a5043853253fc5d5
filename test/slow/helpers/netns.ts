// A network namespace of the test's own (`ip netns add`), so that what podman's CNI
// bridge or a fleet's links set up (interfaces, addresses, firewall rules) never
// touches the machine's own network.
import { execFileSync } from 'node:child_process';

let made = 0;

export class NetworkNamespace {
  private constructor(readonly name: string) {}

  static create(label: string): NetworkNamespace {
    made += 1;
    const name = `naught-${label}-${process.pid}-${made}`;
    execFileSync('ip', ['netns', 'add', name]);
    execFileSync('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
    return new NetworkNamespace(name);
  }

  /** Its file, for `nsenter --net=`. */
  get file(): string {
    return `/run/netns/${this.name}`;
  }

  /** `command` run in this namespace only (not `ip netns exec`, which remounts /sys and hides the cgroups). */
  wrap(command: string[]): string[] {
    return ['nsenter', `--net=${this.file}`, ...command];
  }

  remove(): void {
    execFileSync('ip', ['netns', 'delete', this.name]);
  }
}
