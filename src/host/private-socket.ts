// A unix socket file only naught's user (and maybe one group) may connect to: the
// ipc socket, and the metrics endpoint when it is a path. A successor (naught
// upgrade) binds its own beside the file and moves it into place when it takes
// over; the socket it replaced is then left open, unreachable, until its naught exits.
import { chmod, chown, rename, stat, unlink } from 'node:fs/promises';
import type net from 'node:net';
import path from 'node:path';
import { ensureDirectory } from '../log/directory.js';

/**
 * Where a successor binds its own `kind` of socket for `file` until it takes the file
 * over: beside it, short (a socket path has 107 bytes), under the random `tag` its
 * predecessor gave it, a name no one else can take first (in /tmp, say).
 */
export function besideFor(file: string, tag: string, kind: 'ipc' | 'metrics'): string {
  return path.join(path.dirname(file), `.${tag}.${kind}`);
}

export class PrivateSocket {
  /** Where the socket is now, when it was moved there after bind (moveTo), and its inode, to remove it only while it is ours. */
  private moved: { file: string; inode: number } | null = null;
  /** Another naught serves the socket's path now: ours must not be closed (closing unlinks the path it was bound at). */
  private handedOver = false;

  private constructor(private readonly server: net.Server) {}

  /**
   * `server` listens at `file`, mode 0600, or 0660 with `group`'s members, whatever the
   * umask; the directory is made (0700 or 0750) when missing. On failure nothing is left open.
   */
  static async listen(server: net.Server, file: string, group: number | null): Promise<PrivateSocket> {
    await ensureDirectory(path.dirname(file), group === null ? 0o700 : 0o750, group);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      // The socket file is made by bind(), inside listen(): born with no access for
      // others, it is never open to them, not even for a moment.
      const umask = process.umask(0o177);
      try {
        server.listen(file, () => {
          server.off('error', reject);
          resolve();
        });
      } finally {
        process.umask(umask);
      }
    });
    const socket = new PrivateSocket(server);
    try {
      if (group !== null) await chown(file, -1, group);
      await chmod(file, group === null ? 0o600 : 0o660);
    } catch (error) {
      await socket.close();
      throw error;
    }
    return socket;
  }

  /** Puts the socket, bound at `from`, at `file`: a rename, atomic, so a client finds the one socket or the other. It is removed from there at close. */
  async moveTo(from: string, file: string): Promise<void> {
    const { ino } = await stat(from);
    await rename(from, file);
    this.moved = { file, inode: ino };
  }

  /**
   * The socket's path is another naught's now: close() leaves the socket open until
   * this process exits, since closing it would remove the path (libuv unlinks where a
   * unix socket was bound); clients no longer find it there.
   */
  handOver(): void {
    this.handedOver = true;
  }

  /** Stops listening and removes the socket file, unless another naught's socket is there now. Clients are the caller's to end. */
  async close(): Promise<void> {
    if (this.handedOver) return;
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (this.moved === null) return;
    const now = await stat(this.moved.file).catch(() => null);
    if (now?.ino === this.moved.inode) await unlink(this.moved.file).catch(() => {});
  }
}
