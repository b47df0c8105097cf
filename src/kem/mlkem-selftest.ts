import { QsignError } from '../errors.js';
import { KeccakKind, type QsignExports } from '../wasm/exports.js';
import { withOwnHeap } from '../wasm/heap.js';
import { expectHex, KAT_HEAP_BYTES, type FamilySelfTest } from '../wasm/selftest.js';

// ML-KEM's power-on self-test (src/wasm/selftest.ts runs it before the family's first use), registered by the
// family's code beside its module source: only bundles with ML-KEM carry it.

/** ML-KEM's self-test in stages, each run before the first use of the functions that need it. */
const MLKEM_KEYGEN = 1,
  MLKEM_ENCAPS = 2,
  MLKEM_FULL = 3;

/**
 * The stage an ML-KEM export needs: a keypair needs the keygen KAT only, an
 * encapsulation also the encaps KAT, everything else the full test. Testing
 * encaps and both decaps paths before the first keypair cost ~2.8 ms of a
 * ~17 ms Node 20 cold start (issue 23), in not-yet-optimized wasm, for an
 * app that may only make keys; keygen alone runs most of the code a
 * miscompiled SIMD build would break (SHAKE/SHA-3, sampling, NTT, encoding).
 */
function mlkemStage(name: string): number {
  if (name === 'qs_mlkem_keypair') return MLKEM_KEYGEN;
  if (name === 'qs_mlkem_encaps' || name === 'qs_mlkem_check_pk') return MLKEM_ENCAPS;
  return MLKEM_FULL;
}

/**
 * ML-KEM-768 (FIPS 203) up to `stage`: keygen from seed 00..3f; then encaps
 * with m = 40..5f; then decaps, and decaps of a ciphertext with one bit
 * flipped (implicit rejection). Expected values from @noble/post-quantum,
 * which passes every ACVP/Wycheproof ML-KEM vector; hashes keep the
 * constants short.
 */
function mlkemKat(x: QsignExports, stage: number = MLKEM_FULL): void {
  withOwnHeap(x, KAT_HEAP_BYTES, (h) => {
    const k = 3,
      pkLen = 384 * k + 32,
      skLen = 768 * k + 96,
      ctLen = 32 * (10 * k + 4);
    const seed = h.put(Uint8Array.from({ length: 64 }, (_, i) => i));
    const msg = h.put(Uint8Array.from({ length: 32 }, (_, i) => 64 + i));
    const pk = h.alloc(pkLen),
      sk = h.alloc(skLen),
      ct = h.alloc(ctLen),
      ss = h.alloc(32),
      ss2 = h.alloc(32),
      digest = h.alloc(32);
    const sha3 = (ptr: number, len: number): Uint8Array => {
      h.x.qs_keccak_oneshot(KeccakKind.SHA3_256, ptr, len, digest, 32);
      return h.read(digest, 32);
    };
    if (x.qs_mlkem_keypair(k, seed, pk, sk) !== 0) throw new QsignError('ERR_SELF_TEST_FAILED', 'ML-KEM keygen failed');
    expectHex(
      'ML-KEM-768 keygen pk',
      sha3(pk, pkLen),
      'a24e16d8f8f9383a95b77050f4d9fd2f5733eec1d63ef3c23ebf9918173669a7',
    );
    expectHex(
      'ML-KEM-768 keygen sk',
      sha3(sk, skLen),
      '1149f17c3c4ac6ab1e3e2d9d8bd0171355ac0fa31bb8855c48ceade874c0864b',
    );
    if (stage < MLKEM_ENCAPS) return;
    if (x.qs_mlkem_encaps(k, pk, msg, ct, ss) !== 0)
      throw new QsignError('ERR_SELF_TEST_FAILED', 'ML-KEM encaps failed');
    expectHex(
      'ML-KEM-768 encaps ct',
      sha3(ct, ctLen),
      'b4cfbd24cef67afd3764276c6980e0f88f8e9ca57f59b7f12fe1a9c1e72f4710',
    );
    expectHex(
      'ML-KEM-768 encaps ss',
      h.read(ss, 32),
      '9cddd089ffe70e3996e76f7c8d06746df34d07e8657bc0fcf2bb0e1c3084aea1',
    );
    if (stage < MLKEM_FULL) return;
    if (x.qs_mlkem_decaps(k, sk, ct, ss2) !== 0) throw new QsignError('ERR_SELF_TEST_FAILED', 'ML-KEM decaps failed');
    expectHex('ML-KEM-768 decaps', h.read(ss2, 32), '9cddd089ffe70e3996e76f7c8d06746df34d07e8657bc0fcf2bb0e1c3084aea1');
    h.view()[ct] ^= 1;
    if (x.qs_mlkem_decaps(k, sk, ct, ss2) !== 0) throw new QsignError('ERR_SELF_TEST_FAILED', 'ML-KEM decaps failed');
    expectHex(
      'ML-KEM-768 implicit rejection',
      h.read(ss2, 32),
      'dcfc80c6db46ff7028e3a4398651c063ae7a42c107a6dc8cb07141861698ab92',
    );
  });
}

/** ML-KEM's known-answer test, for registerSelfTest. */
export const MLKEM_SELF_TEST: FamilySelfTest = {
  name: 'ML-KEM',
  kat: mlkemKat,
  stageOf: mlkemStage,
};
