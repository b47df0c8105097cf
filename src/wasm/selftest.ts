import { QsignError } from '../errors.js';
import { KeccakKind, type QsignExports } from './exports.js';
import { withOwnHeap } from './heap.js';

/*
 * Self-tests in the spirit of FIPS 140-3: one known answer per algorithm
 * family, run on the raw exports, so a miscompiled or corrupted build is
 * refused rather than used. SHA-3 is tested when its module is instantiated; each other family
 * before its first use (FIPS 140-3 lets a cryptographic algorithm self-test
 * run at any time before the algorithm's first use), because testing all of
 * them up front doubled the cold start of an app that needs one; ML-KEM's
 * test runs in stages (keygen, encaps, decaps), each before the first use of
 * the functions that need it. With
 * init({ selfTest: 'eager' }) everything runs in init().
 */

/** Every KAT's buffers fit this; it comes from the C heap, not the arena the caller may be filling. */
const KAT_HEAP_BYTES = 16 * 1024;

// Compares digest bytes with the expected hex pair by pair: building hex
// strings cost ~1 ms of cold start in unoptimized code.
function expectHex(name: string, got: Uint8Array, want: string): void {
  let ok = got.length * 2 === want.length;
  for (let i = 0; ok && i < got.length; i++) ok = parseInt(want.slice(2 * i, 2 * i + 2), 16) === got[i];
  if (!ok) throw new QsignError('ERR_SELF_TEST_FAILED', `${name} known-answer test failed`);
}

/** SHA3-256("abc") and SHAKE128 of 200 bytes 0..199 (FIPS 202 examples / hashlib). */
function keccakKat(x: QsignExports): void {
  withOwnHeap(x, KAT_HEAP_BYTES, (h) => {
    const abc = h.put(new Uint8Array([0x61, 0x62, 0x63]));
    const out = h.alloc(32);
    h.x.qs_keccak_oneshot(KeccakKind.SHA3_256, abc, 3, out, 32);
    expectHex('SHA3-256', h.read(out, 32), '3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532');
  });
}

/** ML-KEM's self-test in stages, each run before the first use of the functions that need it. */
const MLKEM_KEYGEN = 1, MLKEM_ENCAPS = 2, MLKEM_FULL = 3;

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
    const k = 3, pkLen = 384 * k + 32, skLen = 768 * k + 96, ctLen = 32 * (10 * k + 4);
    const seed = h.put(Uint8Array.from({ length: 64 }, (_, i) => i));
    const msg = h.put(Uint8Array.from({ length: 32 }, (_, i) => 64 + i));
    const pk = h.alloc(pkLen), sk = h.alloc(skLen), ct = h.alloc(ctLen), ss = h.alloc(32), ss2 = h.alloc(32), digest = h.alloc(32);
    const sha3 = (ptr: number, len: number): Uint8Array => {
      h.x.qs_keccak_oneshot(KeccakKind.SHA3_256, ptr, len, digest, 32);
      return h.read(digest, 32);
    };
    if (x.qs_mlkem_keypair(k, seed, pk, sk) !== 0) throw new QsignError('ERR_SELF_TEST_FAILED', 'ML-KEM keygen failed');
    expectHex('ML-KEM-768 keygen pk', sha3(pk, pkLen), 'a24e16d8f8f9383a95b77050f4d9fd2f5733eec1d63ef3c23ebf9918173669a7');
    expectHex('ML-KEM-768 keygen sk', sha3(sk, skLen), '1149f17c3c4ac6ab1e3e2d9d8bd0171355ac0fa31bb8855c48ceade874c0864b');
    if (stage < MLKEM_ENCAPS) return;
    if (x.qs_mlkem_encaps(k, pk, msg, ct, ss) !== 0) throw new QsignError('ERR_SELF_TEST_FAILED', 'ML-KEM encaps failed');
    expectHex('ML-KEM-768 encaps ct', sha3(ct, ctLen), 'b4cfbd24cef67afd3764276c6980e0f88f8e9ca57f59b7f12fe1a9c1e72f4710');
    expectHex('ML-KEM-768 encaps ss', h.read(ss, 32), '9cddd089ffe70e3996e76f7c8d06746df34d07e8657bc0fcf2bb0e1c3084aea1');
    if (stage < MLKEM_FULL) return;
    if (x.qs_mlkem_decaps(k, sk, ct, ss2) !== 0) throw new QsignError('ERR_SELF_TEST_FAILED', 'ML-KEM decaps failed');
    expectHex('ML-KEM-768 decaps', h.read(ss2, 32), '9cddd089ffe70e3996e76f7c8d06746df34d07e8657bc0fcf2bb0e1c3084aea1');
    h.view()[ct] ^= 1;
    if (x.qs_mlkem_decaps(k, sk, ct, ss2) !== 0) throw new QsignError('ERR_SELF_TEST_FAILED', 'ML-KEM decaps failed');
    expectHex('ML-KEM-768 implicit rejection', h.read(ss2, 32), 'dcfc80c6db46ff7028e3a4398651c063ae7a42c107a6dc8cb07141861698ab92');
  });
}

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
    const level = 44, pkLen = 32 + 320 * 4, skLen = 128 + 96 * 8 + 416 * 4, sigLen = 32 + 32 * 4 * 18 + 80 + 4;
    const xi = h.put(new Uint8Array(32).fill(0x2a));
    const pre = h.put(new Uint8Array([0, 0])); // M' prefix: pure ML-DSA, empty context
    const msg = h.put(Uint8Array.from([113, 115, 105, 103, 110, 32, 115, 101, 108, 102, 45, 116, 101, 115, 116, 32, 49, 52, 49])); // 'qsign self-test 141'
    const rnd = h.alloc(32), pk = h.alloc(pkLen), sk = h.alloc(skLen), sig = h.alloc(sigLen), digest = h.alloc(32);
    const sha3 = (ptr: number, len: number): Uint8Array => {
      h.x.qs_keccak_oneshot(KeccakKind.SHA3_256, ptr, len, digest, 32);
      return h.read(digest, 32);
    };
    if (x.qs_mldsa_keypair(level, xi, pk, sk) !== 0) throw new QsignError('ERR_SELF_TEST_FAILED', 'ML-DSA keygen failed');
    expectHex('ML-DSA-44 keygen pk', sha3(pk, pkLen), '7057f85874b86116b09efeba000ce1d8b0f10d2f2c1d44af94bde90f53faae0c');
    if (x.qs_mldsa_sign_msg(level, sk, pre, 2, msg, 19, rnd, sig) !== 0) throw new QsignError('ERR_SELF_TEST_FAILED', 'ML-DSA sign failed');
    expectHex('ML-DSA-44 deterministic signature', sha3(sig, sigLen), 'fecf93f832d9cea7b1785411078ae666315ade8870b87c43330957d2affd9d5b');
    if (x.qs_mldsa_verify_msg(level, pk, pre, 2, msg, 19, sig, sigLen) !== 0) throw new QsignError('ERR_SELF_TEST_FAILED', 'ML-DSA-44 verify rejected a valid signature');
    h.view()[sig + 40] ^= 1;
    if (x.qs_mldsa_verify_msg(level, pk, pre, 2, msg, 19, sig, sigLen) === 0) throw new QsignError('ERR_SELF_TEST_FAILED', 'ML-DSA-44 verify accepted a modified signature');
  });
}

/** X25519 (RFC 7748 §5.2, first test vector). */
function x25519Kat(x: QsignExports): void {
  withOwnHeap(x, KAT_HEAP_BYTES, (h) => {
    const fromHex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g)!, (b) => parseInt(b, 16));
    const k = h.put(fromHex('a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4'));
    const u = h.put(fromHex('e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c'));
    const out = h.alloc(32);
    if (x.qs_x25519(out, k, u) !== 0) throw new QsignError('ERR_SELF_TEST_FAILED', 'X25519 failed');
    expectHex('X25519', h.read(out, 32), 'c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552');
  });
}

/** The families tested on first use: the exports they own (by name prefix) and their KAT. */
/** `kat` runs the family's known answers up to `stage` (all without one); `stageOf` names the stage an export needs (1 when absent). */
const FAMILIES: ReadonlyArray<{
  name: string;
  prefix: string;
  marker: string;
  kat: (x: QsignExports, stage?: number) => void;
  stageOf?: (name: string) => number;
}> = [
  { name: 'ML-KEM', prefix: 'qs_mlkem_', marker: 'qs_mlkem_keypair', kat: mlkemKat, stageOf: mlkemStage },
  { name: 'ML-DSA', prefix: 'qs_mldsa_', marker: 'qs_mldsa_keypair', kat: mldsaKat },
  { name: 'X25519', prefix: 'qs_x25519', marker: 'qs_x25519', kat: x25519Kat },
];

function failure(what: string, cause: unknown): QsignError {
  return new QsignError('ERR_SELF_TEST_FAILED', `${what} self-test failed (${(cause as Error)?.message ?? cause}); the wasm build is corrupt or miscompiled`, { cause });
}

/**
 * Tests SHA-3 now (in a module that has it: each family module is its own
 * instance) and returns the exports the rest of the SDK calls: with
 * `eager`, the raw exports after every family the module has passed; otherwise a copy whose
 * functions of each untested family first run that family's KAT, then hand
 * the family over to the raw exports (no cost after the first call). A
 * family that fails stays failed: every later call throws the same error.
 */
export function selfTestedExports(raw: QsignExports, eager: boolean): QsignExports {
  const has = (name: string): boolean => typeof (raw as unknown as Record<string, unknown>)[name] === 'function';
  if (has('qs_keccak_oneshot')) {
    try { keccakKat(raw); } catch (cause) { throw failure('SHA-3', cause); }
  }
  if (eager) {
    for (const f of FAMILIES.filter((g) => has(g.marker))) {
      try { f.kat(raw); } catch (cause) { throw failure(f.name, cause); }
    }
    return raw;
  }
  const gated: Record<string, unknown> = { ...raw };
  const source = raw as unknown as Record<string, unknown>;
  for (const f of FAMILIES) {
    const names = Object.keys(source).filter((n) => n.startsWith(f.prefix) && typeof source[n] === 'function');
    const stageOf = f.stageOf ?? ((): number => 1);
    let failed: QsignError | undefined;
    let passed = 0;
    const gate = (n: string): void => {
      const fn = source[n] as (...a: number[]) => number;
      gated[n] = (...args: number[]) => { firstUse(stageOf(n)); return fn(...args); };
    };
    const firstUse = (stage: number): void => {
      if (failed) throw failed;
      if (passed < stage) {
        try { f.kat(raw, stage); } catch (cause) {
          failed = failure(f.name, cause);
          for (const n of names) gate(n); // a later stage failing takes back what an earlier one handed over
          throw failed;
        }
        passed = stage;
      }
      for (const n of names) if (stageOf(n) <= passed) gated[n] = source[n];
    };
    for (const n of names) gate(n);
  }
  return gated as unknown as QsignExports;
}
