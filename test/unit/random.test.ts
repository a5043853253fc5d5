import { describe, expect, test } from 'vitest';
import { randomBytes, sameBytes } from '../../src/host/random.js';

describe('random bytes without node:crypto', () => {
  test('gives as many bytes as asked, and not the same twice', () => {
    const [a, b] = [randomBytes(32), randomBytes(32)];
    expect([a.length, b.length]).toEqual([32, 32]);
    expect(a.equals(b)).toBe(false);
    expect(randomBytes(0).length).toBe(0);
  });

  test('compares bytes, and refuses buffers of another length', () => {
    expect(sameBytes(Buffer.from('abc'), Buffer.from('abc'))).toBe(true);
    expect(sameBytes(Buffer.from('abc'), Buffer.from('abd'))).toBe(false);
    expect(sameBytes(Buffer.from('zz', 'hex'), Buffer.from('ab'))).toBe(false);
    expect(sameBytes(Buffer.alloc(0), Buffer.alloc(0))).toBe(true);
  });
});
