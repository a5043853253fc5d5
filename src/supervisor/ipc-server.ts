// The unix socket the naught CLI talks to. Many clients at once; each request gets
// its answer, and a client that asked to follow gets every event. What a client
// can make naught hold is bounded: the size of a message (framing.ts), the number
// of clients, the time to make a request, and the replies it leaves unread.
import { once } from 'node:events';
import net from 'node:net';
import { readFile, unlink } from 'node:fs/promises';
import { randomBytes, sameBytes } from '../host/random.js';
import { writeAtomically } from '../log/atomic-file.js';
import { encode, readMessages } from '../protocol/framing.js';
import { ownerOnly } from '../protocol/ipc-key.js';
import type { NaughtEvent, Reply, Request } from '../protocol/messages.js';
import { parseRequest } from '../protocol/requests.js';
import { PrivateSocket } from '../host/private-socket.js';

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
/** The key's length (protocol/ipc-key.ts). */
const KEY_BYTES = 32;
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
  /** With --ipc-group: the key naught's user and root show (protocol/ipc-key.ts), and its file. */
  private key: { file: string; value: Buffer } | null = null;
  private handedOver = false;

  /**
   * Listens at once; requests are read only after serve(). Whoever can connect
   * can deploy and stop, so the socket is the owner's alone (0600), or also its
   * `group`'s (0660), whatever the umask.
   */
  static async listen(file: string, group: number | null, key: { file: string; inherited: boolean } | null): Promise<IpcServer> {
    const ipc = new IpcServer();
    ipc.socketFile = await PrivateSocket.listen(ipc.server, file, group);
    try {
      if (key !== null) ipc.key = { file: key.file, value: await ownerKey(key.file, key.inherited) };
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

  /** Puts the socket, bound at `from`, at `file` for clients (upgrade.ts); see PrivateSocket. */
  moveTo(from: string, file: string): Promise<void> {
    return this.socketFile.moveTo(from, file);
  }

  /** The socket's path (and its key) is another naught's now; see PrivateSocket. */
  handOver(): void {
    this.handedOver = true;
    this.socketFile.handOver();
  }

  /** Stops listening (which removes the socket file and its key file) and ends every client once its replies are sent. */
  async close(): Promise<void> {
    const closed = this.socketFile.close();
    for (const { socket } of this.connections) socket.end(() => socket.destroy());
    await closed;
    if (this.key !== null && !this.handedOver) await removeKey(this.key.file, this.key.value);
  }

  /** The request came with our key: naught's user or root sent it (or no group shares the socket). */
  private fromOwner(message: unknown): boolean {
    if (this.key === null) return true;
    const sent = (message as { key?: unknown }).key;
    // Text that is not hex decodes short, and is refused as any other wrong key.
    return typeof sent === 'string' && sameBytes(Buffer.from(sent, 'hex'), this.key.value);
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
          const forOwner = this.fromOwner(message) ? null : ownerOnly(request);
          if (forOwner !== null) return refuse(forOwner);
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

/** A successor (naught upgrade) keeps its predecessor's key, so a client never holds a stale one; a first start makes one. */
async function ownerKey(file: string, inherited: boolean): Promise<Buffer> {
  if (inherited) {
    const kept = Buffer.from((await readFile(file, 'utf8').catch(() => '')).trim(), 'hex');
    if (kept.length === KEY_BYTES) return kept;
  }
  const key = randomBytes(KEY_BYTES);
  await writeAtomically(file, `${key.toString('hex')}\n`, 0o600);
  return key;
}

/** Removes the key file while it still holds `key`: a newer naught may have made its own. */
async function removeKey(file: string, key: Buffer): Promise<void> {
  const now = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (now === key.toString('hex')) await unlink(file).catch(() => {});
}
