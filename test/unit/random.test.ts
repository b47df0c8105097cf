// randomBytes (src/util/bytes.ts) draws small requests from a 4 KiB pool:
// every byte handed out must be fresh — no two draws may overlap, across
// pool refills too — and sizes on both sides of the pooling limit work.
import { describe, expect, it } from 'vitest';
import { randomBytes } from '../../src/util/bytes.js';

describe('randomBytes', () => {
  it('never hands out the same bytes twice, across many pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const n = [16, 32, 64, 200, 256][i % 5]!;
      const b = randomBytes(n);
      expect(b.length).toBe(n);
      const hex = Buffer.from(b).toString('hex');
      expect(seen.has(hex)).toBe(false);
      seen.add(hex);
      // Any 16-byte window repeating across draws would mean reused pool bytes.
      for (let o = 0; o + 16 <= n; o += 16) {
        const w = hex.slice(2 * o, 2 * o + 32);
        expect(seen.has(`w${w}`)).toBe(false);
        seen.add(`w${w}`);
      }
    }
  });
  it('serves sizes above the pool limit and zero bytes', () => {
    expect(randomBytes(0).length).toBe(0);
    const big = randomBytes(70_000);
    expect(big.length).toBe(70_000);
    expect(big.some((x) => x !== 0)).toBe(true);
    expect(randomBytes(257).length).toBe(257);
  });
  it('returns copies the caller may wipe without touching later draws', () => {
    const a = randomBytes(32);
    a.fill(0);
    const b = randomBytes(32);
    expect(b.some((x) => x !== 0)).toBe(true);
  });
});
