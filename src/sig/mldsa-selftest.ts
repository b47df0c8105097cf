import { QsignError } from '../errors.js';
import { KeccakKind, type QsignExports } from '../wasm/exports.js';
import { withOwnHeap } from '../wasm/heap.js';
import { expectHex, KAT_HEAP_BYTES, type FamilySelfTest } from '../wasm/selftest.js';

// ML-DSA's power-on self-test (src/wasm/selftest.ts runs it before the family's first use), registered by the
// family's code beside its module source: only bundles with ML-DSA carry it.

/**
 * ML-DSA-44 (FIPS 204): keygen from seed 2a×32, deterministic signature of
 * "qsign self-test 141" with empty context, verification of it and of a copy
 * with one bit flipped. The message was picked so that signing accepts its
 * first candidate: this test runs on first use, in not-yet-optimized code,
 * and four passes through the rejection loop made V8 optimize signing code in
 * a process that only verifies. Expected digests from @noble/post-quantum
 * (which passes every ACVP/Wycheproof ML-DSA vector), hashed to keep the
 * constants short.
 */
function mldsaKat(x: QsignExports): void {
  withOwnHeap(x, KAT_HEAP_BYTES, (h) => {
    const level = 44,
      pkLen = 32 + 320 * 4,
      skLen = 128 + 96 * 8 + 416 * 4,
      sigLen = 32 + 32 * 4 * 18 + 80 + 4;
    const xi = h.put(new Uint8Array(32).fill(0x2a));
    const pre = h.put(new Uint8Array([0, 0])); // M' prefix: pure ML-DSA, empty context
    const msg = h.put(
      Uint8Array.from([113, 115, 105, 103, 110, 32, 115, 101, 108, 102, 45, 116, 101, 115, 116, 32, 49, 52, 49]),
    ); // 'qsign self-test 141'
    const rnd = h.alloc(32),
      pk = h.alloc(pkLen),
      sk = h.alloc(skLen),
      sig = h.alloc(sigLen),
      digest = h.alloc(32);
    const sha3 = (ptr: number, len: number): Uint8Array => {
      h.x.qs_keccak_oneshot(KeccakKind.SHA3_256, ptr, len, digest, 32);
      return h.read(digest, 32);
    };
    if (x.qs_mldsa_keypair(level, xi, pk, sk) !== 0)
      throw new QsignError('ERR_SELF_TEST_FAILED', 'ML-DSA keygen failed');
    expectHex(
      'ML-DSA-44 keygen pk',
      sha3(pk, pkLen),
      '7057f85874b86116b09efeba000ce1d8b0f10d2f2c1d44af94bde90f53faae0c',
    );
    if (x.qs_mldsa_sign_msg(level, sk, pre, 2, msg, 19, rnd, sig) !== 0)
      throw new QsignError('ERR_SELF_TEST_FAILED', 'ML-DSA sign failed');
    expectHex(
      'ML-DSA-44 deterministic signature',
      sha3(sig, sigLen),
      'fecf93f832d9cea7b1785411078ae666315ade8870b87c43330957d2affd9d5b',
    );
    if (x.qs_mldsa_verify_msg(level, pk, pre, 2, msg, 19, sig, sigLen) !== 0)
      throw new QsignError('ERR_SELF_TEST_FAILED', 'ML-DSA-44 verify rejected a valid signature');
    h.view()[sig + 40] ^= 1;
    if (x.qs_mldsa_verify_msg(level, pk, pre, 2, msg, 19, sig, sigLen) === 0)
      throw new QsignError('ERR_SELF_TEST_FAILED', 'ML-DSA-44 verify accepted a modified signature');
  });
}

/** ML-DSA's known-answer test, for registerSelfTest. */
export const MLDSA_SELF_TEST: FamilySelfTest = {
  name: 'ML-DSA',
  kat: mldsaKat,
};
