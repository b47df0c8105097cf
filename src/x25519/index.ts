/*
 * X25519 (RFC 7748) on the wasm core (native/x25519: constant-time
 * Montgomery ladder, clamping inside). A primitive, beside ML-KEM in
 * src/kem: only this floor moves bytes in and out of wasm memory (withHeap);
 * the hybrid constructions (src/hybrid) call these functions.
 *
 * The core computes the plain RFC 7748 function: for a low-order u it returns
 * the all-zero string, as the math does. The constructions here need two
 * different behaviours, so this module makes the choice explicit:
 *
 *  - `x25519Raw` is that plain function. X-Wing decapsulation is defined on
 *    it and must not fail on a well-sized ciphertext.
 *  - `x25519Checked` throws ERR_INVALID_PUBLIC_KEY instead, the all-zero check
 *    RFC 8446 §7.4.2 makes mandatory for TLS key shares.
 *
 * Synchronous, like the other primitives: `await init()` first.
 */
import { QsignError } from '../errors.js';
import { withHeap as withHeapOf, type Heap } from '../wasm/heap.js';
import { moduleSource } from '#wasm-source/x25519';
import { registerModuleSource } from '../wasm/loader.js';
import { registerSelfTest } from '../wasm/selftest.js';
import { X25519_SELF_TEST } from './selftest.js';
// This family's module (instantiated on first use) and its self-test, and only they, enter a bundle with this code
// (loader.ts registerModuleSource, selftest.ts registerSelfTest).
registerModuleSource('x25519', moduleSource);
registerSelfTest(X25519_SELF_TEST);
const withHeap = <T>(fn: (h: Heap) => T): T => withHeapOf('x25519', fn);

const P = (1n << 255n) - 19n;

/**
 * The u-coordinates of the points of order 1, 2, 4 and 8 on Curve25519 (and
 * its twist). A clamped scalar is a multiple of the cofactor 8, so exactly
 * these inputs — after reduction mod p — give the all-zero shared secret.
 */
const LOW_ORDER_U = new Set<bigint>([
  0n,
  1n,
  P - 1n,
  325606250916557431795983626356110631294008115727848805560023387167927233504n,
  39382357235489614581723060781553021112529911719440698176882885853963445705823n,
]);

/** RFC 7748 decodeUCoordinate: little-endian, top bit masked, reduced mod p. */
function decodeU(u: Uint8Array): bigint {
  let n = 0n;
  for (let i = 31; i >= 0; i--) n = (n << 8n) | BigInt(i === 31 ? u[i]! & 0x7f : u[i]!);
  return n % P;
}

/**
 * True when X25519(k, u) is all-zero for every (clamped) scalar k. Only
 * public values are inspected, so the branch on the result leaks nothing.
 */
export function isLowOrder(u: Uint8Array): boolean {
  return LOW_ORDER_U.has(decodeU(u));
}

function check32(what: 'secret' | 'public', b: Uint8Array): void {
  if (!(b instanceof Uint8Array) || b.length !== 32) {
    throw new QsignError(
      what === 'secret' ? 'ERR_INVALID_SECRET_KEY' : 'ERR_INVALID_PUBLIC_KEY',
      `X25519 ${what} key must be a 32-byte Uint8Array, got ${b instanceof Uint8Array ? `${b.length} bytes` : typeof b}`,
    );
  }
}

/** X25519(sk, 9): the public key (or X-Wing / TLS "ciphertext") of a 32-byte scalar. */
export function x25519Base(secretKey: Uint8Array): Uint8Array {
  check32('secret', secretKey);
  return withHeap((h) => {
    const k = h.put(secretKey),
      out = h.alloc(32);
    h.x.qs_x25519_base(out, k);
    return h.read(out, 32);
  });
}

/** RFC 7748 X25519(k, u) including the all-zero output for low-order u. */
export function x25519Raw(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  check32('secret', secretKey);
  check32('public', publicKey);
  return withHeap((h) => {
    const k = h.put(secretKey),
      u = h.put(publicKey),
      out = h.alloc(32);
    h.x.qs_x25519(out, k, u);
    return h.read(out, 32);
  });
}

/**
 * X25519 that refuses a peer value yielding the all-zero secret, with an
 * error naming `what` so the caller knows which input was bad.
 */
export function x25519Checked(secretKey: Uint8Array, publicKey: Uint8Array, what: string): Uint8Array {
  check32('public', publicKey);
  if (isLowOrder(publicKey)) {
    throw new QsignError(
      'ERR_INVALID_PUBLIC_KEY',
      `${what} is a low-order X25519 point: the X25519 shared secret would be all zeros (RFC 7748 §6.1, RFC 8446 §7.4.2); the peer must send an honestly generated key`,
    );
  }
  return x25519Raw(secretKey, publicKey);
}
