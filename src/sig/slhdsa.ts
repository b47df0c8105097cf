import { QsignError } from '../errors.js';
import { algorithms, type AlgorithmInfo, type SlhDsaSizes } from '../registry.js';
import { ensureBytes, randomBytes } from '../util/bytes.js';
import { withOwnHeap } from '../wasm/heap.js';
import { slhDsaExports } from '../wasm/slhdsa-loader.js';
import { loadSha2 } from '../hash/sha2.js';
import { beforeReady } from '../wasm/loader.js';
import { checkStatus } from '../wasm/status.js';
import { PREHASHES, oidOf, prehashName, type Prehash, type PrehashName } from './hashml-dsa.js';
import { checkOptions, contextOf, purePrefix, prehashPrefix, type PrehashFunction } from './mldsa.js';

/*
 * SLH-DSA (FIPS 205) on its own wasm module, shaped like
 * @noble/post-quantum 0.7.1's `slh_dsa_*` objects so code written against
 * noble moves over unchanged; HashSLH-DSA (§10.2.2) as `hash_slh_dsa_*`.
 *
 * SLH-DSA reads the message twice (PRF_msg, then H_msg), so pure SLH-DSA
 * needs the whole message in wasm memory; for large or streamed data use
 * HashSLH-DSA, which hashes the message once (`signDigest` takes a digest
 * computed by any streaming hash).
 */

/** Byte lengths, named as in @noble/post-quantum. */
export interface SlhDsaLengths {
  readonly publicKey: number;
  readonly secretKey: number;
  readonly signature: number;
  /** keygen seed: SK.seed ‖ SK.prf ‖ PK.seed (3n bytes). */
  readonly seed: number;
  /** Length of `extraEntropy` (the FIPS 205 `addrnd`, n bytes). */
  readonly signRand: number;
}

/** A key pair: `secretKey` is SK.seed ‖ SK.prf ‖ PK.seed ‖ PK.root. */
export interface SlhDsaKeyPair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

/** Verification options (FIPS 205 §10.3). */
export interface SlhDsaVerifyOptions {
  /** Context string, 0–255 bytes; default empty. Must equal the signer's. */
  context?: Uint8Array;
}

/** Signing options (FIPS 205 §10.2). */
export interface SlhDsaSignOptions extends SlhDsaVerifyOptions {
  /**
   * `addrnd`: omitted = n fresh random bytes (hedged, recommended), `false` =
   * deterministic (opt_rand = PK.seed), or exactly n bytes.
   */
  extraEntropy?: Uint8Array | false;
}

/** The signing surface shared by the SLH-DSA objects and their `prehash()` / `internal` views. */
export interface SlhDsaSigner {
  readonly info: { readonly type: string };
  readonly lengths: SlhDsaLengths;
  /** A key pair from a 3n-byte seed (SK.seed ‖ SK.prf ‖ PK.seed; FIPS 205 Alg 18), fresh random when omitted. */
  keygen(seed?: Uint8Array): SlhDsaKeyPair;
  /** The public key inside a secret key (its last 2n bytes: PK.seed ‖ PK.root). */
  getPublicKey(secretKey: Uint8Array): Uint8Array;
  /** Signs `msg` (hedged unless `extraEntropy: false`), with an optional context string. */
  sign(msg: Uint8Array, secretKey: Uint8Array, opts?: SlhDsaSignOptions): Uint8Array;
  /** True when `sig` is a valid signature of `msg` under `publicKey` with the same context; never throws on a bad signature. */
  verify(sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array, opts?: SlhDsaVerifyOptions): boolean;
}

/** One SLH-DSA parameter set (pure SLH-DSA, FIPS 205 Alg 21/22/24). */
export interface SlhDsa extends SlhDsaSigner {
  readonly info: { readonly type: 'slh-dsa' };
  /** Canonical name, e.g. `SLH-DSA-SHA2-128s`. */
  readonly name: string;
  /** Classical security in bits (128, 192, 256). */
  readonly securityLevel: number;
  /** slh_sign_internal / slh_verify_internal on M′ as given (test vectors, protocols that format M′). */
  readonly internal: SlhDsaSigner;
  /** HashSLH-DSA with a noble-style hash (callable with a DER `oid`), as in @noble/post-quantum. */
  prehash(hash: PrehashFunction): SlhDsaSigner;
}

/** HashSLH-DSA signing options. */
export interface HashSlhDsaSignOptions extends SlhDsaSignOptions {
  /** Pre-hash function (FIPS 205 §10.2.2); default: the one this set's OID fixes (`defaultHash`). */
  hash?: PrehashName | string;
}
/** HashSLH-DSA verification options. */
export interface HashSlhDsaVerifyOptions extends SlhDsaVerifyOptions {
  /** Pre-hash function the signer used; default: the one this set's OID fixes. */
  hash?: PrehashName | string;
}

/** One HashSLH-DSA parameter set (FIPS 205 Alg 23/25); its signatures never verify as pure SLH-DSA. */
export interface HashSlhDsa {
  readonly info: { readonly type: 'hash-slh-dsa' };
  /** e.g. `HashSLH-DSA-SHA2-128s`. */
  readonly name: string;
  /** The pre-hash the registered OID (2.16.840.1.101.3.4.3.35–46) fixes, e.g. `SHA2-256`. */
  readonly defaultHash: PrehashName;
  /** Classical security in bits (128, 192, 256). */
  readonly securityLevel: number;
  /** Key, seed and signature lengths of the set. */
  readonly lengths: SlhDsaLengths;
  /** A key pair from a 3n-byte seed (the same keys as the pure set), fresh random when omitted. */
  keygen(seed?: Uint8Array): SlhDsaKeyPair;
  /** The public key inside a secret key. */
  getPublicKey(secretKey: Uint8Array): Uint8Array;
  /** Hashes `msg` with `opts.hash` (default {@link HashSlhDsa.defaultHash}) and signs the digest (FIPS 205 Alg 23). */
  sign(msg: Uint8Array, secretKey: Uint8Array, opts?: HashSlhDsaSignOptions): Uint8Array;
  /** True when `sig` is a HashSLH-DSA signature of `msg` with the same hash and context (FIPS 205 Alg 25). */
  verify(sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array, opts?: HashSlhDsaVerifyOptions): boolean;
  /** Signs an already computed PH(M) (e.g. from a streaming hash); its length must match the hash. */
  signDigest(digest: Uint8Array, secretKey: Uint8Array, opts?: HashSlhDsaSignOptions): Uint8Array;
  /** Verifies a signature over an already computed PH(M). */
  verifyDigest(sig: Uint8Array, digest: Uint8Array, publicKey: Uint8Array, opts?: HashSlhDsaVerifyOptions): boolean;
}

/**
 * Largest M′ pure SLH-DSA takes in one call: the module has 16 MiB of
 * memory and the message must sit there whole (it is read twice).
 */
export const SLH_DSA_MAX_MESSAGE = 12 * 1024 * 1024;

interface SetInfo {
  name: string;
  /** wasm ABI number: the last OID arc minus 20. */
  set: number;
  n: number;
  securityLevel: number;
  lengths: SlhDsaLengths;
}

function setInfo(a: AlgorithmInfo): SetInfo {
  // The registry builds every SLH-DSA row with all five sizes (from FIPS 205 Table 2's n, h, d, a, k).
  const s = a.sizes as SlhDsaSizes;
  const lengths = Object.freeze({
    publicKey: s.publicKey,
    secretKey: s.secretKey,
    signature: s.signature,
    seed: s.seed,
    signRand: s.signRand,
  });
  const n = s.signRand;
  return { name: a.name, set: Number(a.oid!.split('.').pop()) - 20, n, securityLevel: a.securityBits!, lengths };
}

const EMPTY = new Uint8Array(0);
const SIGN_KEYS = ['context', 'extraEntropy'] as const;
const VERIFY_KEYS = ['context'] as const;

class SlhDsaCore {
  constructor(readonly p: SetInfo) {}

  keygen(seed?: Uint8Array): SlhDsaKeyPair {
    const { seed: seedLen, publicKey: pkLen, secretKey: skLen } = this.p.lengths;
    const s = seed === undefined ? randomBytes(seedLen) : ensureBytes('seed', seed, seedLen);
    try {
      const x = slhDsaExports();
      return withOwnHeap(x, seedLen + pkLen + skLen + 64, (h) => {
        const pk = h.alloc(pkLen),
          sk = h.alloc(skLen);
        checkStatus(x.qs_slh_keypair(this.p.set, h.put(s), pk, sk), `${this.p.name} keygen`);
        return { publicKey: h.read(pk, pkLen), secretKey: h.read(sk, skLen) };
      });
    } finally {
      if (seed === undefined) s.fill(0);
    }
  }

  getPublicKey(secretKey: Uint8Array): Uint8Array {
    const sk = this.checkSecretKey(secretKey);
    return sk.slice(2 * this.p.n);
  }

  checkSecretKey(sk: unknown): Uint8Array {
    if (!(sk instanceof Uint8Array) || sk.length !== this.p.lengths.secretKey) {
      const got = sk instanceof Uint8Array ? `${sk.length} bytes` : typeof sk;
      throw new QsignError(
        'ERR_INVALID_SECRET_KEY',
        `${this.p.name} secret key must be a Uint8Array of ${this.p.lengths.secretKey} bytes (SK.seed ‖ SK.prf ‖ PK.seed ‖ PK.root), got ${got}` +
          (sk instanceof Uint8Array && sk.length === this.p.lengths.seed
            ? `; a ${sk.length}-byte value is a seed: derive the key pair with keygen(seed)`
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

  private checkSize(pre: Uint8Array, msg: Uint8Array): void {
    if (pre.length + msg.length > SLH_DSA_MAX_MESSAGE) {
      throw new QsignError(
        'ERR_INPUT_TOO_LARGE',
        `${this.p.name}: a ${msg.length}-byte message is over the ${SLH_DSA_MAX_MESSAGE}-byte limit of pure SLH-DSA, which reads the message twice; ` +
          'sign large or streamed data with HashSLH-DSA (hash_slh_dsa_*.signDigest with a streaming hash)',
      );
    }
  }

  /** slh_sign_internal on M′ = pre ‖ msg. */
  sign(pre: Uint8Array, msg: Uint8Array, secretKey: Uint8Array, extraEntropy: unknown): Uint8Array {
    ensureBytes('message', msg);
    this.checkSecretKey(secretKey);
    this.checkSize(pre, msg);
    const n = this.p.n;
    const addrnd =
      extraEntropy === undefined
        ? randomBytes(n)
        : extraEntropy === false
          ? undefined
          : ensureBytes('extraEntropy', extraEntropy, n);
    const sigLen = this.p.lengths.signature;
    try {
      const x = slhDsaExports();
      return withOwnHeap(x, secretKey.length + pre.length + msg.length + sigLen + n + 96, (h) => {
        const sig = h.alloc(sigLen);
        const rc = x.qs_slh_sign(
          this.p.set,
          h.put(secretKey),
          pre.length ? h.put(pre) : 0,
          pre.length,
          msg.length ? h.put(msg) : 0,
          msg.length,
          addrnd ? h.put(addrnd) : 0,
          sig,
        );
        checkStatus(rc, `${this.p.name} sign`);
        return h.read(sig, sigLen);
      });
    } finally {
      if (extraEntropy === undefined) addrnd!.fill(0);
    }
  }

  /** slh_verify_internal on M′ = pre ‖ msg; false for any invalid or malformed signature. */
  verify(sig: Uint8Array, pre: Uint8Array, msg: Uint8Array, publicKey: Uint8Array): boolean {
    ensureBytes('signature', sig);
    ensureBytes('message', msg);
    this.checkPublicKey(publicKey);
    if (sig.length !== this.p.lengths.signature) return false;
    this.checkSize(pre, msg);
    const x = slhDsaExports();
    return withOwnHeap(
      x,
      publicKey.length + pre.length + msg.length + sig.length + 96,
      (h) =>
        x.qs_slh_verify(
          this.p.set,
          h.put(publicKey),
          pre.length ? h.put(pre) : 0,
          pre.length,
          msg.length ? h.put(msg) : 0,
          msg.length,
          h.put(sig),
          sig.length,
        ) === 0,
    );
  }
}

function prehashSigner(core: SlhDsaCore, hash: PrehashFunction): SlhDsaSigner {
  if (typeof hash !== 'function' || !(hash.oid instanceof Uint8Array)) {
    throw new QsignError(
      'ERR_INVALID_ARGUMENT',
      'prehash(hash) needs a hash function with a DER `oid` (e.g. sha256 from @noble/hashes/sha2.js); or use hash_slh_dsa_* with { hash: "SHA2-256" }',
    );
  }
  const oid = hash.oid;
  const name = `Hash${core.p.name}`;
  return Object.freeze({
    info: Object.freeze({ type: 'hash-slh-dsa' }),
    lengths: core.p.lengths,
    keygen: (seed?: Uint8Array) => core.keygen(seed),
    getPublicKey: (sk: Uint8Array) => core.getPublicKey(sk),
    sign(msg: Uint8Array, secretKey: Uint8Array, opts?: SlhDsaSignOptions): Uint8Array {
      const o = checkOptions(opts, SIGN_KEYS, `${name} sign`);
      const pre = prehashPrefix(contextOf(o.context), oid);
      return core.sign(pre, hash(ensureBytes('message', msg)), secretKey, o.extraEntropy);
    },
    verify(sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array, opts?: SlhDsaVerifyOptions): boolean {
      const o = checkOptions(opts, VERIFY_KEYS, `${name} verify`);
      const pre = prehashPrefix(contextOf(o.context), oid);
      return core.verify(sig, pre, hash(ensureBytes('message', msg)), publicKey);
    },
  });
}

function makeSlhDsa(core: SlhDsaCore): SlhDsa {
  const name = core.p.name;
  const internal: SlhDsaSigner = Object.freeze({
    info: Object.freeze({ type: 'slh-dsa' }),
    lengths: core.p.lengths,
    keygen: (seed?: Uint8Array) => core.keygen(seed),
    getPublicKey: (sk: Uint8Array) => core.getPublicKey(sk),
    sign(msg: Uint8Array, secretKey: Uint8Array, opts?: SlhDsaSignOptions): Uint8Array {
      const o = checkOptions(opts, ['extraEntropy'], `${name} internal.sign`);
      return core.sign(EMPTY, msg, secretKey, o.extraEntropy);
    },
    verify(sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array, opts?: SlhDsaVerifyOptions): boolean {
      checkOptions(opts, [], `${name} internal.verify`);
      return core.verify(sig, EMPTY, msg, publicKey);
    },
  });
  return Object.freeze({
    info: Object.freeze({ type: 'slh-dsa' as const }),
    name,
    securityLevel: core.p.securityLevel,
    lengths: core.p.lengths,
    internal,
    keygen: (seed?: Uint8Array) => core.keygen(seed),
    getPublicKey: (sk: Uint8Array) => core.getPublicKey(sk),
    sign(msg: Uint8Array, secretKey: Uint8Array, opts?: SlhDsaSignOptions): Uint8Array {
      const o = checkOptions(opts, SIGN_KEYS, `${name} sign`);
      return core.sign(purePrefix(contextOf(o.context)), msg, secretKey, o.extraEntropy);
    },
    verify(sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array, opts?: SlhDsaVerifyOptions): boolean {
      const o = checkOptions(opts, VERIFY_KEYS, `${name} verify`);
      return core.verify(sig, purePrefix(contextOf(o.context)), msg, publicKey);
    },
    prehash: (hash: PrehashFunction) => prehashSigner(core, hash),
  });
}

function makeHashSlhDsa(core: SlhDsaCore, defaultHash: PrehashName): HashSlhDsa {
  beforeReady(loadSha2);
  const name = `Hash${core.p.name}`;
  const phOf = (h: unknown): Prehash => PREHASHES[h === undefined ? defaultHash : prehashName(h)];
  const digestOf = (ph: Prehash, d: unknown): Uint8Array => ensureBytes('digest', d, ph.outLen);
  const SIGN = ['context', 'extraEntropy', 'hash'];
  const VERIFY = ['context', 'hash'];
  return Object.freeze({
    info: Object.freeze({ type: 'hash-slh-dsa' as const }),
    name,
    defaultHash,
    securityLevel: core.p.securityLevel,
    lengths: core.p.lengths,
    keygen: (seed?: Uint8Array) => core.keygen(seed),
    getPublicKey: (sk: Uint8Array) => core.getPublicKey(sk),
    sign(msg: Uint8Array, secretKey: Uint8Array, opts?: HashSlhDsaSignOptions): Uint8Array {
      const o = checkOptions(opts, SIGN, `${name} sign`);
      const ph = phOf(o.hash);
      const pre = prehashPrefix(contextOf(o.context), oidOf(ph));
      return core.sign(pre, ph.fn(ensureBytes('message', msg)), secretKey, o.extraEntropy);
    },
    verify(sig: Uint8Array, msg: Uint8Array, publicKey: Uint8Array, opts?: HashSlhDsaVerifyOptions): boolean {
      const o = checkOptions(opts, VERIFY, `${name} verify`);
      const ph = phOf(o.hash);
      const pre = prehashPrefix(contextOf(o.context), oidOf(ph));
      return core.verify(sig, pre, ph.fn(ensureBytes('message', msg)), publicKey);
    },
    signDigest(digest: Uint8Array, secretKey: Uint8Array, opts?: HashSlhDsaSignOptions): Uint8Array {
      const o = checkOptions(opts, SIGN, `${name} signDigest`);
      const ph = phOf(o.hash);
      const pre = prehashPrefix(contextOf(o.context), oidOf(ph));
      return core.sign(pre, digestOf(ph, digest), secretKey, o.extraEntropy);
    },
    verifyDigest(sig: Uint8Array, digest: Uint8Array, publicKey: Uint8Array, opts?: HashSlhDsaVerifyOptions): boolean {
      const o = checkOptions(opts, VERIFY, `${name} verifyDigest`);
      const ph = phOf(o.hash);
      const pre = prehashPrefix(contextOf(o.context), oidOf(ph));
      return core.verify(sig, pre, digestOf(ph, digest), publicKey);
    },
  });
}

let cores: Map<string, { core: SlhDsaCore; prehash?: PrehashName }> | undefined;
/** The core of a set and the pre-hash its HashSLH-DSA OID fixes, from the registry (built on first use). */
function coreOf(name: string): { core: SlhDsaCore; prehash?: PrehashName } {
  if (!cores) {
    cores = new Map();
    for (const a of algorithms()) if (a.family === 'SLH-DSA') cores.set(a.name, { core: new SlhDsaCore(setInfo(a)) });
    for (const a of algorithms()) {
      const base = a.family === 'HashSLH-DSA' ? a.name.match(/^Hash(SLH-DSA-.*)-with-/)?.[1] : undefined;
      if (base && a.prehash) cores.get(base)!.prehash = a.prehash as PrehashName;
    }
  }
  return cores.get(name)!;
}

function pure(name: string): SlhDsa {
  return makeSlhDsa(coreOf(name).core);
}
function hashed(name: string): HashSlhDsa {
  const { core, prehash } = coreOf(name);
  return makeHashSlhDsa(core, prehash!);
}

// The exports below are annotated pure (no side effects but building the
// object), so bundlers drop the SLH-DSA layer from apps that do not use it.

/** SLH-DSA-SHA2-128s (FIPS 205; OID 2.16.840.1.101.3.4.3.20). */
export const slh_dsa_sha2_128s: SlhDsa = /* @__PURE__ */ pure('SLH-DSA-SHA2-128s');
/** SLH-DSA-SHA2-128f (OID …3.21). */
export const slh_dsa_sha2_128f: SlhDsa = /* @__PURE__ */ pure('SLH-DSA-SHA2-128f');
/** SLH-DSA-SHA2-192s (OID …3.22). */
export const slh_dsa_sha2_192s: SlhDsa = /* @__PURE__ */ pure('SLH-DSA-SHA2-192s');
/** SLH-DSA-SHA2-192f (OID …3.23). */
export const slh_dsa_sha2_192f: SlhDsa = /* @__PURE__ */ pure('SLH-DSA-SHA2-192f');
/** SLH-DSA-SHA2-256s (OID …3.24). */
export const slh_dsa_sha2_256s: SlhDsa = /* @__PURE__ */ pure('SLH-DSA-SHA2-256s');
/** SLH-DSA-SHA2-256f (OID …3.25). */
export const slh_dsa_sha2_256f: SlhDsa = /* @__PURE__ */ pure('SLH-DSA-SHA2-256f');
/** SLH-DSA-SHAKE-128s (OID …3.26). */
export const slh_dsa_shake_128s: SlhDsa = /* @__PURE__ */ pure('SLH-DSA-SHAKE-128s');
/** SLH-DSA-SHAKE-128f (OID …3.27). */
export const slh_dsa_shake_128f: SlhDsa = /* @__PURE__ */ pure('SLH-DSA-SHAKE-128f');
/** SLH-DSA-SHAKE-192s (OID …3.28). */
export const slh_dsa_shake_192s: SlhDsa = /* @__PURE__ */ pure('SLH-DSA-SHAKE-192s');
/** SLH-DSA-SHAKE-192f (OID …3.29). */
export const slh_dsa_shake_192f: SlhDsa = /* @__PURE__ */ pure('SLH-DSA-SHAKE-192f');
/** SLH-DSA-SHAKE-256s (OID …3.30). */
export const slh_dsa_shake_256s: SlhDsa = /* @__PURE__ */ pure('SLH-DSA-SHAKE-256s');
/** SLH-DSA-SHAKE-256f (OID …3.31). */
export const slh_dsa_shake_256f: SlhDsa = /* @__PURE__ */ pure('SLH-DSA-SHAKE-256f');

/** HashSLH-DSA-SHA2-128s, SHA-256 by default (OID …3.35). */
export const hash_slh_dsa_sha2_128s: HashSlhDsa = /* @__PURE__ */ hashed('SLH-DSA-SHA2-128s');
/** HashSLH-DSA-SHA2-128f, SHA-256 by default (OID …3.36). */
export const hash_slh_dsa_sha2_128f: HashSlhDsa = /* @__PURE__ */ hashed('SLH-DSA-SHA2-128f');
/** HashSLH-DSA-SHA2-192s, SHA-512 by default (OID …3.37). */
export const hash_slh_dsa_sha2_192s: HashSlhDsa = /* @__PURE__ */ hashed('SLH-DSA-SHA2-192s');
/** HashSLH-DSA-SHA2-192f, SHA-512 by default (OID …3.38). */
export const hash_slh_dsa_sha2_192f: HashSlhDsa = /* @__PURE__ */ hashed('SLH-DSA-SHA2-192f');
/** HashSLH-DSA-SHA2-256s, SHA-512 by default (OID …3.39). */
export const hash_slh_dsa_sha2_256s: HashSlhDsa = /* @__PURE__ */ hashed('SLH-DSA-SHA2-256s');
/** HashSLH-DSA-SHA2-256f, SHA-512 by default (OID …3.40). */
export const hash_slh_dsa_sha2_256f: HashSlhDsa = /* @__PURE__ */ hashed('SLH-DSA-SHA2-256f');
/** HashSLH-DSA-SHAKE-128s, SHAKE128 by default (OID …3.41). */
export const hash_slh_dsa_shake_128s: HashSlhDsa = /* @__PURE__ */ hashed('SLH-DSA-SHAKE-128s');
/** HashSLH-DSA-SHAKE-128f, SHAKE128 by default (OID …3.42). */
export const hash_slh_dsa_shake_128f: HashSlhDsa = /* @__PURE__ */ hashed('SLH-DSA-SHAKE-128f');
/** HashSLH-DSA-SHAKE-192s, SHAKE256 by default (OID …3.43). */
export const hash_slh_dsa_shake_192s: HashSlhDsa = /* @__PURE__ */ hashed('SLH-DSA-SHAKE-192s');
/** HashSLH-DSA-SHAKE-192f, SHAKE256 by default (OID …3.44). */
export const hash_slh_dsa_shake_192f: HashSlhDsa = /* @__PURE__ */ hashed('SLH-DSA-SHAKE-192f');
/** HashSLH-DSA-SHAKE-256s, SHAKE256 by default (OID …3.45). */
export const hash_slh_dsa_shake_256s: HashSlhDsa = /* @__PURE__ */ hashed('SLH-DSA-SHAKE-256s');
/** HashSLH-DSA-SHAKE-256f, SHAKE256 by default (OID …3.46). */
export const hash_slh_dsa_shake_256f: HashSlhDsa = /* @__PURE__ */ hashed('SLH-DSA-SHAKE-256f');

const PURE_SETS: readonly SlhDsa[] = [
  slh_dsa_sha2_128s,
  slh_dsa_sha2_128f,
  slh_dsa_sha2_192s,
  slh_dsa_sha2_192f,
  slh_dsa_sha2_256s,
  slh_dsa_sha2_256f,
  slh_dsa_shake_128s,
  slh_dsa_shake_128f,
  slh_dsa_shake_192s,
  slh_dsa_shake_192f,
  slh_dsa_shake_256s,
  slh_dsa_shake_256f,
];

/**
 * @internal The pure SLH-DSA object of a registry set name (`SLH-DSA-SHA2-128s`), or undefined: the one lookup
 * the X.509, CMS and transit layers use (its wasm module still needs `loadSlhDsa()` before use).
 */
export function slhDsaByName(name: string): SlhDsa | undefined {
  return PURE_SETS.find((o) => o.name === name);
}
