#!/usr/bin/env node
/*
 * The generator of every constant table in native/: the NTT twiddles of
 * ML-KEM (FIPS 203 §4.3, ζ = 17) and ML-DSA (FIPS 204 Appendix B, ζ = 1753),
 * the lane-ordered SIMD128 copies of them with their rounding companions,
 * and the Keccak-f[1600] round constants (FIPS 202 §3.2.5). (The ML-KEM SIMD
 * rejection-sampling shuffles are built at module initialisation, in
 * native/mlkem/simd128/rej.c.) Everything is computed here by arithmetic.
 *
 *   node scripts/gen-tables.mjs           compare every table with native/ (exit 1 on a difference)
 *   node scripts/gen-tables.mjs --write   rewrite the header files that are wholly generated
 *
 * Tables that sit inside a .c file next to hand-written code are compared
 * value by value; the three headers that are nothing but tables are written
 * whole, byte for byte (test/unit/generated-tables.test.ts checks both).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** a^e mod m (BigInt). */
function powMod(a, e, m) {
  let r = 1n,
    b = BigInt(a) % m,
    x = BigInt(e);
  while (x > 0n) {
    if (x & 1n) r = (r * b) % m;
    b = (b * b) % m;
    x >>= 1n;
  }
  return r;
}

/** The representative of v mod q in (-q/2, q/2]. */
function centred(v, q) {
  const r = ((v % q) + q) % q;
  return r > q / 2n ? r - q : r;
}

/** round(v · 2^k / q) for a v with no tie (q odd), as a Number. */
function roundScaled(v, k, q) {
  const num = BigInt(v) * (1n << BigInt(k));
  const fl = num >= 0n ? num / q : -((-num + q - 1n) / q);
  return Number(2n * (num - fl * q) >= q ? fl + 1n : fl);
}

function bitrev(i, bits) {
  let r = 0;
  for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
  return r;
}

// ---------------------------------------------------------------- ML-KEM
const KQ = 3329n;
/** ζ^BitRev7(i) mod q, centred (FIPS 203 §4.3). */
const kemZetas = Array.from({ length: 128 }, (_, i) => Number(centred(powMod(17, bitrev(i, 7), KQ), KQ)));
const kemMont = (v) => Number(centred(BigInt(v) << 16n, KQ)); // · R, R = 2^16
const kemQ15 = (v) => roundScaled(v, 15, KQ);

export const MLKEM = {
  /** ntt.c: ζ^BitRev7(i) · R mod q, centred. */
  zetas_mont: kemZetas.map(kemMont),
  /** ntt.c: γ_i = ζ^(2·BitRev7(i)+1) · R mod q, centred (BaseCaseMultiply, FIPS 203 Alg 12). */
  gammas_mont: Array.from({ length: 128 }, (_, i) =>
    kemMont(Number(centred(powMod(17, 2 * bitrev(i, 7) + 1, KQ), KQ))),
  ),
  zetas: kemZetas,
  zetas_q: kemZetas.map(kemQ15),
};
/** Lane-ordered rows for the two in-register layers and their inverses; `f` maps a zeta to the stored value. */
function kemLanes(f) {
  const z = (i) => f(kemZetas[i]);
  return {
    l4: Array.from({ length: 16 }, (_, r) => [...Array(4).fill(z(32 + 2 * r)), ...Array(4).fill(z(33 + 2 * r))]),
    l2: Array.from({ length: 16 }, (_, r) => [0, 1, 2, 3].flatMap((k) => [z(64 + 4 * r + k), z(64 + 4 * r + k)])),
    i2: Array.from({ length: 16 }, (_, r) => [0, 1, 2, 3].flatMap((k) => [z(127 - 4 * r - k), z(127 - 4 * r - k)])),
    i4: Array.from({ length: 16 }, (_, r) => [...Array(4).fill(z(63 - 2 * r)), ...Array(4).fill(z(62 - 2 * r))]),
    // BaseCaseMultiply pairs: γ in the odd lanes, ± per coefficient pair.
    gamma: Array.from({ length: 32 }, (_, r) => [
      0,
      z(64 + 2 * r),
      0,
      -z(64 + 2 * r),
      0,
      z(65 + 2 * r),
      0,
      -z(65 + 2 * r),
    ]),
  };
}
const kemV = kemLanes((v) => v);
const kemQ = kemLanes(kemQ15);
/**
 * The ML-KEM SIMD lane tables (values and q15 companions). ntt_tables.h holds l4/l2 only: the inverse's
 * i2/i4 rows are l2/l4 rows of the mirrored pair, lane pairs (or halves) reversed, and
 * native/mlkem/simd128/ntt.c shuffles them so at load time (test/unit/generated-tables.test.ts checks that).
 */
export const MLKEM_SIMD_LANES = { v: kemV, q: kemQ };

// ---------------------------------------------------------------- ML-DSA
const DQ = 8380417n;
/** zetas.h: ζ^BitRev8(i) · 2^32 mod q, centred (FIPS 204 Appendix B, Montgomery form). */
export const MLDSA_ZETAS = Array.from({ length: 256 }, (_, i) =>
  Number(centred(powMod(1753, bitrev(i, 8), DQ) << 32n, DQ)),
);
/** Plain ζ^BitRev8(m) mod q, centred (= zetas[m] · 2^-32). */
const dsaPlain = Array.from({ length: 256 }, (_, m) => Number(centred(powMod(1753, bitrev(m, 8), DQ), DQ)));
const shoup = (v) => roundScaled(v, 32, DQ);
const fz = dsaPlain;
const f2 = Array.from({ length: 128 }, (_, k) => fz[64 + (k >> 1)]);
const i1 = Array.from({ length: 128 }, (_, k) => -fz[255 - k]);
const i2 = Array.from({ length: 128 }, (_, k) => -fz[127 - (k >> 1)]);
const iz = fz.map((v) => -v);
const NTT_F = Number(centred(1n << 24n, DQ));
const NTT_FZ = Number(centred(BigInt(NTT_F) * BigInt(iz[1]), DQ));
export const MLDSA_SIMD = {
  fz,
  fzs: fz.map(shoup),
  f2,
  f2s: f2.map(shoup),
  i1,
  i1s: i1.map(shoup),
  i2,
  i2s: i2.map(shoup),
  iz,
  izs: iz.map(shoup),
};

// ---------------------------------------------------------------- Keccak
/** FIPS 202 Algorithm 5 (rc) and 6: the 24 round constants of Keccak-f[1600]. */
export const KECCAK_RC = (() => {
  const rc = (t) => {
    // Bit i of r is R[i] of the standard's bit string; R starts as 10000000.
    let r = 1;
    for (let i = 1; i <= t % 255; i++) {
      r <<= 1; // R = 0 ‖ R, then fold R[8] into R[0], R[4], R[5], R[6] and truncate
      const b8 = (r >> 8) & 1;
      r = (r ^ (b8 | (b8 << 4) | (b8 << 5) | (b8 << 6))) & 0xff;
    }
    return r & 1;
  };
  return Array.from({ length: 24 }, (_, ir) => {
    let c = 0n;
    for (let j = 0; j <= 6; j++) if (rc(j + 7 * ir)) c |= 1n << BigInt((1 << j) - 1);
    return c;
  });
})();

// ---------------------------------------------------------------- headers written whole
const rows = (vals, per, indent = '  ') => {
  const out = [];
  for (let i = 0; i < vals.length; i += per) out.push(`${indent}${vals.slice(i, i + per).join(', ')},`);
  return out.join('\n');
};
const rows2 = (matrix) => matrix.map((r) => `  {${r.join(', ')}},`).join('\n');

export function mldsaZetasHeader() {
  return `/*
 * Twiddle factors for the ML-DSA NTT (FIPS 204 Appendix B): entry i is
 * zeta^BitRev8(i) with zeta = 1753, pre-multiplied by 2^32 mod q so that a
 * Montgomery multiplication by it yields the plain product. Centred in
 * (-q/2, q/2]. Generated by arithmetic, not copied: for i in 0..255,
 * v = 1753^brv8(i) * 2^32 mod q. Entry 0 is unused by the transforms.
 */
#ifndef QS_MLDSA_ZETAS_H
#define QS_MLDSA_ZETAS_H
#include <stdint.h>
static const int32_t qs_mldsa_zetas[256] = {
${rows(MLDSA_ZETAS, 8)}
};
#endif
`;
}

export function mldsaSimdHeader() {
  const t = MLDSA_SIMD;
  const arr = (name, v) =>
    `static const int32_t ${name}[${v.length}] __attribute__((aligned(16))) = {\n${rows(v, 8)}\n};`;
  return `/*
 * Twiddle tables for simd128/ntt.c, generated from ../zetas.h by arithmetic:
 * plain zetas z = zetas[m] * 2^-32 mod q (centred), and for each z its
 * Shoup/Barrett companion round(z * 2^32 / q). fz: forward, by index m;
 * f2: forward len-2 layer in lane order (z0,z0,z1,z1); i1/i2: inverse
 * len-1/len-2 layers in lane order (negated zetas); iz: negated zetas by m.
 */
#ifndef QS_MLDSA_NTT_TABLES_H
#define QS_MLDSA_NTT_TABLES_H
#include <stdint.h>
${Object.entries(t)
  .map(([n, v]) => arr(n, v))
  .join('\n')}
/* 2^24 mod q = 2^32 / 256 (undoes n and one Montgomery 2^-32), and the same
 * times the negated zeta of the last inverse layer. */
#define NTT_F ${NTT_F}
#define NTT_FS ${shoup(NTT_F)}
#define NTT_FZ ${NTT_FZ}
#define NTT_FZS ${shoup(NTT_FZ)}
#endif
`;
}

export function mlkemSimdHeader() {
  const one = (name, v) => `static const int16_t ${name}[${v.length}] = {${v.join(', ')}};`;
  const two = (name, m) => `static const int16_t ${name}[${m.length}][8] = {\n${rows2(m)}\n};`;
  return `/*
 * Twiddle tables for the SIMD128 NTT, generated from zeta = 17 (FIPS 203
 * §4.3): the per-vector tables pre-arrange the zetas of the two in-register
 * layers (len 4 and 2) in the lane order the butterflies use.
 */
#ifndef QS_MLKEM_SIMD_NTT_TABLES_H
#define QS_MLKEM_SIMD_NTT_TABLES_H
#include <stdint.h>
/* zeta^BitRev7(i) mod q, centred, and round(zeta·2^15/q) for the q15mulr product */
${one('zetas', MLKEM.zetas)}
${one('zetas_q', MLKEM.zetas_q)}
${two('zv_l4', kemV.l4)}
${two('zq_l4', kemQ.l4)}
${two('zv_l2', kemV.l2)}
${two('zq_l2', kemQ.l2)}
${two('gamma_v', kemV.gamma)}
${two('gamma_q', kemQ.gamma)}
#endif
`;
}

/** Headers that are nothing but generated tables: path → text. */
export const HEADERS = {
  'native/mldsa/zetas.h': mldsaZetasHeader,
  'native/mldsa/simd128/ntt_tables.h': mldsaSimdHeader,
  'native/mlkem/simd128/ntt_tables.h': mlkemSimdHeader,
};

/** Tables inside hand-written C files: [path, C name, values]. */
export const EMBEDDED = [
  ['native/mlkem/ntt.c', 'zetas_mont', MLKEM.zetas_mont],
  ['native/mlkem/ntt.c', 'gammas_mont', MLKEM.gammas_mont],
  ['native/fips202/keccak.c', 'round_constants', KECCAK_RC],
  ['native/fips202/simd128/keccakx2.c', 'round_constants', KECCAK_RC],
];

/** The values of `static const T name[...] = { ... };` in C source (decimal or hex, nested braces flattened). */
export function parseCArray(source, name) {
  const m = new RegExp(`static const \\w+ ${name}(?:\\[\\d+\\])+[^=]*=\\s*\\{([\\s\\S]*?)\\};`).exec(source);
  if (!m) throw new Error(`no table ${name}`);
  return [...m[1].replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/-?(?:0x[0-9a-fA-F]+|\d+)(?:ULL|ull|U|u)?/g)].map((t) =>
    BigInt(t[0].replace(/[uUlL]+$/, '')),
  );
}

/** Every difference between the generated tables and native/ (empty when they agree). */
export function differences(read = (path) => readFileSync(join(root, path), 'utf8')) {
  const out = [];
  for (const [path, gen] of Object.entries(HEADERS)) {
    if (read(path) !== gen()) out.push(`${path}: differs from the generator output`);
  }
  for (const [path, name, values] of EMBEDDED) {
    const have = parseCArray(read(path), name);
    const want = values.map((v) => BigInt(v));
    if (have.length !== want.length || have.some((v, i) => v !== want[i])) out.push(`${path}: ${name} differs`);
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--write')) {
    for (const [path, gen] of Object.entries(HEADERS)) writeFileSync(join(root, path), gen());
  }
  const diff = differences();
  for (const d of diff) console.error(d);
  if (diff.length) process.exitCode = 1;
  else
    console.log(
      `${Object.keys(HEADERS).length} headers and ${EMBEDDED.length} embedded tables agree with the generator`,
    );
}
