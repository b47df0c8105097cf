/**
 * ML-DSA (FIPS 204) signatures on the wasm core.
 *
 * `ml_dsa44/65/87` have the shape of @noble/post-quantum 0.7.1's objects
 * (`keygen`, `getPublicKey`, `sign`, `verify`, `internal`, `prehash`,
 * `lengths`) plus external μ (`computeMu`, `signMu`, `verifyMu`) and
 * streaming (`signer`, `verifier`, `signStream`, `verifyStream`).
 * `hashml_dsa44/65/87` are HashML-DSA, a separate algorithm.
 *
 * @example
 * ```ts
 * import { init, ml_dsa65 } from 'qsign-pqc';
 * await init();
 * const { publicKey, secretKey } = ml_dsa65.keygen();
 * const sig = ml_dsa65.sign(msg, secretKey, { context });
 * ml_dsa65.verify(sig, msg, publicKey, { context }); // true
 * const s = await ml_dsa65.signStream(fs.createReadStream('big.iso'), secretKey);
 * ```
 */
import { QsignError } from '../errors.js';
import { ML_DSA } from '../registry/ml-dsa.js';
import { findIn, namesWithAliases } from '../registry/rows.js';
import {
  makeMlDsa,
  coreOf,
  type MlDsa,
  type MlDsaLevel,
  type MlDsaSignOptions,
  type MlDsaVerifyOptions,
} from './mldsa.js';
import {
  makeSigner,
  makeVerifier,
  signStream,
  verifyStream,
  type ByteSource,
  type MlDsaStreamSigner,
  type MlDsaStreamVerifier,
} from './stream.js';

export type {
  MlDsa,
  MlDsaLevel,
  MlDsaLengths,
  MlDsaKeyPair,
  MlDsaSignOptions,
  MlDsaVerifyOptions,
  MlDsaInternal,
  MlDsaInternalOptions,
  MlDsaSigner,
  PrehashFunction,
} from './mldsa.js';
export type { ByteSource, MlDsaStreamSigner, MlDsaStreamVerifier } from './stream.js';
export { hashml_dsa44, hashml_dsa65, hashml_dsa87, prehashName } from './hashml-dsa.js';
export type { HashMlDsa, HashMlDsaSignOptions, HashMlDsaVerifyOptions, PrehashName } from './hashml-dsa.js';

/** An ML-DSA parameter set with streaming. */
export interface MlDsaStreaming extends MlDsa {
  /**
   * Starts an incremental signature over a message fed with `update()`; the
   * result equals `sign(wholeMessage, secretKey, opts)` (byte for byte when
   * deterministic). Call `sign()` or `destroy()` (or use `using`) so the
   * wasm state is freed promptly.
   */
  signer(secretKey: Uint8Array, opts?: MlDsaSignOptions): MlDsaStreamSigner;
  /** Starts an incremental verification; finish with `verify(sig)`. */
  verifier(publicKey: Uint8Array, opts?: MlDsaVerifyOptions): MlDsaStreamVerifier;
  /** Signs a ReadableStream / Node stream / (async) iterable of chunks with flat memory. */
  signStream(source: ByteSource, secretKey: Uint8Array, opts?: MlDsaSignOptions): Promise<Uint8Array>;
  /** Verifies `sig` over a stream of chunks; resolves false for an invalid signature. */
  verifyStream(sig: Uint8Array, source: ByteSource, publicKey: Uint8Array, opts?: MlDsaVerifyOptions): Promise<boolean>;
}

function build(level: MlDsaLevel): MlDsaStreaming {
  const core = coreOf(level);
  return Object.freeze({
    ...makeMlDsa(level),
    signer: (secretKey: Uint8Array, opts?: MlDsaSignOptions) => makeSigner(core, secretKey, opts),
    verifier: (publicKey: Uint8Array, opts?: MlDsaVerifyOptions) => makeVerifier(core, publicKey, opts),
    signStream: (source: ByteSource, secretKey: Uint8Array, opts?: MlDsaSignOptions) =>
      signStream(core, source, secretKey, opts),
    verifyStream: (sig: Uint8Array, source: ByteSource, publicKey: Uint8Array, opts?: MlDsaVerifyOptions) =>
      verifyStream(core, sig, source, publicKey, opts),
  });
}

// Pure: building an object has no effect, so a bundle that never uses one (the hybrid layer reaches the
// engine, whose wasm table names all three) drops it and the ML-DSA code behind it.
/** ML-DSA-44 (FIPS 204, NIST category 2). */
export const ml_dsa44: MlDsaStreaming = /* @__PURE__ */ build(44);
/** ML-DSA-65 (FIPS 204, NIST category 3). */
export const ml_dsa65: MlDsaStreaming = /* @__PURE__ */ build(65);
/** ML-DSA-87 (FIPS 204, NIST category 5). */
export const ml_dsa87: MlDsaStreaming = /* @__PURE__ */ build(87);

const BY_LEVEL: Record<MlDsaLevel, MlDsaStreaming> = { 44: ml_dsa44, 65: ml_dsa65, 87: ml_dsa87 };

/**
 * Looks up an ML-DSA parameter set by name: `ML-DSA-65`, the liboqs name,
 * or an alias such as `mldsa65`, `dilithium3` / `Dilithium3`
 * (case-insensitive).
 *
 * Aliases `dilithium2/3/5` map to the FIPS 204 sets for convenience only:
 * round-3 Dilithium keys and signatures are NOT compatible (e.g. Dilithium3
 * sk 4000 / sig 3293 bytes vs ML-DSA-65 4032 / 3309; tr, c̃ and the message
 * formatting changed).
 *
 * @throws QsignError `ERR_UNKNOWN_ALGORITHM` for any other name.
 */
export function sig(name: string): MlDsaStreaming {
  const info = findIn(ML_DSA, name);
  const m = info?.name.match(/^ML-DSA-(44|65|87)$/);
  if (!m) {
    throw new QsignError(
      'ERR_UNKNOWN_ALGORITHM',
      `unknown signature algorithm ${JSON.stringify(name)}; use ${namesWithAliases(ML_DSA)}`,
    );
  }
  return BY_LEVEL[Number(m[1]) as MlDsaLevel];
}

/**
 * SLH-DSA (FIPS 205), all twelve parameter sets, on a wasm module of its own
 * loaded on first use (browsers: `await loadSlhDsa()`
 * first).
 *
 * @example
 * ```ts
 * import { init, slh_dsa_sha2_128s } from 'qsign-pqc';
 * await init();
 * const { publicKey, secretKey } = slh_dsa_sha2_128s.keygen();
 * const sig = slh_dsa_sha2_128s.sign(msg, secretKey, { context });
 * slh_dsa_sha2_128s.verify(sig, msg, publicKey, { context }); // true
 * ```
 */
export {
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
  hash_slh_dsa_sha2_128s,
  hash_slh_dsa_sha2_128f,
  hash_slh_dsa_sha2_192s,
  hash_slh_dsa_sha2_192f,
  hash_slh_dsa_sha2_256s,
  hash_slh_dsa_sha2_256f,
  hash_slh_dsa_shake_128s,
  hash_slh_dsa_shake_128f,
  hash_slh_dsa_shake_192s,
  hash_slh_dsa_shake_192f,
  hash_slh_dsa_shake_256s,
  hash_slh_dsa_shake_256f,
  SLH_DSA_MAX_MESSAGE,
} from './slhdsa.js';
export type {
  SlhDsa,
  SlhDsaSigner,
  SlhDsaKeyPair,
  SlhDsaLengths,
  SlhDsaSignOptions,
  SlhDsaVerifyOptions,
  HashSlhDsa,
  HashSlhDsaSignOptions,
  HashSlhDsaVerifyOptions,
} from './slhdsa.js';
export { loadSlhDsa } from '../wasm/slhdsa-loader.js';
export type { LoadSlhDsaOptions } from '../wasm/slhdsa-loader.js';
