// Whether a directory is safe for naught's files, by its owner and mode: naught's user's
// or root's, and writable by no one else unless sticky (/tmp), where no one may rename
// or remove what is not theirs (as OpenSSH checks its key files' paths). One rule for
// every path naught keeps a file on: the ipc socket, pid file and logs (log/directory.ts),
// and the compile cache (compile-cache.ts).

/** What makes a directory unsafe: another user owns it, or others may write it; null when it is safe. */
export function directoryRisk(stats: { uid: number; mode: number }, me: number): 'owner' | 'writable' | null {
  const sticky = (stats.mode & 0o1000) !== 0;
  if (stats.uid !== me && stats.uid !== 0) return 'owner';
  if ((stats.mode & 0o022) !== 0 && !sticky) return 'writable';
  return null;
}
