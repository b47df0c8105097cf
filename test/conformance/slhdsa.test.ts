// SLH-DSA (FIPS 205) conformance, run unchanged in every runtime: the module
// of its own loads (statically imported in workerd, synchronously compiled in
// Node/Deno/Bun, fetched after loadSlhDsa() in browsers), on the SIMD128 and
// the scalar build, and gives the key and deterministic-signature bytes of
// @noble/post-quantum (expected values computed with it: seed i·7+1 for
// i = 0..47, message "qsign conformance", context "ctx").
import { describe, it, expect } from '../helpers/harness.js';
import {
  init,
  backend,
  simdSupported,
  loadSlhDsa,
  slh_dsa_sha2_128f,
  slh_dsa_shake_128f,
  hash_slh_dsa_sha2_128f,
  sha3_256,
} from '../../src/index.js';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const text = (s: string) => new TextEncoder().encode(s);
const seed = Uint8Array.from({ length: 48 }, (_, i) => (i * 7 + 1) & 255);
const CASES = [
  {
    alg: slh_dsa_sha2_128f,
    pk: 'e1e8eff6fd040b121920272e353c434a514ccb9f5567d3152cd5900bd96f58db',
    sigSha3: '64a9cff384413f3033701a0e4b0cd9779adaf8a8b87871ffc0dac95c6ade82d8',
  },
  {
    alg: slh_dsa_shake_128f,
    pk: 'e1e8eff6fd040b121920272e353c434a774e52add994c5483cafe081caee6fa9',
    sigSha3: 'd1061c3addda4fd4c4a59af03ea9271fa47db800b91c158b1544eebc3b2a247c',
  },
];

describe('slhdsa', () => {
  for (const simd of simdSupported() ? [true, false] : [false]) {
    const build = simd ? 'SIMD128' : 'scalar';
    it(`${build}: keygen and deterministic signatures equal noble's; verify accepts them and rejects tampering`, async () => {
      await init({ simd, force: true });
      await loadSlhDsa();
      expect(backend()).toBe(simd ? 'simd128' : 'scalar');
      const msg = text('qsign conformance'),
        context = text('ctx');
      for (const c of CASES) {
        const { publicKey, secretKey } = c.alg.keygen(seed);
        expect(hex(publicKey)).toBe(c.pk);
        const sig = c.alg.sign(msg, secretKey, { context, extraEntropy: false });
        expect(sig.length).toBe(c.alg.lengths.signature);
        expect(hex(sha3_256(sig))).toBe(c.sigSha3);
        expect(c.alg.verify(sig, msg, publicKey, { context })).toBeTrue();
        const hedged = c.alg.sign(msg, secretKey, { context });
        expect(c.alg.verify(hedged, msg, publicKey, { context })).toBeTrue();
        sig[100] ^= 1;
        expect(c.alg.verify(sig, msg, publicKey, { context })).toBeFalse();
      }
      const h = hash_slh_dsa_sha2_128f;
      const kp = h.keygen(seed);
      expect(h.verify(h.sign(msg, kp.secretKey), msg, kp.publicKey)).toBeTrue();
    });
  }

  it('restores the default build', async () => {
    await init({ force: true });
    expect(backend()).toBe(simdSupported() ? 'simd128' : 'scalar');
  });
});
