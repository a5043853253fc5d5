// When a Node process forked naught with an IPC channel (a test harness, or the
// naught CLI waiting for its daemon), every event goes to that parent too, as 1.x did.
import type { ParentMessage } from '../protocol/messages.js';

export function sendToParent(message: ParentMessage): void {
  if (process.send === undefined || !process.connected) return;
  process.send(message, () => {
    // A parent that stopped listening is not an error of ours.
  });
}
