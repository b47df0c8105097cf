/**
 * The signature half of the engine interface (see ./router.ts): ML-DSA key
 * generation, signing and verification on wasm or native Web Crypto. It
 * references only the ML-DSA wrappers, so a verifier's bundle carries no
 * ML-KEM code.
 */
import { signNatively, verifyNatively, type SignatureAlgorithm } from './native.js';
import { probeSignatureAlgorithm, type NativeAlgorithmCapability } from './probe.js';
import {
  run,
  keygenWith,
  resolveAlgorithm,
  type Engines,
  type KeygenOptions,
  type KeyPair,
  type SignOptions,
} from './router.js';
import { WASM_SIGS, signInWasm, verifyInWasm } from './wasm.js';

/** Resolves a signature algorithm name or alias to its canonical name. */
export function signatureAlgorithm(name: string): SignatureAlgorithm {
  return resolveAlgorithm(name, ['signature'], 'signature ', 'ML-DSA-44, ML-DSA-65 or ML-DSA-87');
}

const probe = probeSignatureAlgorithm as (alg: string) => Promise<NativeAlgorithmCapability>;

type SignArgs = [key: Uint8Array | CryptoKey, message: Uint8Array, opts: SignOptions];
type VerifyArgs = [
  key: Uint8Array | CryptoKey,
  message: Uint8Array,
  signature: Uint8Array,
  opts: { context?: Uint8Array },
];
// The router only sends byte keys to wasm (a CryptoKey always decides native).
const SIGN = { wasm: signInWasm, webcrypto: signNatively } as unknown as Engines<[string, ...SignArgs], Uint8Array>;
const VERIFY = { wasm: verifyInWasm, webcrypto: verifyNatively } as unknown as Engines<
  [string, ...VerifyArgs],
  boolean
>;

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
  return keygenWith(alg, 'signature', WASM_SIGS, probe, seed, opts);
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
  const o: SignOptions = {};
  if (opts.context !== undefined) o.context = opts.context;
  if (opts.extraEntropy !== undefined) o.extraEntropy = opts.extraEntropy;
  return run(
    alg,
    'signature',
    'sign',
    { key: secretKey, ...o, inputs: { 'the message': message } },
    probe,
    SIGN,
    secretKey,
    message,
    o,
  );
}

/** Verifies `signature`; `publicKey` is raw bytes or a public CryptoKey. Resolves false for any invalid signature. */
export async function verify(
  alg: string,
  publicKey: Uint8Array | CryptoKey,
  message: Uint8Array,
  signature: Uint8Array,
  opts: { context?: Uint8Array } = {},
): Promise<boolean> {
  const o = opts.context === undefined ? {} : { context: opts.context };
  return run(
    alg,
    'signature',
    'verify',
    { key: publicKey, ...o, inputs: { 'the message': message, 'the signature': signature } },
    probe,
    VERIFY,
    publicKey,
    message,
    signature,
    o,
  );
}
