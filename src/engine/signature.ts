/**
 * The signature half of the engine interface (see ./router.ts): ML-DSA key
 * generation, signing and verification on wasm or native Web Crypto. It
 * references only the ML-DSA wrappers, so a verifier's bundle carries no
 * ML-KEM code.
 */
import { sizeOf, importSeed, importPublic, nativeSign, nativeVerify, type SignatureAlgorithm } from './native.js';
import { probeSignatureAlgorithm } from './probe.js';
import {
  route,
  keygenWith,
  resolveAlgorithm,
  checkBytes,
  checkContext,
  checkKey,
  signOpts,
  type KeygenOptions,
  type KeyPair,
  type SignOptions,
} from './router.js';
import { isCryptoKey } from './runtime.js';
import { WASM_SIGS } from './wasm.js';

/** Resolves a signature algorithm name or alias to its canonical name. */
export function signatureAlgorithm(name: string): SignatureAlgorithm {
  return resolveAlgorithm(name, ['signature'], 'signature ', 'ML-DSA-44, ML-DSA-65 or ML-DSA-87');
}

/**
 * Key pair from a 32-byte ML-DSA seed (or fresh randomness). By default the
 * secret key is the expanded bytes (wasm); see {@link KeygenOptions} for seed
 * or CryptoKey output.
 */
export async function signatureKeygen(
  alg: string,
  seed?: Uint8Array,
): Promise<{ publicKey: Uint8Array; secretKey: Uint8Array }>;
export async function signatureKeygen(
  alg: string,
  seed: Uint8Array | undefined,
  opts: KeygenOptions & { output: 'cryptokey' },
): Promise<KeyPair<CryptoKey>>;
export async function signatureKeygen(
  alg: string,
  seed?: Uint8Array,
  opts?: KeygenOptions & { output?: 'expanded' | 'seed' },
): Promise<KeyPair<Uint8Array>>;
export async function signatureKeygen(
  alg: string,
  seed?: Uint8Array,
  opts: KeygenOptions = {},
): Promise<KeyPair<Uint8Array | CryptoKey>> {
  const a = signatureAlgorithm(alg);
  return keygenWith(a, WASM_SIGS[a], () => probeSignatureAlgorithm(a), seed, opts);
}

/**
 * Signs `message`. `secretKey`: expanded bytes (wasm), the 32-byte seed
 * (policy picks), or a private CryptoKey (native).
 */
export async function sign(
  alg: string,
  secretKey: Uint8Array | CryptoKey,
  message: Uint8Array,
  opts: SignOptions = {},
): Promise<Uint8Array> {
  const a = signatureAlgorithm(alg);
  checkKey(a, secretKey, 'private');
  checkBytes(message, 'the message');
  checkContext(opts.context);
  if (opts.extraEntropy !== undefined && opts.extraEntropy !== false) checkBytes(opts.extraEntropy, 'extraEntropy');
  const engine = await route(a, 'sign', { key: secretKey, ...signOpts(opts) }, () => probeSignatureAlgorithm(a));
  if (engine === 'webcrypto') {
    const key = isCryptoKey(secretKey) ? secretKey : await importSeed(a, secretKey, false);
    return nativeSign(a, key, message, opts.context);
  }
  const sk = secretKey as Uint8Array;
  const expanded = sk.length === sizeOf(a, 'seed') ? WASM_SIGS[a].keygen(sk).secretKey : sk;
  return WASM_SIGS[a].sign(message, expanded, signOpts(opts));
}

/** Verifies `signature`; `publicKey` is raw bytes or a public CryptoKey. Resolves false for any invalid signature. */
export async function verify(
  alg: string,
  publicKey: Uint8Array | CryptoKey,
  message: Uint8Array,
  signature: Uint8Array,
  opts: { context?: Uint8Array } = {},
): Promise<boolean> {
  const a = signatureAlgorithm(alg);
  checkKey(a, publicKey, 'public');
  checkBytes(message, 'the message');
  checkBytes(signature, 'the signature');
  checkContext(opts.context);
  const context = opts.context;
  const engine = await route(
    a,
    'verify',
    context === undefined ? { key: publicKey } : { key: publicKey, context },
    () => probeSignatureAlgorithm(a),
  );
  if (engine === 'webcrypto') {
    const key = isCryptoKey(publicKey) ? publicKey : await importPublic(a, publicKey);
    return nativeVerify(a, key, message, signature, context);
  }
  return WASM_SIGS[a].verify(signature, message, publicKey as Uint8Array, context === undefined ? {} : { context });
}
