// One JSON value per line over a stream socket, with a size limit so a peer can
// never make the other side buffer without bound.
import { StringDecoder } from 'node:string_decoder';

/** Large enough for a deploy that carries a whole environment. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

export class FramingError extends Error {}

/** A net.Socket, or the CLI's socket without node:net. */
export interface MessageSource {
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  readonly destroyed: boolean;
}

export function encode(message: unknown): string {
  return `${JSON.stringify(message)}\n`;
}

/** Calls `onMessage` for each complete line; calls `onError` once and stops on a bad frame. */
export function readMessages(
  socket: MessageSource,
  onMessage: (message: unknown) => void,
  onError: (error: FramingError) => void,
): void {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let failed = false;
  socket.on('data', (chunk: Buffer) => {
    if (failed) return;
    pending += decoder.write(chunk);
    let newline: number;
    while ((newline = pending.indexOf('\n')) !== -1) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (line.trim() === '') continue;
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        failed = true;
        onError(new FramingError('malformed message: not JSON'));
        return;
      }
      onMessage(message);
      if (socket.destroyed) return;
    }
    if (Buffer.byteLength(pending) > MAX_MESSAGE_BYTES) {
      failed = true;
      onError(new FramingError(`message larger than ${MAX_MESSAGE_BYTES} bytes`));
    }
  });
}
