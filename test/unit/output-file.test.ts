// The file `naught report`, `profile` and `heap-snapshot` write (cli/output-file.ts), on
// real files and a real full device: a failure is said once, in the words of the write
// that failed, however the stream's events fall.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { OutputFile } from '../../src/cli/output-file.js';

const ENOSPC = 'ENOSPC: no space left on device, write';

describe('OutputFile', () => {
  let dir = '';
  beforeEach(() => void (dir = mkdtempSync(path.join(tmpdir(), 'naught-output-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('a file written whole is kept', async () => {
    const said: string[] = [];
    const file = new OutputFile(path.join(dir, 'report.json'), (why) => said.push(why));
    file.stream.write('{"a":1}');
    expect(await file.close()).toBe(true);
    expect(readFileSync(file.path, 'utf8')).toBe('{"a":1}');
    expect(said).toEqual([]);
  });

  test('a write that fails (ENOSPC) is said once, also when the file is closed before its error is emitted; a device is left alone', async () => {
    for (let round = 0; round < 20; round += 1) {
      const said: string[] = [];
      const file = new OutputFile('/dev/full', (why) => said.push(why));
      file.stream.write('x'.repeat(1000));
      // The write has failed and destroyed the stream; its 'error' waits for the fd to close.
      while (file.stream.errored === null) await new Promise((resolve) => setImmediate(resolve));
      expect(await file.close()).toBe(false);
      file.remove();
      expect(said).toEqual([ENOSPC]);
    }
  });

  test('closed while the failing write is still under way: the same one line', async () => {
    const said: string[] = [];
    const file = new OutputFile('/dev/full', (why) => said.push(why));
    file.stream.write('x'.repeat(1000));
    expect(await file.close()).toBe(false);
    file.remove();
    expect(said).toEqual([ENOSPC]);
  });
});
