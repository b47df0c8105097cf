/**
 * Consistency check for an expanded ML-DSA private key (FIPS 204 skEncode
 * output) that arrives without its seed.
 *
 * RFC 9881 §8.2 asks importers to reject inconsistent keys. A seed can be
 * re-expanded and compared, but an expandedKey alone can only be checked by
 * recomputing t = NTT⁻¹(Â∘NTT(s1)) + s2 (FIPS 204 Alg 6 lines 5–6) and
 * confirming that Power2Round(t) gives back the stored t0 and a public key
 * whose hash is the stored tr. The primitive modules' getPublicKey ignores
 * t0, which is exactly what `bad-ML-DSA-44-3` alters, hence this file.
 *
 * Only public-key arithmetic runs here on secret values (no branches on
 * secret data beyond the range checks, which reject malformed input); the
 * result is the public key, which the caller needs anyway for SPKI output.
 */
import { shake128, shake256 } from '../hash/index.js';
import { equalBytes } from '../util/bytes.js';
import type { SignatureAlgorithm } from '../engine/index.js';

const Q = 8380417; // 2^23 - 2^13 + 1
const N = 256;
const D = 13;
const ZETA = 1753; // primitive 512th root of unity mod Q (FIPS 204 §7.5)
const N_INV = 8347681; // 256^-1 mod Q

const PARAMS: Record<SignatureAlgorithm, { k: number; l: number; eta: number }> = {
  'ML-DSA-44': { k: 4, l: 4, eta: 2 },
  'ML-DSA-65': { k: 6, l: 5, eta: 4 },
  'ML-DSA-87': { k: 8, l: 7, eta: 2 },
};

// Products of two values below Q stay under 2^46, exact in float64.
const mul = (a: number, b: number) => (a * b) % Q;
const mod = (a: number) => ((a % Q) + Q) % Q;

let ZETAS: number[] | undefined;
function zetas(): number[] {
  if (ZETAS) return ZETAS;
  const pow = (e: number) => {
    let r = 1;
    for (let i = 0; i < e; i++) r = mul(r, ZETA);
    return r;
  };
  const brv8 = (x: number) => {
    let r = 0;
    for (let i = 0; i < 8; i++) r |= ((x >> i) & 1) << (7 - i);
    return r;
  };
  ZETAS = Array.from({ length: 256 }, (_, i) => pow(brv8(i)));
  return ZETAS;
}

/** FIPS 204 Alg 41 (in place). */
function ntt(w: Int32Array | number[]): void {
  const z = zetas();
  let m = 0;
  for (let len = 128; len >= 1; len >>= 1) {
    for (let start = 0; start < N; start += 2 * len) {
      const zeta = z[++m]!;
      for (let j = start; j < start + len; j++) {
        const t = mul(zeta, w[j + len]!);
        w[j + len] = mod(w[j]! - t);
        w[j] = (w[j]! + t) % Q;
      }
    }
  }
}

/** FIPS 204 Alg 42 (in place). */
function invNtt(w: Int32Array | number[]): void {
  const z = zetas();
  let m = 256;
  for (let len = 1; len < N; len <<= 1) {
    for (let start = 0; start < N; start += 2 * len) {
      const zeta = Q - z[--m]!;
      for (let j = start; j < start + len; j++) {
        const t = w[j]!;
        w[j] = (t + w[j + len]!) % Q;
        w[j + len] = mul(zeta, mod(t - w[j + len]!));
      }
    }
  }
  for (let j = 0; j < N; j++) w[j] = mul(w[j]!, N_INV);
}

/** Little-endian bit unpacking of `N` coefficients of `bits` bits each. */
function unpack(bytes: Uint8Array, bits: number): number[] {
  const out: number[] = new Array(N);
  let acc = 0,
    accBits = 0,
    at = 0;
  const mask = (1 << bits) - 1;
  for (let i = 0; i < N; i++) {
    while (accBits < bits) {
      acc |= bytes[at++]! << accBits;
      accBits += 8;
    }
    out[i] = acc & mask;
    acc >>>= bits;
    accBits -= bits;
  }
  return out;
}

function pack(coeffs: number[], bits: number): Uint8Array {
  const out = new Uint8Array((N * bits) / 8);
  let acc = 0,
    accBits = 0,
    at = 0;
  for (const c of coeffs) {
    acc |= c << accBits;
    accBits += bits;
    while (accBits >= 8) {
      out[at++] = acc & 0xff;
      acc >>>= 8;
      accBits -= 8;
    }
  }
  return out;
}

/** FIPS 204 Alg 30 RejNTTPoly on SHAKE128(ρ‖s‖r). */
function rejNttPoly(rho: Uint8Array, s: number, r: number): number[] {
  const h = shake128.create();
  const input = new Uint8Array(34);
  input.set(rho);
  input[32] = s;
  input[33] = r;
  // xof() never frees the wasm Keccak state; destroy it here or each call
  // leaks one state until GC, and the fixed 4 MiB heap runs out under load.
  try {
    h.update(input);
    const out: number[] = [];
    while (out.length < N) {
      const buf = h.xof(168 * 3);
      for (let i = 0; i + 2 < buf.length && out.length < N; i += 3) {
        const c = buf[i]! | (buf[i + 1]! << 8) | ((buf[i + 2]! & 0x7f) << 16);
        if (c < Q) out.push(c);
      }
    }
    return out;
  } finally {
    h.destroy();
  }
}

/** Result of checking an expanded ML-DSA secret key. */
export type ExpandedCheck = { ok: true; publicKey: Uint8Array } | { ok: false; reason: string };

/**
 * Recomputes the public key from an expanded ML-DSA secret key and checks
 * every recomputable part: s1/s2 coefficient ranges, t0, and tr = H(pk).
 * Requires `init()` (it uses the wasm SHAKE).
 */
export function checkExpandedMlDsaKey(alg: SignatureAlgorithm, sk: Uint8Array): ExpandedCheck {
  const { k, l, eta } = PARAMS[alg];
  const etaBits = eta === 2 ? 3 : 4;
  const etaBytes = 32 * etaBits;
  const rho = sk.subarray(0, 32);
  const tr = sk.subarray(64, 128);
  let at = 128;
  const readEta = (what: string, idx: number): number[] | string => {
    const raw = unpack(sk.subarray(at, at + etaBytes), etaBits);
    at += etaBytes;
    for (const v of raw) if (v > 2 * eta) return `${what}[${idx}] has a coefficient outside [-${eta}, ${eta}]`;
    return raw.map((v) => mod(eta - v));
  };
  const s1: number[][] = [];
  for (let i = 0; i < l; i++) {
    const p = readEta('s1', i);
    if (typeof p === 'string') return { ok: false, reason: p };
    s1.push(p);
  }
  const s2: number[][] = [];
  for (let i = 0; i < k; i++) {
    const p = readEta('s2', i);
    if (typeof p === 'string') return { ok: false, reason: p };
    s2.push(p);
  }
  const t0Stored: number[][] = [];
  for (let i = 0; i < k; i++) {
    t0Stored.push(unpack(sk.subarray(at, at + 416), 13).map((v) => (1 << 12) - v));
    at += 416;
  }
  const s1Hat = s1.map((p) => {
    const c = p.slice();
    ntt(c);
    return c;
  });
  const t1Packed: Uint8Array[] = [];
  for (let r = 0; r < k; r++) {
    const acc = new Array<number>(N).fill(0);
    for (let s = 0; s < l; s++) {
      const a = rejNttPoly(rho, s, r);
      const b = s1Hat[s]!;
      for (let j = 0; j < N; j++) acc[j] = (acc[j]! + mul(a[j]!, b[j]!)) % Q;
    }
    invNtt(acc);
    const t1: number[] = new Array(N);
    for (let j = 0; j < N; j++) {
      const t = (acc[j]! + s2[r]![j]!) % Q;
      // Power2Round (Alg 35): t0 = t mod± 2^d in (-2^12, 2^12].
      let t0 = t & ((1 << D) - 1);
      if (t0 > 1 << (D - 1)) t0 -= 1 << D;
      if (t0 !== t0Stored[r]![j]) return { ok: false, reason: `t0[${r}] does not match A·s1 + s2` };
      t1[j] = (t - t0) >> D;
    }
    t1Packed.push(pack(t1, 10));
  }
  const publicKey = new Uint8Array(32 + k * 320);
  publicKey.set(rho);
  t1Packed.forEach((p, i) => publicKey.set(p, 32 + i * 320));
  if (!equalBytes(shake256(publicKey, { dkLen: 64 }), tr)) return { ok: false, reason: 'tr is not H(pk)' };
  return { ok: true, publicKey };
}
