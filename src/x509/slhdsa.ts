/**
 * The SLH-DSA objects (src/sig/slhdsa.ts) by their registry name, and the
 * one place the protocol layers sign and verify with either signature family:
 * ML-DSA goes through the engine (wasm or native Web Crypto), SLH-DSA to its
 * own wasm module, loaded here on first use (fetched in browsers, so the
 * async paths need no `loadSlhDsa()` of their own; the synchronous key
 * functions do, there). X.509 (RFC 9909 §4) and CMS (RFC 9814 §4) use pure
 * SLH-DSA with the empty context.
 */
import { slhDsaByName as lookup, type SlhDsa } from '../sig/slhdsa.js';
import { loadSlhDsa } from '../sig/index.js';
import { sign as engineSign, verify as engineVerify } from '../engine/signature.js';
import type { SignatureAlgorithm } from '../engine/native.js';
import type { SlhDsaName } from '../registry.js';

/** The SLH-DSA object of a canonical set name (e.g. `SLH-DSA-SHA2-128s`). */
export function slhDsaByName(name: SlhDsaName): SlhDsa {
  return lookup(name)!;
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
