import { QsignError } from '../errors.js';
import { KeccakKind } from './exports.js';
import { withHeap } from './heap.js';

/*
 * Power-on self-tests, in the spirit of FIPS 140-3: one known answer per
 * algorithm family, run on the raw exports before init() resolves, so a
 * miscompiled or corrupted build is refused rather than used.
 */

function hex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

function expectHex(name: string, got: Uint8Array, want: string): void {
  if (hex(got) !== want) throw new QsignError('ERR_SELF_TEST_FAILED', `${name} known-answer test failed`);
}

/** SHA3-256("abc") and SHAKE128 of 200 bytes 0..199 (FIPS 202 examples / hashlib). */
function keccakKat(): void {
  withHeap((h) => {
    const abc = h.put(new Uint8Array([0x61, 0x62, 0x63]));
    const out = h.alloc(32);
    h.x.qs_keccak_oneshot(KeccakKind.SHA3_256, abc, 3, out, 32);
    expectHex('SHA3-256', h.read(out, 32), '3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532');
  });
}

/**
 * ML-KEM-768 (FIPS 203): keygen from seed 00..3f, encaps with m = 40..5f,
 * decaps, and decaps of a ciphertext with one bit flipped (implicit
 * rejection). Expected values from @noble/post-quantum, which passes every
 * ACVP/Wycheproof ML-KEM vector; hashes keep the constants short.
 */
function mlkemKat(): void {
  withHeap((h) => {
    const k = 3, pkLen = 1184, skLen = 2400, ctLen = 1088;
    const seed = h.put(Uint8Array.from({ length: 64 }, (_, i) => i));
    const msg = h.put(Uint8Array.from({ length: 32 }, (_, i) => 64 + i));
    const pk = h.alloc(pkLen), sk = h.alloc(skLen), ct = h.alloc(ctLen), ss = h.alloc(32), ss2 = h.alloc(32), digest = h.alloc(32);
    const sha3 = (ptr: number, len: number): Uint8Array => {
      h.x.qs_keccak_oneshot(KeccakKind.SHA3_256, ptr, len, digest, 32);
      return h.read(digest, 32);
    };
    if (h.x.qs_mlkem_keypair(k, seed, pk, sk) !== 0) throw new QsignError('ERR_SELF_TEST_FAILED', 'ML-KEM keygen failed');
    expectHex('ML-KEM-768 keygen pk', sha3(pk, pkLen), 'a24e16d8f8f9383a95b77050f4d9fd2f5733eec1d63ef3c23ebf9918173669a7');
    expectHex('ML-KEM-768 keygen sk', sha3(sk, skLen), '1149f17c3c4ac6ab1e3e2d9d8bd0171355ac0fa31bb8855c48ceade874c0864b');
    if (h.x.qs_mlkem_encaps(k, pk, msg, ct, ss) !== 0) throw new QsignError('ERR_SELF_TEST_FAILED', 'ML-KEM encaps failed');
    expectHex('ML-KEM-768 encaps ct', sha3(ct, ctLen), 'b4cfbd24cef67afd3764276c6980e0f88f8e9ca57f59b7f12fe1a9c1e72f4710');
    expectHex('ML-KEM-768 encaps ss', h.read(ss, 32), '9cddd089ffe70e3996e76f7c8d06746df34d07e8657bc0fcf2bb0e1c3084aea1');
    if (h.x.qs_mlkem_decaps(k, sk, ct, ss2) !== 0) throw new QsignError('ERR_SELF_TEST_FAILED', 'ML-KEM decaps failed');
    expectHex('ML-KEM-768 decaps', h.read(ss2, 32), '9cddd089ffe70e3996e76f7c8d06746df34d07e8657bc0fcf2bb0e1c3084aea1');
    h.view()[ct] ^= 1;
    if (h.x.qs_mlkem_decaps(k, sk, ct, ss2) !== 0) throw new QsignError('ERR_SELF_TEST_FAILED', 'ML-KEM decaps failed');
    expectHex('ML-KEM-768 implicit rejection', h.read(ss2, 32), 'dcfc80c6db46ff7028e3a4398651c063ae7a42c107a6dc8cb07141861698ab92');
  });
}

/**
 * ML-DSA-44 (FIPS 204): keygen from seed 2a×32, deterministic signature of
 * "Hello world" with empty context, verification of it and of a copy with
 * one bit flipped. Expected digests are of Wycheproof mldsa_44_sign_seed
 * tcId 1 (C2SP), hashed to keep the constants short.
 */
function mldsaKat(): void {
  withHeap((h) => {
    const level = 44, pkLen = 1312, skLen = 2560, sigLen = 2420;
    const xi = h.put(new Uint8Array(32).fill(0x2a));
    const pre = h.put(new Uint8Array([0, 0])); // M' prefix: pure ML-DSA, empty context
    const msg = h.put(new Uint8Array([0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x20, 0x77, 0x6f, 0x72, 0x6c, 0x64]));
    const rnd = h.alloc(32), pk = h.alloc(pkLen), sk = h.alloc(skLen), sig = h.alloc(sigLen), digest = h.alloc(32);
    const sha3 = (ptr: number, len: number): Uint8Array => {
      h.x.qs_keccak_oneshot(KeccakKind.SHA3_256, ptr, len, digest, 32);
      return h.read(digest, 32);
    };
    if (h.x.qs_mldsa_keypair(level, xi, pk, sk) !== 0) throw new QsignError('ERR_SELF_TEST_FAILED', 'ML-DSA keygen failed');
    expectHex('ML-DSA-44 keygen pk', sha3(pk, pkLen), '7057f85874b86116b09efeba000ce1d8b0f10d2f2c1d44af94bde90f53faae0c');
    if (h.x.qs_mldsa_sign_msg(level, sk, pre, 2, msg, 11, rnd, sig) !== 0) throw new QsignError('ERR_SELF_TEST_FAILED', 'ML-DSA sign failed');
    expectHex('ML-DSA-44 deterministic signature', sha3(sig, sigLen), '9f32d77c980e66114a452e6e8f3e1a41f0a8a2564bd3a786940e6a59c4e3aa2d');
    if (h.x.qs_mldsa_verify_msg(level, pk, pre, 2, msg, 11, sig, sigLen) !== 0) throw new QsignError('ERR_SELF_TEST_FAILED', 'ML-DSA-44 verify rejected a valid signature');
    h.view()[sig + 40] ^= 1;
    if (h.x.qs_mldsa_verify_msg(level, pk, pre, 2, msg, 11, sig, sigLen) === 0) throw new QsignError('ERR_SELF_TEST_FAILED', 'ML-DSA-44 verify accepted a modified signature');
  });
}

/** X25519 (RFC 7748 §5.2, first test vector). */
function x25519Kat(): void {
  withHeap((h) => {
    const fromHex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g)!, (b) => parseInt(b, 16));
    const k = h.put(fromHex('a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4'));
    const u = h.put(fromHex('e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c'));
    const out = h.alloc(32);
    if (h.x.qs_x25519(out, k, u) !== 0) throw new QsignError('ERR_SELF_TEST_FAILED', 'X25519 failed');
    expectHex('X25519', h.read(out, 32), 'c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552');
  });
}

const SELF_TESTS: Array<[string, () => void]> = [
  ['keccak', keccakKat],
  ['ml-kem', mlkemKat],
  ['ml-dsa', mldsaKat],
  ['x25519', x25519Kat],
];

export function runSelfTests(): void {
  for (const [, test] of SELF_TESTS) test();
}
