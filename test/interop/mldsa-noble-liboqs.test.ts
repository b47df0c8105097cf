// ML-DSA cross-checks beyond the fixed vectors: byte equality with
// @noble/post-quantum on random inputs, interop with @oqs/liboqs-js, the
// SIMD128 build against the scalar reference, streaming == one-shot, and
// a flat wasm heap (secret residue: test/conformance/residue.test.ts).
import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import { Readable } from 'node:stream';
import * as noble from '@noble/post-quantum/ml-dsa.js';
import { createMLDSA44, createMLDSA65, createMLDSA87 } from '@oqs/liboqs-js';
import { init, getExports, simdSupported } from '../../src/wasm/loader.js';
import { QsignError } from '../../src/errors.js';
import { ml_dsa44, ml_dsa65, ml_dsa87, sig, hashml_dsa65, type MlDsaStreaming } from '../../src/sig/index.js';

const OURS: Record<number, MlDsaStreaming> = { 44: ml_dsa44, 65: ml_dsa65, 87: ml_dsa87 };
const NOBLE: Record<number, typeof noble.ml_dsa44> = { 44: noble.ml_dsa44, 65: noble.ml_dsa65, 87: noble.ml_dsa87 };
const LEVELS = [44, 65, 87] as const;

/** Deterministic PRNG (xorshift32) so failures reproduce. */
function prng(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  return {
    bytes(n: number): Uint8Array {
      const b = new Uint8Array(n);
      for (let i = 0; i < n; i++) b[i] = next() & 255;
      return b;
    },
    int(max: number): number {
      return next() % max;
    },
  };
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

beforeAll(async () => {
  await init({ force: true });
});

describe('ML-DSA vs @noble/post-quantum (byte-identical)', () => {
  for (const level of LEVELS) {
    it(`ML-DSA-${level}: keygen on 100 random seeds, deterministic signatures on 40 random messages/contexts`, () => {
      const r = prng(level * 7919);
      const ours = OURS[level]!,
        theirs = NOBLE[level]!;
      for (let i = 0; i < 100; i++) {
        const seed = r.bytes(32);
        const a = ours.keygen(seed),
          b = theirs.keygen(seed);
        expect(hex(a.publicKey)).toBe(hex(b.publicKey));
        expect(hex(a.secretKey)).toBe(hex(b.secretKey));
        if (i < 40) {
          const msg = r.bytes(r.int(2000));
          const context = i % 3 === 0 ? undefined : r.bytes(r.int(256));
          const s1 = ours.sign(msg, a.secretKey, { context, extraEntropy: false });
          const s2 = theirs.sign(msg, b.secretKey, { context, extraEntropy: false });
          expect(hex(s1)).toBe(hex(s2));
          const rnd = r.bytes(32);
          expect(hex(ours.sign(msg, a.secretKey, { context, extraEntropy: rnd }))).toBe(
            hex(theirs.sign(msg, b.secretKey, { context, extraEntropy: rnd })),
          );
        }
      }
    });

    it(`ML-DSA-${level}: hedged signatures verify both ways; tampering is caught`, () => {
      const r = prng(level * 104729);
      const ours = OURS[level]!,
        theirs = NOBLE[level]!;
      const { publicKey, secretKey } = ours.keygen(r.bytes(32));
      for (let i = 0; i < 10; i++) {
        const msg = r.bytes(1 + r.int(500));
        const context = r.bytes(r.int(40));
        const a = ours.sign(msg, secretKey, { context });
        const b = theirs.sign(msg, secretKey, { context });
        expect(hex(a)).not.toBe(hex(ours.sign(msg, secretKey, { context }))); // fresh randomness each time
        expect(theirs.verify(a, msg, publicKey, { context })).toBe(true);
        expect(ours.verify(b, msg, publicKey, { context })).toBe(true);
        const bad = a.slice();
        bad[r.int(bad.length)]! ^= 1 << r.int(8);
        expect(ours.verify(bad, msg, publicKey, { context })).toBe(theirs.verify(bad, msg, publicKey, { context }));
        expect(ours.verify(a, msg, publicKey)).toBe(context.length === 0);
      }
    });
  }

  it('HashML-DSA agrees with noble prehash(sha512) and is distinct from pure ML-DSA', async () => {
    const { sha512 } = await import('@noble/hashes/sha2.js');
    const r = prng(99);
    const { publicKey, secretKey } = ml_dsa65.keygen(r.bytes(32));
    const msg = r.bytes(300),
      context = r.bytes(9);
    const ours = hashml_dsa65.sign(msg, secretKey, { context, extraEntropy: false, hash: 'SHA-512' });
    const theirs = noble.ml_dsa65.prehash(sha512).sign(msg, secretKey, { context, extraEntropy: false });
    expect(hex(ours)).toBe(hex(theirs));
    expect(hex(ml_dsa65.prehash(sha512).sign(msg, secretKey, { context, extraEntropy: false }))).toBe(hex(theirs));
    expect(hashml_dsa65.verify(ours, msg, publicKey, { context })).toBe(true);
    expect(hashml_dsa65.verifyDigest(ours, sha512(msg), publicKey, { context })).toBe(true);
    expect(ml_dsa65.verify(ours, msg, publicKey, { context })).toBe(false);
    expect(hashml_dsa65.verify(ours, msg, publicKey, { context, hash: 'SHA2-256' })).toBe(false);
  });
});

describe('ML-DSA interop with @oqs/liboqs-js', () => {
  const factories = { 44: createMLDSA44, 65: createMLDSA65, 87: createMLDSA87 };
  for (const level of LEVELS) {
    it(`ML-DSA-${level}: their keys/signatures work with us and ours with them`, async () => {
      const oqs = await factories[level]();
      try {
        const ours = OURS[level]!;
        const r = prng(level);
        for (let i = 0; i < 8; i++) {
          const msg = r.bytes(r.int(3000));
          const kp = oqs.generateKeyPair();
          expect(hex(ours.getPublicKey(kp.secretKey))).toBe(hex(kp.publicKey));
          const theirSig = oqs.sign(msg, kp.secretKey);
          expect(ours.verify(theirSig, msg, kp.publicKey)).toBe(true);
          const ourSig = ours.sign(msg, kp.secretKey);
          expect(oqs.verify(msg, ourSig, kp.publicKey)).toBe(true);
          const mine = ours.keygen(r.bytes(32));
          expect(oqs.verify(msg, ours.sign(msg, mine.secretKey), mine.publicKey)).toBe(true);
          expect(
            oqs.verify(msg, ours.sign(msg, mine.secretKey, { context: new Uint8Array([1]) }), mine.publicKey),
          ).toBe(false);
        }
      } finally {
        oqs.destroy();
      }
    });
  }
});

describe('SIMD128 build vs scalar reference (differential)', () => {
  it('300 random keygen / sign / verify / mu / getPublicKey cases agree byte for byte', async () => {
    // Every runtime npm test uses has SIMD128; without it there is nothing to compare, which is a failure.
    expect(simdSupported()).toBe(true);
    const run = () => {
      const r = prng(2024);
      const out: string[] = [];
      for (let i = 0; i < 300; i++) {
        const alg = OURS[LEVELS[i % 3]!]!;
        const { publicKey, secretKey } = alg.keygen(r.bytes(32));
        const msg = r.bytes(r.int(700));
        const context = r.bytes(r.int(20));
        const s = alg.sign(msg, secretKey, { context, extraEntropy: i % 2 ? false : r.bytes(32) });
        const bad = s.slice();
        bad[r.int(bad.length)]! ^= 1 << r.int(8);
        out.push(
          hex(publicKey),
          hex(secretKey),
          hex(s),
          String(alg.verify(s, msg, publicKey, { context })),
          String(alg.verify(bad, msg, publicKey, { context })),
          hex(alg.computeMu(publicKey, msg, { context })),
        );
        if (i % 10 === 0) out.push(hex(alg.getPublicKey(secretKey)));
      }
      return out;
    };
    await init({ simd: true, force: true });
    const simd = run();
    await init({ simd: false, force: true });
    const scalar = run();
    await init({ force: true });
    expect(simd.length).toBe(scalar.length);
    for (let i = 0; i < simd.length; i++) expect(simd[i], `item ${i}`).toBe(scalar[i]);
    expect(simd.filter((v) => v === 'true').length).toBe(300);
  });
});

describe('streaming signer / verifier', () => {
  it('signer == one-shot deterministic signature for random chunkings (property)', () => {
    const { publicKey, secretKey } = ml_dsa65.keygen(new Uint8Array(32).fill(3));
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 5000 }),
        fc.array(fc.nat({ max: 5000 }), { maxLength: 8 }),
        fc.uint8Array({ maxLength: 255 }),
        (msg, cuts, context) => {
          const points = [...new Set(cuts.map((c) => c % (msg.length + 1)))].sort((a, b) => a - b);
          const signer = ml_dsa65.signer(secretKey, { context, extraEntropy: false });
          const verifier = ml_dsa65.verifier(publicKey, { context });
          let at = 0;
          for (const p of [...points, msg.length]) {
            signer.update(msg.subarray(at, p));
            verifier.update(msg.subarray(at, p));
            at = p;
          }
          const streamed = signer.sign();
          expect(hex(streamed)).toBe(hex(ml_dsa65.sign(msg, secretKey, { context, extraEntropy: false })));
          expect(verifier.verify(streamed)).toBe(true);
        },
      ),
      { numRuns: 60, seed: 42 },
    );
  });

  it('signStream / verifyStream accept Node streams, web ReadableStreams and async iterables; large inputs match one-shot', async () => {
    const { publicKey, secretKey } = ml_dsa44.keygen(new Uint8Array(32).fill(9));
    const big = prng(5).bytes(1_300_000); // > the one-shot arena path, so both sides stream into mu
    const want = ml_dsa44.sign(big, secretKey, { extraEntropy: false });
    const parts = (): Uint8Array[] => {
      const out = [];
      for (let i = 0; i < big.length; i += 65_536) out.push(big.subarray(i, i + 65_536));
      return out;
    };
    const node = await ml_dsa44.signStream(Readable.from(parts()), secretKey, { extraEntropy: false });
    const web = await ml_dsa44.signStream(
      new ReadableStream<Uint8Array>({
        start(c) {
          for (const p of parts()) c.enqueue(p);
          c.close();
        },
      }),
      secretKey,
      { extraEntropy: false },
    );
    async function* gen() {
      for (const p of parts()) yield p;
    }
    const iter = await ml_dsa44.signStream(gen(), secretKey, { extraEntropy: false });
    expect(hex(node)).toBe(hex(want));
    expect(hex(web)).toBe(hex(want));
    expect(hex(iter)).toBe(hex(want));
    expect(await ml_dsa44.verifyStream(want, Readable.from(parts()), publicKey)).toBe(true);
    expect(ml_dsa44.verify(want, big, publicKey)).toBe(true);
    const tampered = big.slice();
    tampered[777_777]! ^= 1;
    expect(await ml_dsa44.verifyStream(want, [tampered], publicKey)).toBe(false);
    await expect(ml_dsa44.signStream(['not bytes' as never], secretKey)).rejects.toThrow(QsignError);
    await expect(ml_dsa44.signStream('not a stream' as never, secretKey)).rejects.toThrow(QsignError);
    await expect(ml_dsa44.verifyStream(want, null as never, publicKey)).rejects.toThrow(QsignError);
    // hedged streaming signatures differ each time but verify
    const h1 = await ml_dsa44.signStream(gen(), secretKey);
    expect(hex(h1)).not.toBe(hex(want));
    expect(ml_dsa44.verify(h1, big, publicKey)).toBe(true);
  });

  it('spent or destroyed streams refuse further use; dispose frees the wasm state', () => {
    const { secretKey, publicKey } = ml_dsa44.keygen(new Uint8Array(32));
    const s = ml_dsa44.signer(secretKey);
    s.update(new Uint8Array(10));
    s.sign();
    expect(() => s.update(new Uint8Array(1))).toThrow(QsignError);
    expect(() => s.sign()).toThrow(QsignError);
    const v = ml_dsa44.verifier(publicKey);
    v.destroy();
    v.destroy(); // idempotent
    expect(() => v.verify(new Uint8Array(2420))).toThrow(QsignError);
    const d = ml_dsa44.signer(secretKey) as unknown as Record<symbol, () => void>;
    const dispose = (Symbol as unknown as { dispose?: symbol }).dispose ?? Symbol.for('Symbol.dispose');
    expect(typeof d[dispose]).toBe('function');
    d[dispose]!();
    expect(() => (d as unknown as { update(c: Uint8Array): void }).update(new Uint8Array(1))).toThrow(QsignError);
  });
});

describe('wasm memory hygiene', () => {
  // Residue of secrets in wasm memory is checked by the differential test in
  // test/conformance/residue.test.ts (every export, both builds, every runtime).
  it('the wasm heap stays flat over many operations, including abandoned streams', () => {
    const x = getExports('ml-dsa');
    const probe = () => {
      const p = x.qs_malloc(4096);
      x.qs_free(p);
      return p;
    };
    const { publicKey, secretKey } = ml_dsa87.keygen(new Uint8Array(32).fill(5));
    const msg = new Uint8Array(600_000); // streamed-mu path inside sign()
    ml_dsa87.verify(ml_dsa87.sign(msg, secretKey), msg, publicKey);
    const before = probe();
    const bytesBefore = x.memory.buffer.byteLength;
    for (let i = 0; i < 200; i++) {
      const sg = ml_dsa87.sign(msg.subarray(0, i * 10), secretKey);
      expect(ml_dsa87.verify(sg, msg.subarray(0, i * 10), publicKey)).toBe(true);
      ml_dsa87.signer(secretKey).update(msg.subarray(0, 100)).destroy();
      ml_dsa87.verifier(publicKey).update(msg.subarray(0, 100)).destroy();
      if (i % 50 === 0) ml_dsa87.sign(msg, secretKey);
    }
    for (let i = 0; i < 300; i++) ml_dsa87.signer(secretKey).destroy();
    expect(probe()).toBe(before);
    expect(x.memory.buffer.byteLength).toBe(bytesBefore);
  });
});

describe('sig(name) and object shape', () => {
  it('resolves names, liboqs names and aliases; rejects others with a typed error', () => {
    expect(sig('ML-DSA-65')).toBe(ml_dsa65);
    expect(sig('ml-dsa-44')).toBe(ml_dsa44);
    expect(sig('mldsa87')).toBe(ml_dsa87);
    expect(sig('dilithium3')).toBe(ml_dsa65);
    expect(sig('Dilithium3')).toBe(ml_dsa65);
    expect(sig('dilithium5')).toBe(ml_dsa87);
    expect(() => sig('ML-KEM-768')).toThrow(QsignError);
    expect(() => sig('falcon512')).toThrow(QsignError);
  });

  it('matches the @noble/post-quantum object shape and lengths', () => {
    for (const level of LEVELS) {
      const ours = OURS[level]!,
        theirs = NOBLE[level]!;
      expect(Object.isFrozen(ours)).toBe(true);
      expect(ours.lengths).toEqual(theirs.lengths);
      expect(ours.securityLevel).toBe(theirs.securityLevel);
      expect(ours.info).toEqual(theirs.info);
      for (const k of Object.keys(theirs)) expect(k in ours, k).toBe(true);
      for (const k of Object.keys(theirs.internal)) expect(k in ours.internal, `internal.${k}`).toBe(true);
    }
  });
});
