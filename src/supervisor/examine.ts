// naught report, profile and heap-snapshot, on naught's side: the primary takes the
// file's content from the worker (cluster/worker-diagnostics.ts), and it goes to the
// client piece by piece, each once the client has read the last. The client writes the
// file as its own user: naught writes nowhere a client names.
import path from 'node:path';
import type { Primary } from '../cluster/primary.js';
import { residentBytes } from '../host/process-usage.js';
import type { ExamineRequest } from '../protocol/messages.js';
import type { Client } from './ipc-server.js';

/** Answers an examine request; never rejects. */
export async function serveExamination(request: ExamineRequest, client: Client, primary: Primary): Promise<void> {
  // The client names the file for the app: the script of the release that runs.
  const { script } = primary.detail().releases.current;
  // A client that goes away ends a profile early and stops the rest.
  const gone = new AbortController();
  void client.closed.then(() => gone.abort());
  try {
    await primary.examine(request.worker, {
      kind: request.kind,
      seconds: request.profileMs / 1000,
      signal: gone.signal,
      begin: (pid) => client.send({ type: 'examining', app: path.basename(script, path.extname(script)), pid, memoryBytes: residentBytes(pid) }),
      write: (text) => client.sendPaced({ type: 'piece', text }),
    });
    client.send({ type: 'examined' });
  } catch (error) {
    client.send({ type: 'error', message: (error as Error).message });
  }
  client.end();
}
