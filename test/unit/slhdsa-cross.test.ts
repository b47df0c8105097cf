// SLH-DSA cross-checks beyond the ACVP vectors (no sigGen answers exist):
// deterministic signatures equal @noble/post-quantum's byte for byte for every
// set, each side verifies the other's hedged signatures, the scalar build
// signs the same bytes as the SIMD build, the 4-lane SHA-256 kernel equals
// one-lane SHA-256 on both builds, and signing leaves no secret residue in
// the module's memory.
import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import * as noble from '@noble/post-quantum/slh-dsa.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { init, simdSupported } from '../../src/wasm/loader.js';
import { QsignError } from '../../src/errors.js';
import * as sig from '../../src/sig/index.js';
import { slhDsaExports } from '../../src/wasm/slhdsa-loader.js';
import type { SlhDsa, HashSlhDsa } from '../../src/sig/index.js';

type NobleSigner = typeof noble.slh_dsa_sha2_128f;
const IDS = [
  'sha2_128s',
  'sha2_128f',
  'sha2_192s',
  'sha2_192f',
  'sha2_256s',
  'sha2_256f',
  'shake_128s',
  'shake_128f',
  'shake_192s',
  'shake_192f',
  'shake_256s',
  'shake_256f',
] as const;
const ours = (id: string): SlhDsa => (sig as unknown as Record<string, SlhDsa>)[`slh_dsa_${id}`]!;
const oursHashed = (id: string): HashSlhDsa => (sig as unknown as Record<string, HashSlhDsa>)[`hash_slh_dsa_${id}`]!;
const theirs = (id: string): NobleSigner => (noble as unknown as Record<string, NobleSigner>)[`slh_dsa_${id}`]!;
const fast = (id: string) => id.endsWith('f');

/** Deterministic PRNG (xorshift32) so failures reproduce. */
function prng(seed: number) {
  let s = seed >>> 0 || 1;
  return (n: number): Uint8Array => {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      s ^= s << 13;
      s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5;
      s >>>= 0;
      b[i] = s & 255;
    }
    return b;
  };
}
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Deterministic signatures made on the SIMD build, compared on the scalar build. */
const simdSigs = new Map<string, { seed: Uint8Array; msg: Uint8Array; ctx: Uint8Array; sig: Uint8Array }>();

describe('SLH-DSA equals @noble/post-quantum (SIMD128 build)', () => {
  beforeAll(async () => {
    await init({ simd: simdSupported(), force: true });
  });
  for (const [i, id] of IDS.entries()) {
    it(`${id}: deterministic signature byte-equal to noble; each verifies the other's hedged signatures`, () => {
      const rnd = prng(1000 + i);
      const a = ours(id),
        b = theirs(id);
      expect(a.lengths).toEqual(b.lengths);
      const seed = rnd(a.lengths.seed);
      const msg = rnd(1 + rnd(1)[0]! * 3);
      const ctx = rnd(rnd(1)[0]! % 40);
      const kp = a.keygen(seed);
      const nkp = b.keygen(seed);
      expect(hex(kp.secretKey)).toBe(hex(nkp.secretKey));
      const s = a.sign(msg, kp.secretKey, { context: ctx, extraEntropy: false });
      expect(hex(s)).toBe(hex(b.sign(msg, nkp.secretKey, { context: ctx, extraEntropy: false })));
      simdSigs.set(id, { seed, msg, ctx, sig: s });
      // Hedged: ours verified by noble (cheap); noble's verified by us on the f sets (noble signs s sets slowly).
      const hedged = a.sign(msg, kp.secretKey, { context: ctx });
      expect(hex(hedged)).not.toBe(hex(s));
      expect(b.verify(hedged, msg, kp.publicKey, { context: ctx })).toBe(true);
      expect(a.verify(hedged, msg, kp.publicKey, { context: ctx })).toBe(true);
      if (fast(id)) {
        const theirHedged = b.sign(msg, nkp.secretKey, { context: ctx });
        expect(a.verify(theirHedged, msg, kp.publicKey, { context: ctx })).toBe(true);
        expect(a.verify(theirHedged, msg, kp.publicKey, { context: rnd(3) })).toBe(false);
        // A caller-chosen addrnd gives noble's bytes too.
        const addrnd = rnd(a.lengths.signRand);
        expect(hex(a.sign(msg, kp.secretKey, { context: ctx, extraEntropy: addrnd }))).toBe(
          hex(b.sign(msg, nkp.secretKey, { context: ctx, extraEntropy: addrnd })),
        );
      }
      // noble needs seconds (SHA2) to tens of seconds (SHAKE) of CPU per s-set signature.
    }, 900_000);
  }

  it('HashSLH-DSA equals noble prehash(sha256 / sha512) and never verifies as pure SLH-DSA', () => {
    const rnd = prng(77);
    for (const [id, hash, name] of [
      ['sha2_128f', sha256, 'SHA2-256'],
      ['shake_192f', sha512, 'SHA2-512'],
    ] as const) {
      const h = oursHashed(id);
      const kp = h.keygen(rnd(h.lengths.seed));
      const msg = rnd(100),
        ctx = rnd(5);
      const s = h.sign(msg, kp.secretKey, { context: ctx, extraEntropy: false, hash: name });
      const viaNoble = theirs(id).prehash(hash).sign(msg, kp.secretKey, { context: ctx, extraEntropy: false });
      expect(hex(s)).toBe(hex(viaNoble));
      expect(ours(id).prehash(hash).verify(s, msg, kp.publicKey, { context: ctx })).toBe(true);
      expect(h.verifyDigest(s, hash(msg), kp.publicKey, { context: ctx, hash: name })).toBe(true);
      expect(ours(id).verify(s, msg, kp.publicKey, { context: ctx })).toBe(false);
    }
    // The default pre-hash is the one the registered OID fixes.
    expect(oursHashed('sha2_128s').defaultHash).toBe('SHA2-256');
    expect(oursHashed('shake_256f').defaultHash).toBe('SHAKE-256');
  });

  it('bad input gets typed errors', () => {
    const a = ours('sha2_128f');
    const kp = a.keygen(new Uint8Array(48));
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        expect(e).toBeInstanceOf(QsignError);
        return (e as QsignError).code;
      }
      return 'no error';
    };
    expect(code(() => a.keygen(new Uint8Array(47)))).toBe('ERR_INVALID_ARGUMENT');
    expect(code(() => a.sign(new Uint8Array(1), kp.secretKey.subarray(1)))).toBe('ERR_INVALID_SECRET_KEY');
    expect(code(() => a.sign(new Uint8Array(1), new Uint8Array(48)))).toBe('ERR_INVALID_SECRET_KEY');
    expect(code(() => a.sign(new Uint8Array(1), kp.secretKey, { context: new Uint8Array(256) }))).toBe(
      'ERR_INVALID_ARGUMENT',
    );
    expect(code(() => a.sign(new Uint8Array(1), kp.secretKey, { extraEntropy: new Uint8Array(15) }))).toBe(
      'ERR_INVALID_ARGUMENT',
    );
    expect(code(() => a.sign(new Uint8Array(1), kp.secretKey, { ctx: new Uint8Array(1) } as never))).toBe(
      'ERR_INVALID_ARGUMENT',
    );
    expect(code(() => a.verify(new Uint8Array(10), new Uint8Array(1), kp.publicKey.subarray(1)))).toBe(
      'ERR_INVALID_PUBLIC_KEY',
    );
    expect(code(() => a.sign(new Uint8Array(sig.SLH_DSA_MAX_MESSAGE + 1), kp.secretKey))).toBe('ERR_INPUT_TOO_LARGE');
    expect(code(() => oursHashed('sha2_128f').sign(new Uint8Array(1), kp.secretKey, { hash: 'MD5' }))).toBe(
      'ERR_INVALID_ARGUMENT',
    );
    expect(a.verify(new Uint8Array(10), new Uint8Array(1), kp.publicKey)).toBe(false);
  });

  it('through the SDK (heap scopes, malloc/free): the module memory after keygen + sign + HashSLH-DSA sign is the same for two different keys', () => {
    const snapshot = (fill: number): Uint8Array => {
      const seed = new Uint8Array(48).fill(fill);
      seed.fill(9, 32); // same PK.seed: only SK.seed and SK.prf differ
      for (const id of ['sha2_128f', 'shake_128f']) {
        const kp = ours(id).keygen(seed);
        ours(id).sign(new Uint8Array(64), kp.secretKey, { extraEntropy: false, context: new Uint8Array(3) });
        oursHashed(id).sign(new Uint8Array(64), kp.secretKey, { extraEntropy: false });
      }
      return new Uint8Array(slhDsaExports().memory.buffer).slice();
    };
    snapshot(1); // first use: instantiation and self-test allocate once
    const a = snapshot(0x11),
      b = snapshot(0x22);
    let diff = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diff++;
    expect(diff).toBe(0);
  });

  it('a message at SLH_DSA_MAX_MESSAGE signs and verifies (it fits the module memory, twice over the calls)', () => {
    const a = ours('sha2_128f');
    const kp = a.keygen(new Uint8Array(48).fill(3));
    const big = new Uint8Array(sig.SLH_DSA_MAX_MESSAGE - 2).fill(0x5a); // + the 2-byte M′ prefix
    const s = a.sign(big, kp.secretKey, { extraEntropy: false });
    expect(a.verify(s, big, kp.publicKey)).toBe(true);
    big[big.length - 1] ^= 1;
    expect(a.verify(s, big, kp.publicKey)).toBe(false);
  });
});

describe('SLH-DSA scalar build signs the same bytes as the SIMD128 build', () => {
  beforeAll(async () => {
    await init({ simd: false, force: true });
  });
  it('every set: deterministic signature byte-equal, and verifies', () => {
    expect(simdSigs.size).toBe(IDS.length);
    for (const id of IDS) {
      const { seed, msg, ctx, sig: want } = simdSigs.get(id)!;
      const kp = ours(id).keygen(seed);
      if (fast(id) || id === 'sha2_128s') {
        expect(hex(ours(id).sign(msg, kp.secretKey, { context: ctx, extraEntropy: false })), id).toBe(hex(want));
      }
      expect(ours(id).verify(want, msg, kp.publicKey, { context: ctx }), id).toBe(true);
    }
  });
});

function instantiate(variant: 'simd' | 'scalar') {
  const bytes = readFileSync(fileURLToPath(new URL(`../../wasm/qsign-slhdsa-${variant}.wasm`, import.meta.url)));
  const x = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports as unknown as {
    memory: WebAssembly.Memory;
    _initialize(): void;
    qs_malloc(n: number): number;
    qs_free(p: number): void;
    qs_wipe(p: number, n: number): void;
    qs_slh_keypair(set: number, seed: number, pk: number, sk: number): number;
    qs_slh_sign(set: number, sk: number, pre: number, pl: number, m: number, ml: number, r: number, s: number): number;
    qs_slh_sha256x4(inp: number, len: number, out: number): number;
  };
  x._initialize();
  return x;
}

for (const variant of ['simd', 'scalar'] as const) {
  describe(`SLH-DSA module internals (${variant})`, () => {
    it('4-lane SHA-256 kernel: every lane equals SHA-256 for lengths 0..300', () => {
      const x = instantiate(variant);
      const inp = x.qs_malloc(4 * 300 + 1),
        out = x.qs_malloc(128);
      for (let len = 0; len <= 300; len++) {
        const data = prng(len + 1)(4 * len);
        new Uint8Array(x.memory.buffer).set(data, inp);
        expect(x.qs_slh_sha256x4(inp, len, out)).toBe(0);
        const got = new Uint8Array(x.memory.buffer);
        for (let l = 0; l < 4; l++) {
          const want = createHash('sha256')
            .update(data.subarray(l * len, (l + 1) * len))
            .digest('hex');
          expect(hex(got.slice(out + 32 * l, out + 32 * l + 32)), `len ${len} lane ${l}`).toBe(want);
        }
      }
    });

    it('keygen + sign leave no residue: memory is identical after signing with two different keys', () => {
      for (const set of [1, 7]) {
        const snapshot = (seedByte: number): Uint8Array => {
          const x = instantiate(variant);
          const n = 16,
            sigLen = 17088;
          const seed = x.qs_malloc(3 * n),
            pk = x.qs_malloc(2 * n),
            sk = x.qs_malloc(4 * n),
            pre = x.qs_malloc(2),
            msg = x.qs_malloc(32),
            s = x.qs_malloc(sigLen);
          const mem = new Uint8Array(x.memory.buffer);
          mem.fill(seedByte, seed, seed + 2 * n); // SK.seed, SK.prf differ; PK.seed is the same (public input)
          mem.fill(7, seed + 2 * n, seed + 3 * n);
          mem.fill(1, msg, msg + 32);
          expect(x.qs_slh_keypair(set, seed, pk, sk)).toBe(0);
          expect(x.qs_slh_sign(set, sk, pre, 2, msg, 32, 0, s)).toBe(0);
          // The caller's own buffers hold secrets and outputs by design: the
          // SDK wipes them (heap scopes); so does this test.
          for (const [p, len] of [
            [seed, 3 * n],
            [pk, 2 * n],
            [sk, 4 * n],
            [s, sigLen],
          ] as const)
            x.qs_wipe(p, len);
          return new Uint8Array(x.memory.buffer).slice();
        };
        const a = snapshot(0x11),
          b = snapshot(0x22);
        let diff = 0;
        for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diff++;
        expect(diff, `set ${set}: bytes that differ between the two runs`).toBe(0);
      }
    });
  });
}
