import { QsignError } from '../errors.js';
import { ensureBytes, randomBytes } from '../util/bytes.js';
import { KeccakKind, type QsignExports } from '../wasm/exports.js';
import { withHeap as withHeapOf, type Heap } from '../wasm/heap.js';
import { moduleSource } from '#wasm-source/mldsa';
import { getExports as getExportsOf, registerModuleSource } from '../wasm/loader.js';
import { checkStatus } from '../wasm/status.js';
// This family's module (instantiated on first use), and only it, enters a bundle with this code (loader.ts registerModuleSource).
registerModuleSource('ml-dsa', moduleSource);
const withHeap = <T>(fn: (h: Heap) => T): T => withHeapOf('ml-dsa', fn);
const getExports = (): QsignExports => getExportsOf('ml-dsa');

/*
 * ML-DSA (FIPS 204) on the wasm core, shaped like @noble/post-quantum 0.7.1's
 * `ml_dsa44/65/87` so code written against noble moves over unchanged, plus
 * external-μ signing (signMu/verifyMu/computeMu) that the streaming layer
 * (./stream.ts) and HashML-DSA (./hashml-dsa.ts) build on.
 */

/** FIPS 204 parameter-set numbers, used as the wasm `level` argument. */
export type MlDsaLevel = 44 | 65 | 87;

/** Byte lengths, named as in @noble/post-quantum. */
export interface MlDsaLengths {
  readonly secretKey: number;
  readonly publicKey: number;
  /** Private key seed ξ. */
  readonly seed: number;
  readonly signature: number;
  /** Length of `extraEntropy` (the FIPS 204 `rnd`). */
  readonly signRand: number;
}

/** Result of checking an expanded ML-DSA secret key: the public key it implies, or what is inconsistent. */
export type ExpandedKeyCheck = { ok: true; publicKey: Uint8Array } | { ok: false; reason: string };

/** Verification options (FIPS 204 §5.3). */
export interface MlDsaVerifyOptions {
  /** Context string, 0–255 bytes; default empty. Must equal the signer's. */
  context?: Uint8Array;
}

/** Signing options (FIPS 204 §5.2, §3.4). */
export interface MlDsaSignOptions extends MlDsaVerifyOptions {
  /**
   * Hedging randomness `rnd`: omitted = 32 fresh random bytes (recommended),
   * `false` = deterministic signing (`rnd = 0^32`), or exactly 32 bytes.
   */
  extraEntropy?: Uint8Array | false;
}

/** Options of the internal interface (Sign_internal / Verify_internal). */
export interface MlDsaInternalOptions {
  /** `msg` is a 64-byte μ instead of the formatted message M′. */
  externalMu?: boolean;
  extraEntropy?: Uint8Array | false;
}

/** A key pair; `secretKey` is the expanded FIPS 204 encoding. */
export interface MlDsaKeyPair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

/**
 * FIPS 204 ML-DSA.Sign_internal / Verify_internal, for test vectors and protocols that format M′ themselves.
 *
 * @example
 * ```ts
 * import { init, ml_dsa65 } from 'qsign-pqc';
 * await init();
 * const { publicKey, secretKey } = ml_dsa65.internal.keygen(new Uint8Array(32));
 * const mPrime = new Uint8Array([0, 0, ...new TextEncoder().encode('hi')]); // pure ML-DSA, empty context
 * const sig = ml_dsa65.internal.sign(mPrime, secretKey, { extraEntropy: false });
 * ml_dsa65.internal.verify(sig, mPrime, publicKey); // true
 * ```
 */
export interface MlDsaInternal {
  readonly info: { readonly type: 'ml-dsa' };
  readonly lengths: MlDsaLengths;
  /** ML-DSA.KeyGen_internal (FIPS 204 Alg 6) on `seed` ξ (32 bytes; random when omitted). */
  keygen(seed?: Uint8Array): MlDsaKeyPair;
  /** The public key of an expanded secret key. */
  getPublicKey(secretKey: Uint8Array): Uint8Array;
  /** Signs M′ as given (or μ with `externalMu`). */
  sign(msg: Uint8Array, secretKey: Uint8Array, opts?: MlDsaInternalOptions): Uint8Array;
  /** Verifies over M′ as given (or μ with `externalMu`). */
  verify(sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array, opts?: { externalMu?: boolean }): boolean;
}

/** A hash usable for noble-style `prehash(hash)`: callable, with a DER `oid`. */
export interface PrehashFunction {
  (msg: Uint8Array): Uint8Array;
  readonly oid?: Uint8Array;
}

/** The signing surface shared by ML-DSA and HashML-DSA objects. */
export interface MlDsaSigner {
  readonly info: { readonly type: string };
  readonly lengths: MlDsaLengths;
  readonly securityLevel: number;
  /** KeyGen (FIPS 204 Alg 1); with a 32-byte `seed` ξ it is deterministic (Alg 6). */
  keygen(seed?: Uint8Array): MlDsaKeyPair;
  /** The public key of an expanded secret key. */
  getPublicKey(secretKey: Uint8Array): Uint8Array;
  /** Signs `msg` (hedged by default; `extraEntropy: false` is deterministic). */
  sign(msg: Uint8Array, secretKey: Uint8Array, opts?: MlDsaSignOptions): Uint8Array;
  /** True when `sig` is a valid signature of `msg` under `publicKey`; false for any malformed input. */
  verify(sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array, opts?: MlDsaVerifyOptions): boolean;
}

/** One ML-DSA parameter set (pure ML-DSA, FIPS 204 Alg 1–3). */
export interface MlDsa extends MlDsaSigner {
  readonly info: { readonly type: 'ml-dsa' };
  /** Canonical name, e.g. `ML-DSA-65`. */
  readonly name: string;
  readonly level: MlDsaLevel;
  readonly internal: MlDsaInternal;
  /**
   * μ = SHAKE256(SHAKE256(pk, 64) ‖ 0x00 ‖ len(ctx) ‖ ctx ‖ msg, 64), the
   * external-μ input (FIPS 204 FAQ; RFC 9881 appendix). Lets a party that
   * holds only the public key hash a large message for a remote signer.
   */
  computeMu(publicKey: Uint8Array, msg: Uint8Array, opts?: MlDsaVerifyOptions): Uint8Array;
  /** Signs a 64-byte μ; the signature is identical to `sign()` of the message μ was computed from. */
  signMu(mu: Uint8Array, secretKey: Uint8Array, opts?: { extraEntropy?: Uint8Array | false }): Uint8Array;
  /** Verifies a signature given μ. */
  verifyMu(sig: Uint8Array, mu: Uint8Array, publicKey: Uint8Array): boolean;
  /**
   * HashML-DSA with a noble-style hash (callable with `oid`), as in
   * @noble/post-quantum; see also `hashml_dsa44/65/87`.
   */
  prehash(hash: PrehashFunction): MlDsaSigner;
}

interface ParamSet {
  name: string;
  level: MlDsaLevel;
  securityLevel: number;
  lengths: MlDsaLengths;
}

// FIPS 204 §7.2 lengths from the Table 1 parameters; derived, not imported, to keep the registry out of core
// bundles (test/unit/registry-single-source.test.ts checks they match it).
function paramSet(
  level: MlDsaLevel,
  k: number,
  l: number,
  eta: 2 | 4,
  lambda: number,
  gamma1Bits: number,
  omega: number,
): ParamSet {
  const etaBits = eta === 2 ? 3 : 4;
  return {
    name: `ML-DSA-${level}`,
    level,
    securityLevel: lambda,
    lengths: Object.freeze({
      secretKey: 32 + 32 + 64 + 32 * etaBits * (l + k) + 32 * 13 * k,
      publicKey: 32 + 32 * 10 * k,
      seed: 32,
      signature: lambda / 4 + 32 * l * (gamma1Bits + 1) + omega + k,
      signRand: 32,
    }),
  };
}

/** The three parameter sets (FIPS 204 Table 1: k, l, η, λ, log2 γ1, ω). */
export const PARAM_SETS: Readonly<Record<MlDsaLevel, ParamSet>> = Object.freeze({
  44: paramSet(44, 4, 4, 2, 128, 17, 80),
  65: paramSet(65, 6, 5, 4, 192, 19, 55),
  87: paramSet(87, 8, 7, 2, 256, 19, 75),
});

/** Messages up to this size go through the arena in one call; larger ones are streamed into μ. */
const ONE_SHOT_MAX = 256 * 1024;
/** Chunk size for absorbing long inputs through wasm memory. */
export const ABSORB_CHUNK = 256 * 1024;
const MU_BYTES = 64;
const TR_OFFSET = 64;

const SIGN_KEYS = ['context', 'extraEntropy'] as const;
const VERIFY_KEYS = ['context'] as const;

/**
 * Rejects unknown option keys: `{ ctx }` instead of `{ context }` would
 * otherwise sign without domain separation and silently "work".
 */
export function checkOptions<T extends object>(opts: T | undefined, allowed: readonly string[], where: string): T {
  if (opts === undefined) return {} as T;
  if (opts === null || typeof opts !== 'object') {
    throw new QsignError(
      'ERR_INVALID_ARGUMENT',
      `${where}: options must be an object, got ${opts === null ? 'null' : typeof opts}`,
    );
  }
  for (const k of Object.keys(opts)) {
    if (!allowed.includes(k)) {
      throw new QsignError('ERR_INVALID_ARGUMENT', `${where}: unknown option "${k}"; allowed: ${allowed.join(', ')}`);
    }
  }
  return opts;
}

/** The context string, validated (FIPS 204: at most 255 bytes). */
export function contextOf(ctx: unknown): Uint8Array {
  if (ctx === undefined) return new Uint8Array(0);
  const c = ensureBytes('context', ctx);
  if (c.length > 255) {
    throw new QsignError(
      'ERR_INVALID_ARGUMENT',
      `context must be at most 255 bytes (FIPS 204 §5.2), got ${c.length}; shorten it or hash it first`,
    );
  }
  return c;
}

/** M′ prefix of pure ML-DSA: 0x00 ‖ len(ctx) ‖ ctx. */
export function purePrefix(ctx: Uint8Array): Uint8Array {
  const pre = new Uint8Array(2 + ctx.length);
  pre[1] = ctx.length;
  pre.set(ctx, 2);
  return pre;
}

/** rnd for hedged (default), deterministic (`false`) or caller-chosen signing. */
export function rndOf(extraEntropy: unknown): Uint8Array {
  if (extraEntropy === undefined) return randomBytes(32);
  if (extraEntropy === false) return new Uint8Array(32);
  return ensureBytes('extraEntropy', extraEntropy, 32);
}

/**
 * Absorbs `parts` into a fresh SHAKE256 state and squeezes 64 bytes, feeding
 * long inputs through the arena in chunks (the arena is bounded).
 */
export function shake256Parts(parts: Uint8Array[]): Uint8Array {
  const x = getExports();
  const st = x.qs_keccak_new(KeccakKind.SHAKE256);
  if (st === 0) throw new QsignError('ERR_OUT_OF_MEMORY', 'could not allocate a SHAKE256 state in wasm memory');
  try {
    for (const part of parts) absorbInto(st, part);
    return withHeap((h) => {
      const out = h.alloc(MU_BYTES);
      checkStatus(x.qs_keccak_finalize(st), 'ML-DSA mu');
      checkStatus(x.qs_keccak_squeeze(st, out, MU_BYTES), 'ML-DSA mu');
      return h.read(out, MU_BYTES);
    });
  } finally {
    x.qs_keccak_free(st);
  }
}

/** Feeds `data` into a wasm Keccak state in arena-sized chunks. */
export function absorbInto(st: number, data: Uint8Array): void {
  for (let i = 0; i < data.length; i += ABSORB_CHUNK) {
    const part = data.subarray(i, Math.min(data.length, i + ABSORB_CHUNK));
    withHeap((h) => checkStatus(h.x.qs_keccak_absorb(st, h.put(part), part.length), 'ML-DSA mu'));
  }
}

/** tr = SHAKE256(pk, 64). */
export function trOfPublicKey(pk: Uint8Array): Uint8Array {
  return withHeap((h) => {
    const out = h.alloc(64);
    h.x.qs_keccak_oneshot(KeccakKind.SHAKE256, h.put(pk), pk.length, out, 64);
    return h.read(out, 64);
  });
}

function putMaybe(h: Heap, b: Uint8Array): number {
  return b.length === 0 ? 0 : h.put(b);
}

/** The wasm-backed operations of one parameter set; shared by every public wrapper. */
export class MlDsaCore {
  constructor(readonly p: ParamSet) {}

  keygen(seed?: Uint8Array): MlDsaKeyPair {
    const xi = seed === undefined ? randomBytes(32) : ensureBytes('seed', seed, 32);
    const { publicKey: pkLen, secretKey: skLen } = this.p.lengths;
    try {
      return withHeap((h) => {
        const pk = h.alloc(pkLen);
        const sk = h.alloc(skLen);
        checkStatus(h.x.qs_mldsa_keypair(this.p.level, h.put(xi), pk, sk), `${this.p.name} keygen`);
        return { publicKey: h.read(pk, pkLen), secretKey: h.read(sk, skLen) };
      });
    } finally {
      if (seed === undefined) xi.fill(0);
    }
  }

  getPublicKey(secretKey: Uint8Array): Uint8Array {
    this.checkSecretKey(secretKey);
    const pkLen = this.p.lengths.publicKey;
    return withHeap((h) => {
      const pk = h.alloc(pkLen);
      checkStatus(h.x.qs_mldsa_pk_from_sk(this.p.level, h.put(secretKey), pk), `${this.p.name} getPublicKey`);
      return h.read(pk, pkLen);
    });
  }

  checkSecretKey(sk: unknown): Uint8Array {
    if (!(sk instanceof Uint8Array) || sk.length !== this.p.lengths.secretKey) {
      const got = sk instanceof Uint8Array ? `${sk.length} bytes` : typeof sk;
      throw new QsignError(
        'ERR_INVALID_SECRET_KEY',
        `${this.p.name} secret key must be a Uint8Array of ${this.p.lengths.secretKey} bytes (the expanded FIPS 204 key), got ${got}` +
          (sk instanceof Uint8Array && sk.length === 32
            ? '; a 32-byte value is a seed: derive the key pair with keygen(seed)'
            : ''),
      );
    }
    return sk;
  }

  checkPublicKey(pk: unknown): Uint8Array {
    if (!(pk instanceof Uint8Array) || pk.length !== this.p.lengths.publicKey) {
      const got = pk instanceof Uint8Array ? `${pk.length} bytes` : typeof pk;
      throw new QsignError(
        'ERR_INVALID_PUBLIC_KEY',
        `${this.p.name} public key must be a Uint8Array of ${this.p.lengths.publicKey} bytes, got ${got}`,
      );
    }
    return pk;
  }

  /** Signs M′ = pre ‖ msg (Sign_internal on that M′). */
  signParts(pre: Uint8Array, msg: Uint8Array, secretKey: Uint8Array, extraEntropy: unknown): Uint8Array {
    ensureBytes('message', msg);
    this.checkSecretKey(secretKey);
    const rnd = rndOf(extraEntropy);
    try {
      if (pre.length + msg.length > ONE_SHOT_MAX) {
        const mu = shake256Parts([secretKey.subarray(TR_OFFSET, TR_OFFSET + 64), pre, msg]);
        return this.signMu(mu, secretKey, rnd);
      }
      const sigLen = this.p.lengths.signature;
      return withHeap((h) => {
        const sig = h.alloc(sigLen);
        const rc = h.x.qs_mldsa_sign_msg(
          this.p.level,
          h.put(secretKey),
          putMaybe(h, pre),
          pre.length,
          putMaybe(h, msg),
          msg.length,
          h.put(rnd),
          sig,
        );
        checkStatus(rc, `${this.p.name} sign`);
        return h.read(sig, sigLen);
      });
    } finally {
      if (extraEntropy === undefined) rnd.fill(0);
    }
  }

  /** Verifies over M′ = pre ‖ msg; false for any invalid or malformed signature. */
  verifyParts(sig: Uint8Array, pre: Uint8Array, msg: Uint8Array, publicKey: Uint8Array): boolean {
    ensureBytes('signature', sig);
    ensureBytes('message', msg);
    this.checkPublicKey(publicKey);
    if (sig.length !== this.p.lengths.signature) return false;
    if (pre.length + msg.length > ONE_SHOT_MAX) {
      const mu = shake256Parts([trOfPublicKey(publicKey), pre, msg]);
      return this.verifyMu(sig, mu, publicKey);
    }
    return withHeap(
      (h) =>
        h.x.qs_mldsa_verify_msg(
          this.p.level,
          h.put(publicKey),
          putMaybe(h, pre),
          pre.length,
          putMaybe(h, msg),
          msg.length,
          h.put(sig),
          sig.length,
        ) === 0,
    );
  }

  signMu(mu: Uint8Array, secretKey: Uint8Array, rnd: Uint8Array): Uint8Array {
    ensureBytes('mu', mu, MU_BYTES);
    this.checkSecretKey(secretKey);
    const sigLen = this.p.lengths.signature;
    return withHeap((h) => {
      const sig = h.alloc(sigLen);
      checkStatus(
        h.x.qs_mldsa_sign_mu(this.p.level, h.put(secretKey), h.put(mu), h.put(rnd), sig),
        `${this.p.name} signMu`,
      );
      return h.read(sig, sigLen);
    });
  }

  verifyMu(sig: Uint8Array, mu: Uint8Array, publicKey: Uint8Array): boolean {
    ensureBytes('signature', sig);
    ensureBytes('mu', mu, MU_BYTES);
    this.checkPublicKey(publicKey);
    if (sig.length !== this.p.lengths.signature) return false;
    return withHeap(
      (h) => h.x.qs_mldsa_verify_mu(this.p.level, h.put(publicKey), h.put(mu), h.put(sig), sig.length) === 0,
    );
  }

  computeMu(publicKey: Uint8Array, pre: Uint8Array, msg: Uint8Array): Uint8Array {
    this.checkPublicKey(publicKey);
    ensureBytes('message', msg);
    if (pre.length + msg.length > ONE_SHOT_MAX) return shake256Parts([trOfPublicKey(publicKey), pre, msg]);
    return withHeap((h) => {
      const mu = h.alloc(MU_BYTES);
      checkStatus(
        h.x.qs_mldsa_mu(this.p.level, h.put(publicKey), putMaybe(h, pre), pre.length, putMaybe(h, msg), msg.length, mu),
        `${this.p.name} computeMu`,
      );
      return h.read(mu, MU_BYTES);
    });
  }
}

const EMPTY = new Uint8Array(0);

/** HashML-DSA M′ prefix: 0x01 ‖ len(ctx) ‖ ctx ‖ OID. */
export function prehashPrefix(ctx: Uint8Array, oid: Uint8Array): Uint8Array {
  const pre = new Uint8Array(2 + ctx.length + oid.length);
  pre[0] = 1;
  pre[1] = ctx.length;
  pre.set(ctx, 2);
  pre.set(oid, 2 + ctx.length);
  return pre;
}

function makeInternal(core: MlDsaCore): MlDsaInternal {
  return Object.freeze({
    info: Object.freeze({ type: 'ml-dsa' as const }),
    lengths: core.p.lengths,
    keygen: (seed?: Uint8Array) => core.keygen(seed),
    getPublicKey: (sk: Uint8Array) => core.getPublicKey(sk),
    sign(msg: Uint8Array, secretKey: Uint8Array, opts?: MlDsaInternalOptions): Uint8Array {
      const o = checkOptions(opts, ['externalMu', 'extraEntropy'], `${core.p.name} internal.sign`);
      if (o.externalMu) {
        const rnd = rndOf(o.extraEntropy);
        try {
          return core.signMu(msg, secretKey, rnd);
        } finally {
          if (o.extraEntropy === undefined) rnd.fill(0);
        }
      }
      return core.signParts(EMPTY, msg, secretKey, o.extraEntropy);
    },
    verify(sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array, opts?: { externalMu?: boolean }): boolean {
      const o = checkOptions(opts, ['externalMu'], `${core.p.name} internal.verify`);
      return o.externalMu ? core.verifyMu(sig, msg, publicKey) : core.verifyParts(sig, EMPTY, msg, publicKey);
    },
  });
}

/** HashML-DSA over a caller-supplied pre-hash function (noble's `prehash(hash)`). */
export function makePrehashSigner(core: MlDsaCore, hash: PrehashFunction, type: string): MlDsaSigner {
  if (typeof hash !== 'function' || !(hash.oid instanceof Uint8Array)) {
    throw new QsignError(
      'ERR_INVALID_ARGUMENT',
      'prehash(hash) needs a hash function with a DER `oid` (e.g. sha512 from @noble/hashes/sha2.js); or use hashml_dsa65 with { hash: "SHA2-512" }',
    );
  }
  const oid = hash.oid;
  return Object.freeze({
    info: Object.freeze({ type }),
    lengths: core.p.lengths,
    securityLevel: core.p.securityLevel,
    keygen: (seed?: Uint8Array) => core.keygen(seed),
    getPublicKey: (sk: Uint8Array) => core.getPublicKey(sk),
    sign(msg: Uint8Array, secretKey: Uint8Array, opts?: MlDsaSignOptions): Uint8Array {
      const o = checkOptions(opts, SIGN_KEYS, `HashML-DSA-${core.p.level} sign`);
      const pre = prehashPrefix(contextOf(o.context), oid);
      return core.signParts(pre, hash(ensureBytes('message', msg)), secretKey, o.extraEntropy);
    },
    verify(sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array, opts?: MlDsaVerifyOptions): boolean {
      const o = checkOptions(opts, VERIFY_KEYS, `HashML-DSA-${core.p.level} verify`);
      const pre = prehashPrefix(contextOf(o.context), oid);
      return core.verifyParts(sig, pre, hash(ensureBytes('message', msg)), publicKey);
    },
  });
}

const cores = new Map<MlDsaLevel, MlDsaCore>();
/** The shared core of a parameter set (used by stream.ts and hashml-dsa.ts). */
export function coreOf(level: MlDsaLevel): MlDsaCore {
  let c = cores.get(level);
  if (!c) {
    c = new MlDsaCore(PARAM_SETS[level]);
    cores.set(level, c);
  }
  return c;
}

/** Builds the frozen, noble-shaped object for one parameter set. */
export function makeMlDsa(level: MlDsaLevel): MlDsa {
  const core = coreOf(level);
  const name = core.p.name;
  return Object.freeze({
    info: Object.freeze({ type: 'ml-dsa' as const }),
    name,
    level,
    securityLevel: core.p.securityLevel,
    lengths: core.p.lengths,
    internal: makeInternal(core),
    keygen: (seed?: Uint8Array) => core.keygen(seed),
    getPublicKey: (secretKey: Uint8Array) => core.getPublicKey(secretKey),
    sign(msg: Uint8Array, secretKey: Uint8Array, opts?: MlDsaSignOptions): Uint8Array {
      const o = checkOptions(opts, SIGN_KEYS, `${name} sign`);
      return core.signParts(purePrefix(contextOf(o.context)), msg, secretKey, o.extraEntropy);
    },
    verify(sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array, opts?: MlDsaVerifyOptions): boolean {
      const o = checkOptions(opts, VERIFY_KEYS, `${name} verify`);
      return core.verifyParts(sig, purePrefix(contextOf(o.context)), msg, publicKey);
    },
    computeMu(publicKey: Uint8Array, msg: Uint8Array, opts?: MlDsaVerifyOptions): Uint8Array {
      const o = checkOptions(opts, VERIFY_KEYS, `${name} computeMu`);
      return core.computeMu(publicKey, purePrefix(contextOf(o.context)), msg);
    },
    signMu(mu: Uint8Array, secretKey: Uint8Array, opts?: { extraEntropy?: Uint8Array | false }): Uint8Array {
      const o = checkOptions(opts, ['extraEntropy'], `${name} signMu`);
      const rnd = rndOf(o.extraEntropy);
      try {
        return core.signMu(mu, secretKey, rnd);
      } finally {
        if (o.extraEntropy === undefined) rnd.fill(0);
      }
    },
    verifyMu: (sig: Uint8Array, mu: Uint8Array, publicKey: Uint8Array) => core.verifyMu(sig, mu, publicKey),
    prehash: (hash: PrehashFunction) => makePrehashSigner(core, hash, 'hashml-dsa'),
  });
}

/**
 * Checks an expanded ML-DSA secret key that came without its seed (RFC 9881
 * §8.2) in the C core (`qs_mldsa_check_sk`): s1/s2 ranges, t0 against
 * Power2Round(A·s1 + s2), and tr = H(pk). Returns the public key it implies,
 * or what is inconsistent. The X.509 layer calls it on PKCS#8 `expandedKey`
 * imports. A function rather than a core method, so bundles that never
 * import keys drop it.
 */
export function checkExpandedSecretKey(level: MlDsaLevel, secretKey: Uint8Array): ExpandedKeyCheck {
  const core = coreOf(level);
  core.checkSecretKey(secretKey);
  const { name, lengths } = core.p;
  return withHeap((h) => {
    const pk = h.alloc(lengths.publicKey);
    const rc = h.x.qs_mldsa_check_sk(level, h.put(secretKey), pk);
    if (rc < 0) {
      if (rc !== -2) checkStatus(rc, `${name} expanded key check`);
      return { ok: false, reason: 's1 or s2 has a coefficient outside [-η, η]' };
    }
    if (rc & 1) return { ok: false, reason: 't0 does not match A·s1 + s2' };
    if (rc & 2) return { ok: false, reason: 'tr is not H(pk)' };
    return { ok: true, publicKey: h.read(pk, lengths.publicKey) };
  });
}
