// A small file naught writes for others to read (the pid file, the ipc key): written
// beside its place under a name no one else can take first, then renamed over it, so
// a reader never sees it half written and a symlink planted at the path is replaced,
// not followed.
import { rename, unlink, writeFile } from 'node:fs/promises';
import { randomBytes } from '../host/random.js';

export async function writeAtomically(file: string, text: string, mode: number): Promise<void> {
  const temporary = `${file}.${randomBytes(8).toString('hex')}.new`;
  try {
    await writeFile(temporary, text, { flag: 'wx', mode });
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw error;
  }
}
