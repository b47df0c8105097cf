/*
 * ML-KEM / ML-DSA / X-Wing / X25519MLKEM768 primitive arguments: wrong
 * lengths, wrong types, garbage keys, ciphertexts and signatures. Garbage of
 * the right length must be accepted exactly where the standard says so
 * (ML-KEM implicit rejection returns a key; ML-DSA verify returns false).
 */
import { describe, expect } from 'vitest';
import fc from 'fast-check';
import { init, ml_kem512, ml_kem768, ml_kem1024, ml_dsa44, ml_dsa65, ml_dsa87 } from '../../../src/index.js';
import { xwing, x25519mlkem768 } from '../../../src/hybrid/index.js';
import { fuzz, junkValue, mutatedBytes, sizedBytes } from './invariants.js';

await init();
const kems = [ml_kem512, ml_kem768, ml_kem1024];
const dsas = [ml_dsa44, ml_dsa65, ml_dsa87];
const kemPairs = kems.map((k) => ({ k, ...k.keygen(new Uint8Array(64).fill(7)) }));
const dsaPairs = dsas.map((d) => ({ d, ...d.keygen(new Uint8Array(32).fill(9)) }));
const kemSizes = kems
  .flatMap((k) => [k.lengths.publicKey, k.lengths.secretKey, k.lengths.cipherText])
  .filter((n): n is number => typeof n === 'number');
const dsaSizes = dsas
  .flatMap((d) => [d.lengths.publicKey, d.lengths.secretKey, d.lengths.signature])
  .filter((n): n is number => typeof n === 'number');
const arg = (sizes: number[]) =>
  fc.oneof({ weight: 4, arbitrary: sizedBytes(sizes) as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: junkValue });

describe('fuzz: ML-KEM primitives', () => {
  fuzz({
    name: 'mlkem-args',
    runs: 300,
    seed: 101,
    arb: fc.tuple(
      fc.integer({ min: 0, max: 2 }),
      fc.constantFrom('keygen', 'encapsulate', 'decapsulate', 'getPublicKey'),
      arg(kemSizes),
      arg(kemSizes),
    ),
    run: ([i, op, a, b]) => {
      const k = kems[i]! as unknown as Record<string, (...x: unknown[]) => unknown>;
      return op === 'decapsulate'
        ? k[op]!(a, b)
        : op === 'encapsulate'
          ? k[op]!(a, b instanceof Uint8Array && b.length === 32 ? b : undefined)
          : k[op]!(a);
    },
  });
  // Right-length garbage: §7.2 modulus check may refuse a public key; decapsulation of any
  // right-length ciphertext must return 32 bytes (implicit rejection), never throw.
  fuzz({
    name: 'mlkem-mutated',
    runs: 150,
    seed: 102,
    arb: fc.tuple(
      fc.integer({ min: 0, max: 2 }),
      fc.constantFrom('pk', 'sk', 'ct'),
      fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 4 }),
    ),
    run: ([i, which, edits]) => {
      const { k, publicKey, secretKey } = kemPairs[i]!;
      const { cipherText } = k.encapsulate(publicKey);
      const src = which === 'pk' ? publicKey : which === 'sk' ? secretKey : cipherText;
      const m = Uint8Array.from(src);
      for (const [at, v] of edits) m[at % m.length] = v;
      if (which === 'pk') return k.encapsulate(m);
      const ss = which === 'sk' ? k.decapsulate(cipherText, m) : k.decapsulate(m, secretKey);
      expect(ss.length).toBe(32);
      return ss;
    },
    expectOutcome: ([, which], out) => {
      if (which === 'ct') expect(out.ok, 'right-length ciphertext must decapsulate (implicit rejection)').toBe(true);
    },
  });
});

describe('fuzz: ML-DSA primitives', () => {
  fuzz({
    name: 'mldsa-args',
    runs: 200,
    seed: 201,
    arb: fc.tuple(
      fc.integer({ min: 0, max: 2 }),
      fc.constantFrom('keygen', 'sign', 'verify', 'getPublicKey', 'signer', 'verifier'),
      arg(dsaSizes),
      arg(dsaSizes),
      arg(dsaSizes),
      fc.oneof(
        fc.constant(undefined),
        fc.record({ context: fc.oneof(fc.uint8Array({ maxLength: 300 }), junkValue) }),
        junkValue,
      ),
    ),
    run: ([i, op, a, b, c, opts]) => {
      const d = dsas[i]!;
      switch (op) {
        case 'keygen':
          return d.keygen(a as Uint8Array);
        case 'getPublicKey':
          return d.getPublicKey(a as Uint8Array);
        case 'sign':
          return d.sign(a as Uint8Array, b as Uint8Array, opts as never);
        case 'verify':
          return d.verify(a as Uint8Array, b as Uint8Array, c as Uint8Array, opts as never);
        case 'signer': {
          const s = d.signer(a as Uint8Array, opts as never);
          try {
            s.update(new Uint8Array(3));
            return s.sign();
          } finally {
            s.destroy();
          }
        }
        default: {
          const v = d.verifier(a as Uint8Array, opts as never);
          try {
            v.update(new Uint8Array(3));
            return v.verify(b as Uint8Array);
          } finally {
            v.destroy();
          }
        }
      }
    },
  });
  fuzz({
    name: 'mldsa-mutated-signature',
    runs: 150,
    seed: 202,
    arb: fc.tuple(
      fc.integer({ min: 0, max: 2 }),
      fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 4 }),
    ),
    run: ([i, edits]) => {
      const { d, publicKey, secretKey } = dsaPairs[i]!;
      const msg = new Uint8Array([1, 2, 3]);
      const sig = d.sign(msg, secretKey);
      const m = Uint8Array.from(sig);
      for (const [at, v] of edits) m[at % m.length] = v;
      const changed = m.some((x, j) => x !== sig[j]);
      const ok = d.verify(m, msg, publicKey);
      // A changed signature must never verify (ML-DSA is strongly unforgeable).
      if (changed) expect(ok).toBe(false);
      return ok;
    },
  });
  fuzz({
    name: 'mldsa-mutated-public-key',
    runs: 100,
    seed: 203,
    arb: fc.tuple(fc.integer({ min: 0, max: 2 }), mutatedBytes(dsaPairs.map((p) => p.publicKey))),
    run: ([i, pk]) =>
      dsas[i]!.verify(dsaPairs[i]!.d.sign(new Uint8Array(1), dsaPairs[i]!.secretKey), new Uint8Array(1), pk),
  });
});

describe('fuzz: hybrid KEM primitives', () => {
  const xw = xwing.keygen(new Uint8Array(32).fill(3));
  const xwSizes = [xwing.lengths.publicKey, xwing.lengths.secretKey, xwing.lengths.cipherText].filter(
    (n) => typeof n === 'number',
  ) as number[];
  fuzz({
    name: 'xwing-args',
    runs: 200,
    seed: 301,
    arb: fc.tuple(
      fc.constantFrom('encapsulate', 'decapsulate', 'keygen'),
      arg(xwSizes),
      fc.oneof(fc.constant(xw.secretKey as unknown), arg(xwSizes)),
    ),
    run: ([op, a, b]) =>
      op === 'decapsulate'
        ? xwing.decapsulate(a as Uint8Array, b as Uint8Array)
        : op === 'encapsulate'
          ? xwing.encapsulate(a as Uint8Array)
          : xwing.keygen(a as Uint8Array),
  });
  fuzz({
    name: 'x25519mlkem768-args',
    runs: 150,
    seed: 302,
    arb: fc.tuple(
      fc.constantFrom('server', 'finish'),
      sizedBytes([1216, 1120, 96, 32]) as fc.Arbitrary<unknown>,
      fc.oneof(sizedBytes([1120, 96]) as fc.Arbitrary<unknown>, junkValue),
    ),
    run: ([op, a, b]) =>
      op === 'server'
        ? x25519mlkem768.serverRespond(a as Uint8Array, b instanceof Uint8Array && b.length === 32 ? b : undefined)
        : x25519mlkem768.clientFinish(a as Uint8Array, b as Uint8Array),
  });
});
