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

/*
 * Asynchronous X25519 for the async entry points (HPKE). Where Web Crypto
 * implements X25519 (Node ≥ 20, Deno, Bun, workerd, current browsers) it is
 * several times faster than the BigInt ladder, and X25519 is most of
 * X-Wing's cost. Feature-detected once; any failure of the native path
 * (runtime without X25519, an encoding it rejects) falls back to noble for
 * that call, so results never depend on the runtime. Low-order inputs never
 * reach Web Crypto (it refuses the all-zero result by design).
 */

/** PKCS#8 prefix of an X25519 private key (RFC 8410): the 32-byte scalar follows. */
const PKCS8_X25519 = new Uint8Array([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20]);
const BASE_U = new Uint8Array(32);
BASE_U[0] = 9;

let native: Promise<SubtleCrypto | undefined> | undefined;

function nativeSubtle(): Promise<SubtleCrypto | undefined> {
  native ??= (async () => {
    const s = globalThis.crypto?.subtle;
    if (!s) return undefined;
    try {
      // Known answer: X25519(sk = 1…1, 9) must equal noble's result.
      const sk = new Uint8Array(32).fill(1);
      const got = await nativeDh(s, sk, BASE_U);
      const want = x25519.getPublicKey(sk);
      return got.length === 32 && got.every((b, i) => b === want[i]) ? s : undefined;
    } catch {
      return undefined;
    }
  })();
  return native;
}

async function nativeDh(s: SubtleCrypto, secretKey: Uint8Array, publicKey: Uint8Array): Promise<Uint8Array> {
  const pkcs8 = new Uint8Array(48);
  pkcs8.set(PKCS8_X25519);
  pkcs8.set(secretKey, 16);
  try {
    const [priv, pub] = await Promise.all([
      s.importKey('pkcs8', pkcs8, { name: 'X25519' }, false, ['deriveBits']),
      s.importKey('raw', publicKey as Uint8Array<ArrayBuffer>, { name: 'X25519' }, false, []),
    ]);
    return new Uint8Array(await s.deriveBits({ name: 'X25519', public: pub }, priv, 256));
  } finally {
    pkcs8.fill(0);
  }
}

async function dhAsync(secretKey: Uint8Array, publicKey: Uint8Array): Promise<Uint8Array> {
  const s = await nativeSubtle();
  if (s) {
    try { return await nativeDh(s, secretKey, publicKey); } catch { /* fall back below */ }
  }
  return x25519.getSharedSecret(secretKey, publicKey);
}

/** {@link x25519Base}, on Web Crypto where available. */
export function x25519BaseAsync(secretKey: Uint8Array): Promise<Uint8Array> {
  return dhAsync(secretKey, BASE_U);
}

/** {@link x25519Raw}, on Web Crypto where available. */
export async function x25519RawAsync(secretKey: Uint8Array, publicKey: Uint8Array): Promise<Uint8Array> {
  if (isLowOrder(publicKey)) return new Uint8Array(32);
  return dhAsync(secretKey, publicKey);
}
