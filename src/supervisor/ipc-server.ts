// The unix socket the naught CLI talks to. Many clients at once; each request gets
// its answer, and a client that asked to follow gets every event. What a client
// can make naught hold is bounded: the size of a message (framing.ts), the number
// of clients, the time to make a request, and the replies it leaves unread.
import { chmod, chown, rename, stat, unlink } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { encode, readMessages } from '../protocol/framing.js';
import type { NaughtEvent, Reply, Request } from '../protocol/messages.js';
import { parseRequest } from '../protocol/requests.js';
import { ensureDirectory } from './directory.js';

export interface Client {
  send(reply: Reply): void;
  /** From now on, every event goes to this client too. */
  follow(): void;
}

export type RequestHandler = (request: Request, client: Client) => void;

/** Clients at once; more are turned away (a CLI makes one, a healthcheck one more). */
export const MAX_CLIENTS = 100;
/** A client that has not made a whole request by then is let go. */
export const REQUEST_DEADLINE_MS = 5000;
/** Replies waiting for a client that does not read them; beyond this it is let go. */
export const MAX_UNREAD_BYTES = 1024 * 1024;

interface Connection extends Client {
  following: boolean;
  socket: net.Socket;
}

export class IpcServer {
  private readonly connections = new Set<Connection>();
  private handler: RequestHandler | null = null;
  /** Connections accepted before serve(); their requests wait in the socket. */
  private readonly held: Array<() => void> = [];
  /** Where the socket is now, when it was moved there after bind (moveTo), and its inode, to remove it only while it is ours. */
  private moved: { file: string; inode: number } | null = null;
  /** Another naught serves the socket's path now: ours must not be closed (closing unlinks the path it was bound at). */
  private handedOver = false;

  /**
   * Listens at once; requests are read only after serve(). Whoever can connect
   * can deploy and stop, so the socket is the owner's alone (0600), or also its
   * `group`'s (0660), whatever the umask.
   */
  static async listen(file: string, group: number | null): Promise<IpcServer> {
    const mode = group === null ? 0o600 : 0o660;
    await ensureDirectory(path.dirname(file), group === null ? 0o700 : 0o750);
    const ipc = new IpcServer();
    await new Promise<void>((resolve, reject) => {
      ipc.server.once('error', reject);
      // The socket file is made by bind(), inside listen(): born with no access for
      // others, it is never open to them, not even for a moment.
      const umask = process.umask(0o177);
      try {
        ipc.server.listen(file, () => {
          ipc.server.off('error', reject);
          resolve();
        });
      } finally {
        process.umask(umask);
      }
    });
    try {
      if (group !== null) await chown(file, -1, group);
      await chmod(file, mode);
    } catch (error) {
      await ipc.close();
      throw error;
    }
    return ipc;
  }

  private readonly server = net.createServer((socket) => this.accept(socket));

  private constructor() {
    this.server.maxConnections = MAX_CLIENTS;
  }

  serve(handler: RequestHandler): void {
    this.handler = handler;
    for (const read of this.held.splice(0)) read();
  }

  broadcast(event: NaughtEvent): void {
    for (const connection of this.connections) {
      if (connection.following) connection.send({ type: 'event', ...event });
    }
  }

  /**
   * Puts the socket, bound at `from`, at `file` for clients: a rename, atomic, so a
   * client finds the one socket or the other (upgrade.ts). It is removed from there at close.
   */
  async moveTo(from: string, file: string): Promise<void> {
    const { ino } = await stat(from);
    await rename(from, file);
    this.moved = { file, inode: ino };
  }

  /**
   * The socket's path is another naught's now: from here on, close() ends the
   * clients but leaves the socket open until this process exits, since closing it
   * would remove the path (libuv unlinks where a unix socket was bound).
   */
  handOver(): void {
    this.handedOver = true;
  }

  /** Stops listening (which removes the socket file) and ends every client once its replies are sent. */
  async close(): Promise<void> {
    const closed = this.handedOver ? Promise.resolve() : new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const { socket } of this.connections) socket.end(() => socket.destroy());
    await closed;
    if (this.moved !== null && !this.handedOver) {
      const now = await stat(this.moved.file).catch(() => null);
      if (now?.ino === this.moved.inode) await unlink(this.moved.file).catch(() => {});
    }
  }

  private accept(socket: net.Socket): void {
    const connection: Connection = {
      following: false,
      socket,
      send: (reply) => {
        if (!socket.writable) return;
        socket.write(encode(reply));
        if (socket.writableLength > MAX_UNREAD_BYTES) socket.destroy();
      },
      follow: () => {
        connection.following = true;
      },
    };
    this.connections.add(connection);
    // A client that goes away mid-reply is its own business.
    socket.on('error', () => {});
    socket.on('close', () => this.connections.delete(connection));
    socket.setTimeout(REQUEST_DEADLINE_MS, () => socket.destroy());
    const refuse = (message: string): void => {
      connection.send({ type: 'error', message });
      // Once the error is out, nothing more is read from this peer.
      socket.end(() => socket.destroy());
    };
    const read = (): void =>
      readMessages(
        socket,
        (message) => {
          const request = parseRequest(message);
          if (typeof request === 'string') return refuse(request);
          // It asked in time; a deploy it follows may take as long as it takes.
          socket.setTimeout(0);
          this.handler?.(request, connection);
        },
        (error) => refuse(error.message),
      );
    if (this.handler === null) this.held.push(read);
    else read();
  }
}
