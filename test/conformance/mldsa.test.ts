// ML-DSA (FIPS 204) conformance, run unchanged in every runtime: a small
// fixture of NIST ACVP and Wycheproof cases (test/helpers/fixtures/make-mldsa.mjs),
// plus round trips through every public entry point.
import { describe, it, expect } from '../helpers/harness.js';
import {
  init,
  ml_dsa44,
  ml_dsa65,
  ml_dsa87,
  hashml_dsa44,
  hashml_dsa65,
  hashml_dsa87,
  sha3_256,
  sig,
} from '../../src/index.js';
import fixture from '../helpers/fixtures/mldsa.json' with { type: 'json' };

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const unhex = (s: string | undefined): Uint8Array | undefined =>
  s === undefined ? undefined : Uint8Array.from(s.match(/../g) ?? [], (h) => parseInt(h, 16));
const bytes = (s: string): Uint8Array => unhex(s)!;

type Set = (typeof fixture.sets)['44'];
const SETS = [
  { level: 44, alg: ml_dsa44, hashed: hashml_dsa44, data: fixture.sets['44'] as Set },
  { level: 65, alg: ml_dsa65, hashed: hashml_dsa65, data: fixture.sets['65'] as Set },
  { level: 87, alg: ml_dsa87, hashed: hashml_dsa87, data: fixture.sets['87'] as Set },
];

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return String((e as { code?: string }).code);
  }
  return 'no error';
}

describe('ml-dsa', () => {
  for (const { level, alg, hashed, data } of SETS) {
    it(`ML-DSA-${level}: ACVP keyGen from seed`, async () => {
      await init();
      for (const k of data.keygen) {
        const { publicKey, secretKey } = alg.keygen(bytes(k.seed));
        expect(hex(publicKey)).toBe(k.pk);
        expect(hex(sha3_256(secretKey))).toBe(k.skSha3);
        expect(hex(alg.getPublicKey(secretKey))).toBe(k.pk);
      }
    });

    it(`ML-DSA-${level}: Wycheproof signing with context, hedged rnd, external mu; too-long context rejected`, async () => {
      await init();
      for (const c of data.sign) {
        const { publicKey, secretKey } = alg.keygen(bytes(c.seed));
        expect(hex(sha3_256(publicKey))).toBe(c.pkSha3);
        const extraEntropy = c.rnd === undefined ? false : bytes(c.rnd);
        const context = unhex(c.ctx);
        if (!c.valid) {
          expect(code(() => alg.sign(bytes(c.msg!), secretKey, { context, extraEntropy }))).toBe(
            'ERR_INVALID_ARGUMENT',
          );
          continue;
        }
        if (c.msg !== undefined) {
          const s = alg.sign(bytes(c.msg), secretKey, { context, extraEntropy });
          expect(hex(sha3_256(s))).toBe(c.sigSha3!);
          expect(alg.verify(s, bytes(c.msg), publicKey, { context })).toBeTrue();
          if (c.mu !== undefined) expect(hex(alg.computeMu(publicKey, bytes(c.msg), { context }))).toBe(c.mu);
        }
        if (c.mu !== undefined) {
          const s = alg.signMu(bytes(c.mu), secretKey, { extraEntropy });
          expect(hex(sha3_256(s))).toBe(c.sigSha3!);
          expect(alg.verifyMu(s, bytes(c.mu), publicKey)).toBeTrue();
        }
      }
    });

    it(`ML-DSA-${level}: Wycheproof verify (valid, bad hint encoding, norm violation, bit flip, wrong length)`, async () => {
      await init();
      let valid = 0;
      for (const c of data.verify) {
        const pk = bytes(data.verifyKeys[c.key]!);
        const s = bytes(c.sig);
        expect(alg.verify(s, bytes(c.msg), pk, { context: unhex((c as { ctx?: string }).ctx) })).toBe(c.valid);
        if (c.valid) {
          valid++;
          expect(alg.verify(s.subarray(0, s.length - 1), bytes(c.msg), pk)).toBeFalse();
          const longer = new Uint8Array(s.length + 1);
          longer.set(s);
          expect(alg.verify(longer, bytes(c.msg), pk)).toBeFalse();
        }
      }
      expect(valid).toBe(1);
    });

    it(`HashML-DSA-${level}: ACVP sigVer pre-hash case; not valid as pure ML-DSA`, async () => {
      await init();
      for (const c of data.prehash) {
        const args = [bytes(c.sig), bytes(c.msg), bytes(c.pk)] as const;
        expect(hashed.verify(...args, { context: bytes(c.ctx), hash: c.hash })).toBe(c.valid);
        expect(alg.verify(...args, { context: bytes(c.ctx) })).toBeFalse();
      }
    });

    it(`ML-DSA-${level}: deterministic streaming signature equals one-shot; hedged round trip`, async () => {
      await init();
      const { publicKey, secretKey } = alg.keygen(new Uint8Array(32).fill(level));
      const msg = new Uint8Array(70_000).map((_, i) => i * 7);
      const context = new Uint8Array([1, 2, 3]);
      const signer = alg.signer(secretKey, { context, extraEntropy: false });
      for (let i = 0; i < msg.length; i += 9_999) signer.update(msg.subarray(i, i + 9_999));
      const streamed = signer.sign();
      expect(streamed).toEqual(alg.sign(msg, secretKey, { context, extraEntropy: false }));
      expect(
        await alg.verifyStream(streamed, [msg.subarray(0, 5), msg.subarray(5)], publicKey, { context }),
      ).toBeTrue();
      const hedged = alg.sign(msg, secretKey, { context });
      expect(hedged).notToEqual(streamed);
      expect(alg.verify(hedged, msg, publicKey, { context })).toBeTrue();
      expect(alg.verify(hedged, msg, publicKey)).toBeFalse();
    });
  }

  it('typed errors and name lookup', async () => {
    await init();
    const { publicKey, secretKey } = ml_dsa44.keygen(new Uint8Array(32));
    const m = new Uint8Array(1);
    expect(code(() => ml_dsa44.sign(m, secretKey, { context: new Uint8Array(256) }))).toBe('ERR_INVALID_ARGUMENT');
    expect(code(() => ml_dsa44.verify(new Uint8Array(2420), m, publicKey, { context: new Uint8Array(256) }))).toBe(
      'ERR_INVALID_ARGUMENT',
    );
    expect(code(() => ml_dsa44.sign(m, secretKey.subarray(0, 32)))).toBe('ERR_INVALID_SECRET_KEY');
    expect(code(() => ml_dsa44.verify(new Uint8Array(2420), m, publicKey.subarray(1)))).toBe('ERR_INVALID_PUBLIC_KEY');
    expect(code(() => sig('not-an-algorithm'))).toBe('ERR_UNKNOWN_ALGORITHM');
    expect(sig('Dilithium3')).toBe(ml_dsa65);
    expect(sig('ML-DSA-87')).toBe(ml_dsa87);
  });
});
