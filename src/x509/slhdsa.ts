/**
 * The SLH-DSA objects (src/sig/slhdsa.ts) by their registry name, and the
 * one place the protocol layers sign and verify with either signature family:
 * ML-DSA goes through the engine (wasm or native Web Crypto), SLH-DSA to its
 * own wasm module, loaded here on first use (fetched in browsers, so the
 * async paths need no `loadSlhDsa()` of their own; the synchronous key
 * functions do, there). X.509 (RFC 9909 §4) and CMS (RFC 9814 §4) use pure
 * SLH-DSA with the empty context.
 */
import {
  slh_dsa_sha2_128f,
  slh_dsa_sha2_128s,
  slh_dsa_sha2_192f,
  slh_dsa_sha2_192s,
  slh_dsa_sha2_256f,
  slh_dsa_sha2_256s,
  slh_dsa_shake_128f,
  slh_dsa_shake_128s,
  slh_dsa_shake_192f,
  slh_dsa_shake_192s,
  slh_dsa_shake_256f,
  slh_dsa_shake_256s,
  type SlhDsa,
} from '../sig/slhdsa.js';
import { loadSlhDsa } from '../sig/index.js';
import { sign as engineSign, verify as engineVerify } from '../engine/signature.js';
import type { SignatureAlgorithm } from '../engine/native.js';
import type { SlhDsaName } from '../registry.js';

let byName: Map<string, SlhDsa> | undefined;

/** The SLH-DSA object of a canonical set name (e.g. `SLH-DSA-SHA2-128s`). */
export function slhDsaByName(name: SlhDsaName): SlhDsa {
  byName ??= new Map(
    [
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
    ].map((o) => [o.name, o]),
  );
  return byName.get(name)!;
}

const isSlh = (alg: string): alg is SlhDsaName => alg.startsWith('SLH-DSA-');

/**
 * Signs `message` with pure ML-DSA or pure SLH-DSA and the empty context;
 * hedged unless `extraEntropy: false`.
 */
export async function signMessage(
  alg: SignatureAlgorithm | SlhDsaName,
  secretKey: Uint8Array,
  message: Uint8Array,
  opts: { extraEntropy?: false | Uint8Array } = {},
): Promise<Uint8Array> {
  if (isSlh(alg)) {
    await loadSlhDsa();
    return slhDsaByName(alg).sign(
      message,
      secretKey,
      opts.extraEntropy === undefined ? undefined : { extraEntropy: opts.extraEntropy },
    );
  }
  return engineSign(
    alg,
    secretKey,
    message,
    opts.extraEntropy === undefined ? {} : { extraEntropy: opts.extraEntropy },
  );
}

/** Verifies a pure ML-DSA or SLH-DSA signature with the empty context; false for any invalid one. */
export async function verifyMessage(
  alg: SignatureAlgorithm | SlhDsaName,
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  if (isSlh(alg)) {
    await loadSlhDsa();
    return slhDsaByName(alg).verify(signature, message, publicKey);
  }
  return engineVerify(alg, publicKey, message, signature);
}
