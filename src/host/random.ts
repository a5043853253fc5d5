// Random bytes and a constant-time comparison without node:crypto: loading it starts
// OpenSSL, which cost the supervisor 4.5 MB of resident memory (Node 26) for the few
// dozen random bytes it needs (an ipc key, temporary file names).
import { closeSync, openSync, readSync } from 'node:fs';

/** `count` bytes from the kernel's random source (what node:crypto's randomBytes seeds from). */
export function randomBytes(count: number): Buffer {
  const bytes = Buffer.alloc(count);
  const fd = openSync('/dev/urandom', 'r');
  try {
    for (let filled = 0; filled < count; ) filled += readSync(fd, bytes, filled, count - filled, null);
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/** Whether `a` and `b` hold the same bytes, in a time that depends on their length only. */
export function sameBytes(a: Buffer, b: Buffer): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i += 1) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}
