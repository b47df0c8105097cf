/*
 * X25519 (RFC 7748) as the hybrid constructions need it, on @noble/curves.
 *
 * noble refuses low-order public keys by throwing. The constructions here
 * need two different behaviours, so this module makes the choice explicit:
 *
 *  - `x25519Raw` is the plain RFC 7748 function: for a low-order u it returns
 *    the all-zero string, as the math does. X-Wing decapsulation is defined on
 *    that function and must not fail on a well-sized ciphertext.
 *  - `x25519Checked` throws ERR_INVALID_PUBLIC_KEY instead, the all-zero check
 *    RFC 8446 §7.4.2 makes mandatory for TLS key shares.
 */
import { x25519 } from '@noble/curves/ed25519.js';
import { QsignError } from '../errors.js';

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

/** X25519(sk, 9): the public key (or X-Wing / TLS "ciphertext") of a 32-byte scalar. */
export function x25519Base(secretKey: Uint8Array): Uint8Array {
  return x25519.getPublicKey(secretKey);
}

/** RFC 7748 X25519(k, u) including the all-zero output for low-order u. */
export function x25519Raw(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  if (isLowOrder(publicKey)) return new Uint8Array(32);
  return x25519.getSharedSecret(secretKey, publicKey);
}

/**
 * X25519 that refuses a peer value yielding the all-zero secret, with an
 * error naming `what` so the caller knows which input was bad.
 */
export function x25519Checked(secretKey: Uint8Array, publicKey: Uint8Array, what: string): Uint8Array {
  if (isLowOrder(publicKey)) {
    throw new QsignError('ERR_INVALID_PUBLIC_KEY',
      `${what} is a low-order X25519 point: the X25519 shared secret would be all zeros (RFC 7748 §6.1, RFC 8446 §7.4.2); the peer must send an honestly generated key`);
  }
  return x25519.getSharedSecret(secretKey, publicKey);
}
