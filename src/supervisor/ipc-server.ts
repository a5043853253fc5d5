// The unix socket the naught CLI talks to. Many clients at once; each request gets
// its answer, and a client that asked to follow gets every event. What a client
// can make naught hold is bounded: the size of a message (framing.ts), the number
// of clients, the time to make a request, and the replies it leaves unread.
import { once } from 'node:events';
import net from 'node:net';
import { encode, readMessages } from '../protocol/framing.js';
import type { NaughtEvent, Reply, Request } from '../protocol/messages.js';
import { parseRequest } from '../protocol/requests.js';
import { PrivateSocket } from './private-socket.js';

export interface Client {
  send(reply: Reply): void;
  /** Sends `reply`, and resolves once the client has read enough of what it was sent (PACED_BYTES), or is gone. */
  sendPaced(reply: Reply): Promise<void>;
  /** From now on, every event goes to this client too. */
  follow(): void;
  /** Ends the connection once everything sent is out. */
  end(): void;
  /** Resolves when the connection is closed, by either side. */
  readonly closed: Promise<void>;
}

export type RequestHandler = (request: Request, client: Client) => void;

/** Clients at once; more are turned away (a CLI makes one, a healthcheck one more). */
export const MAX_CLIENTS = 100;
/**
 * Of them, the most that may hold on to naught (follow a deploy or a stop, follow the
 * logs): the others are kept for short requests, so `naught status` always gets in.
 */
export const MAX_HOLDING = MAX_CLIENTS - 10;
/** A client that has not made a whole request by then is let go; so is one that was answered and asks nothing more. */
export const REQUEST_DEADLINE_MS = 5000;
/** Replies waiting for a client that does not read them; beyond this it is let go. */
export const MAX_UNREAD_BYTES = 1024 * 1024;
/** What a paced sender (naught logs) may leave unread before it waits: well below MAX_UNREAD_BYTES. */
const PACED_BYTES = 64 * 1024;

interface Connection extends Client {
  following: boolean;
  /** It asked for what lasts (holdsOn): its deadline is off. */
  holding: boolean;
  socket: net.Socket;
}

/** A request whose answer lasts: a deploy, a stop or an upgrade followed to its end, the logs followed. */
function holdsOn(request: Request): boolean {
  if (request.action === 'status') return false;
  return request.action !== 'logs' || request.follow;
}

export class IpcServer {
  private readonly connections = new Set<Connection>();
  private handler: RequestHandler | null = null;
  /** Connections accepted before serve(); their requests wait in the socket. */
  private readonly held: Array<() => void> = [];
  /** Set by listen(), before anyone has the server. */
  private socketFile!: PrivateSocket;

  /**
   * Listens at once; requests are read only after serve(). Whoever can connect
   * can deploy and stop, so the socket is the owner's alone (0600), or also its
   * `group`'s (0660), whatever the umask.
   */
  static async listen(file: string, group: number | null): Promise<IpcServer> {
    const ipc = new IpcServer();
    ipc.socketFile = await PrivateSocket.listen(ipc.server, file, group);
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

  /** Puts the socket, bound at `from`, at `file` for clients (upgrade.ts); see PrivateSocket. */
  moveTo(from: string, file: string): Promise<void> {
    return this.socketFile.moveTo(from, file);
  }

  /** The socket's path is another naught's now; see PrivateSocket. */
  handOver(): void {
    this.socketFile.handOver();
  }

  /** Stops listening (which removes the socket file) and ends every client once its replies are sent. */
  async close(): Promise<void> {
    const closed = this.socketFile.close();
    for (const { socket } of this.connections) socket.end(() => socket.destroy());
    await closed;
  }

  private holding(): number {
    let count = 0;
    for (const connection of this.connections) if (connection.holding) count += 1;
    return count;
  }

  private accept(socket: net.Socket): void {
    const connection: Connection = {
      following: false,
      holding: false,
      socket,
      send: (reply) => {
        if (!socket.writable) return;
        socket.write(encode(reply));
        if (socket.writableLength > MAX_UNREAD_BYTES) socket.destroy();
      },
      sendPaced: async (reply) => {
        connection.send(reply);
        while (!socket.destroyed && socket.writableLength > PACED_BYTES) await Promise.race([once(socket, 'drain').catch(() => {}), connection.closed]);
      },
      follow: () => {
        connection.following = true;
      },
      end: () => {
        socket.end(() => socket.destroy());
      },
      closed: new Promise((resolve) => socket.once('close', () => resolve())),
    };
    this.connections.add(connection);
    // A client that goes away mid-reply is its own business.
    socket.on('error', () => {});
    socket.on('close', () => this.connections.delete(connection));
    // Re-armed after each answer that does not last: a client that was answered and stays is let go too.
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
          if (holdsOn(request) && !connection.holding) {
            if (this.holding() >= MAX_HOLDING) return refuse(`naught has ${MAX_HOLDING} clients that follow it already; try again once one is done`);
            connection.holding = true;
            // A deploy it follows may take as long as it takes.
            socket.setTimeout(0);
          }
          this.handler?.(request, connection);
        },
        (error) => refuse(error.message),
      );
    if (this.handler === null) this.held.push(read);
    else read();
  }
}
