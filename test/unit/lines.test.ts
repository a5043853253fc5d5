import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { lineStream, MAX_LINE_BYTES } from '../../src/log/lines.js';

/** Each chunk the line stream passes on, as its consumer sees it. */
function cut(chunks: Array<string | Buffer>): Promise<string[]> {
  const out: string[] = [];
  const lines = Readable.from(chunks.map((c) => Buffer.from(c))).pipe(lineStream());
  lines.on('data', (chunk: Buffer) => out.push(chunk.toString()));
  return new Promise((resolve, reject) => {
    lines.on('end', () => resolve(out));
    lines.on('error', reject);
  });
}

describe('lineStream', () => {
  test('passes on only whole lines, joining lines split across chunks', async () => {
    expect(await cut(['a\nb', 'c\nd', 'e', '\n'])).toEqual(['a\n', 'bc\n', 'de\n']);
  });

  test('several lines in one chunk stay one chunk', async () => {
    expect(await cut(['a\nb\nc\n'])).toEqual(['a\nb\nc\n']);
  });

  test('a last line without a newline is ended with one', async () => {
    expect(await cut(['a\nlast'])).toEqual(['a\n', 'last\n']);
  });

  test('a multi-byte character split across chunks is kept whole', async () => {
    const bytes = Buffer.from('é\n');
    expect(await cut([bytes.subarray(0, 1), bytes.subarray(1)])).toEqual(['é\n']);
  });

  test('an endless line is cut at MAX_LINE_BYTES instead of being held whole', async () => {
    const out = await cut([Buffer.alloc(MAX_LINE_BYTES, 'x'), 'tail\n']);
    expect(out.map((chunk) => chunk.length)).toEqual([MAX_LINE_BYTES + 1, 5]);
  });
});
