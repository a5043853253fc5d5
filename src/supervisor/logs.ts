// `naught logs`, on naught's side: it reads the workers' log files for the client
// (whose user may reach the ipc socket through --ipc-group without being able to read
// the files), their last lines and then, with follow, every line written after them,
// across rotations (log/follow.ts).
import { closeSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { Follower, lastLines, openWritten, readRange } from '../log/follow.js';
import type { LogTarget, Sink } from '../log/sinks.js';
import type { LogsRequest, OutputStream } from '../protocol/messages.js';
import type { Client } from './ipc-server.js';

/** The most text one reply carries: history is sent in pieces, each waiting for the client to read. */
const PIECE_BYTES = 64 * 1024;

/** Where each of the workers' streams goes, as given, and the sink that writes it (null for none). */
export type OutputLogs = Record<OutputStream, { target: LogTarget; sink: Sink | null }>;

/** Answers a logs request: the lines, and with follow, new ones until the client goes or naught stops. Never rejects. */
export async function serveLogs(request: LogsRequest, client: Client, logs: OutputLogs): Promise<void> {
  const fail = (error: Error): void => {
    client.send({ type: 'error', message: `cannot read the log: ${error.message}` });
    client.end();
  };
  try {
    await serve(request, client, logs, fail);
  } catch (error) {
    fail(error as Error);
  }
}

async function serve(request: LogsRequest, client: Client, logs: OutputLogs, fail: (error: Error) => void): Promise<void> {
  // The streams asked for that go to a file; the others are said to be elsewhere only when none does.
  const files = request.streams.flatMap((stream) => {
    const watchFiles = logs[stream].sink?.watchFiles;
    return watchFiles === undefined ? [] : [{ stream, watchFiles }];
  });
  if (files.length === 0) {
    const where = request.streams.map((stream) => `--${stream} ${logs[stream].target.kind === 'console' ? '-' : '/dev/null'}`).join(', ');
    client.send({ type: 'error', message: `the workers' ${request.streams.join(' and ')} go to no log file (${where})` });
    return client.end();
  }
  const followers: Follower[] = [];
  const watches: Array<{ stop(): void }> = [];
  try {
    for (const { stream, watchFiles } of files) {
      // Each file the writer moves to, opened at that moment, for the follower once it has one.
      const moved: number[] = [];
      let follower: Follower | null = null;
      const watch = watchFiles((fd) => {
        const ours = openWritten(fd);
        if (follower === null) moved.push(ours);
        else follower.next(ours);
      });
      if (request.follow) watches.push(watch);
      else watch.stop();
      if (watch.fd === null) throw new Error(`the workers' ${stream} log cannot be written now`);
      const fd = openWritten(watch.fd);
      const decoder = new StringDecoder('utf8');
      let followed = false;
      try {
        const { start, end } = await lastLines(fd, request.lines);
        const send = (text: Buffer): Promise<void> => sendPieces(client, stream, decoder, text);
        // Streamed, each piece once the client has read the last: any --lines costs naught a block.
        await readRange(fd, start, end, send);
        if (request.follow) {
          follower = new Follower(fd, end, send, fail);
          followers.push(follower);
          followed = true;
          for (const next of moved.splice(0)) follower.next(next);
        }
      } finally {
        // A follower owns its fds, and closes them.
        if (!followed) for (const own of [fd, ...moved.splice(0)]) closeSync(own);
      }
    }
    if (!request.follow) {
      client.send({ type: 'log-end' });
      return client.end();
    }
    await client.closed;
  } finally {
    for (const watch of watches) watch.stop();
    for (const follower of followers) follower.stop();
    await Promise.all(followers.map((follower) => follower.done));
  }
}

/**
 * Sends `text` in pieces of at most PIECE_BYTES, cut after a newline where there is
 * one (a line can be up to 1 MiB), each sent once the client has read most of the last.
 * `decoder` keeps a character cut in two whole.
 */
async function sendPieces(client: Client, stream: OutputStream, decoder: StringDecoder, text: Buffer): Promise<void> {
  for (let start = 0; start < text.length; ) {
    let end = Math.min(text.length, start + PIECE_BYTES);
    const newline = end < text.length ? text.lastIndexOf(10, end - 1) : -1;
    if (newline >= start) end = newline + 1;
    await client.sendPaced({ type: 'log', stream, text: decoder.write(text.subarray(start, end)) });
    start = end;
  }
}
