// X25519 known answers on the wasm core: RFC 7748 §5.2 (both vectors and the
// iterated one, 1 and 1,000 rounds), the §6.1 Diffie-Hellman example, and
// every Wycheproof x25519 case. Our function computes the RFC 7748 shared
// secret for any 32-byte input; "valid" and "acceptable" cases must give the
// listed secret (for low-order points that is all zeros: rejecting it is the
// caller's decision, and x25519Checked is the rejecting form). An "invalid"
// case must be refused by x25519Checked.
import { beforeAll, describe, expect, it } from 'vitest';
import { init } from '../../src/index.js';
import { isLowOrder, x25519Base, x25519Checked, x25519Raw } from '../../src/x25519/index.js';
import { hex, loadJson, toHex } from '../helpers/vectors.js';

beforeAll(async () => {
  await init();
});

describe('RFC 7748 test vectors', () => {
  it('§5.2 vector 1 and 2', () => {
    expect(
      toHex(
        x25519Raw(
          hex('a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4'),
          hex('e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c'),
        ),
      ),
    ).toBe('c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552');
    expect(
      toHex(
        x25519Raw(
          hex('4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d'),
          hex('e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493'),
        ),
      ),
    ).toBe('95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957');
  });

  it('§5.2 iterated: 1 and 1,000 rounds of k, u = X25519(k, u), k', () => {
    let k = new Uint8Array(32),
      u = new Uint8Array(32);
    k[0] = 9;
    u[0] = 9;
    for (let i = 1; i <= 1000; i++) {
      const r = x25519Raw(k, u);
      u = k;
      k = r;
      if (i === 1) expect(toHex(k)).toBe('422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079');
    }
    expect(toHex(k)).toBe('684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51');
  });

  it('§6.1 Diffie-Hellman', () => {
    const a = hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
    const b = hex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb');
    const pa = x25519Base(a),
      pb = x25519Base(b);
    expect(toHex(pa)).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    expect(toHex(pb)).toBe('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    const k = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
    expect(toHex(x25519Raw(a, pb))).toBe(k);
    expect(toHex(x25519Raw(b, pa))).toBe(k);
  });
});

interface XdhTest {
  tcId: number;
  comment: string;
  flags: string[];
  public: string;
  private: string;
  shared: string;
  result: 'valid' | 'acceptable' | 'invalid';
}
interface XdhFile {
  algorithm: string;
  numberOfTests: number;
  testGroups: { curve: string; type: string; tests: XdhTest[] }[];
}

describe('Wycheproof x25519_test.json', () => {
  const file = loadJson<XdhFile>('wycheproof/x25519_test.json.gz');
  const tests = file.testGroups.filter((g) => g.curve === 'curve25519').flatMap((g) => g.tests);

  it('runs every case', () => {
    expect(tests.length).toBe(file.numberOfTests);
    const seen = { valid: 0, acceptable: 0, invalid: 0, zero: 0 };
    for (const t of tests) {
      const what = `tcId ${t.tcId} (${t.comment}; ${t.flags.join(',')})`;
      seen[t.result]++;
      const sk = hex(t.private),
        pk = hex(t.public);
      if (t.result === 'invalid') {
        // None in the current file; an invalid case must not yield a secret.
        expect(() => x25519Checked(sk, pk, 'peer'), what).toThrow();
        continue;
      }
      const got = toHex(x25519Raw(sk, pk));
      expect(got, what).toBe(t.shared);
      const zero = t.shared === '00'.repeat(32);
      expect(zero, what).toBe(t.flags.includes('ZeroSharedSecret'));
      // The public low-order test and the all-zero output agree exactly.
      expect(isLowOrder(pk), what).toBe(zero);
      if (zero) {
        seen.zero++;
        expect(() => x25519Checked(sk, pk, 'peer'), what).toThrow(/low-order/);
      } else {
        expect(toHex(x25519Checked(sk, pk, 'peer')), what).toBe(t.shared);
      }
    }
    expect(seen.valid + seen.acceptable + seen.invalid).toBe(tests.length);
    expect(seen.zero).toBeGreaterThan(0);
  });
});
