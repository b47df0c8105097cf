/**
 * The engine interface (see ./router.ts for how a call picks wasm or native
 * Web Crypto): its signature half (./signature.ts), its KEM half (./kem.ts),
 * key moves between engines (./keys.ts), async forms of the primitives
 * (./async.ts), and what the runtime's Web Crypto can do.
 *
 * Protocol layers import the half they need directly, so a bundle keeps
 * only what it calls.
 */
import { init, isInitialized } from '../wasm/loader.js';
import { ENGINE_ALGORITHMS, type EngineAlgorithm } from './native.js';
import { knownCapability, type NativeAlgorithmCapability } from './probe.js';
import { probeAll } from './probe-kem.js';
import { engineMode, onEngineMode, type EngineMode } from '../wasm/engine-mode.js';
import { runtimeInfo, nativeSubtle, type RuntimeInfo } from './runtime.js';

export type { SignatureAlgorithm, KemAlgorithm, EngineAlgorithm } from './native.js';
export type { EngineName, PolicyOperation } from './policy.js';
export type { EngineMode } from '../wasm/engine-mode.js';
export type { NativeAlgorithmCapability } from './probe.js';
export type { RuntimeInfo } from './runtime.js';
export { EngineErrorCodes } from './native.js';
export { engineMode } from '../wasm/engine-mode.js';
export { engineFor, explainEngine } from './router.js';
export type {
  EngineOperation,
  EngineCall,
  EngineDecision,
  SignOptions,
  KeygenOutput,
  KeygenOptions,
  KeyPair,
} from './router.js';
export { signatureAlgorithm, signatureKeygen, sign, verify } from './signature.js';
export { kemAlgorithm, kemKeygen, encapsulate, decapsulate } from './kem.js';

/** A sync snapshot of what the engine knows and does in this runtime. */
export interface EngineCapabilities {
  readonly runtime: RuntimeInfo;
  readonly mode: EngineMode;
  /** Whether the runtime exposes `crypto.subtle` at all. */
  readonly webCrypto: boolean;
  /** True once every algorithm's native probe has finished. */
  readonly probed: boolean;
  /** Per algorithm: the native probe's findings. */
  readonly algorithms: Readonly<Record<EngineAlgorithm, NativeAlgorithmCapability>>;
}

/**
 * What native Web Crypto offers here, as far as probed (sync, no work).
 * Probing is lazy to keep cold start fast; `await probeWebCrypto()` (or
 * `init({ engine: 'webcrypto' })`) makes this complete.
 */
export function capabilities(): EngineCapabilities {
  const algorithms = Object.fromEntries(ENGINE_ALGORITHMS.map((a) => [a, knownCapability(a)])) as Record<
    EngineAlgorithm,
    NativeAlgorithmCapability
  >;
  return Object.freeze({
    runtime: runtimeInfo(),
    mode: engineMode(),
    webCrypto: nativeSubtle() !== undefined,
    probed: ENGINE_ALGORITHMS.every((a) => algorithms[a].probed),
    algorithms: Object.freeze(algorithms),
  });
}

/**
 * Runs the native probe for every algorithm (memoized; ~12–70 ms once,
 * depending on the runtime) and resolves to the complete capabilities.
 */
export async function probeWebCrypto(): Promise<EngineCapabilities> {
  if (!isInitialized()) await init();
  await probeAll();
  return capabilities();
}

// 'webcrypto' mode must know what exists before the first call, so init() waits for the probe.
onEngineMode(async (m) => {
  if (m === 'webcrypto') await probeAll();
});

export {
  importKeyToWebCrypto,
  importPublicKeyToWebCrypto,
  importWebCryptoKey,
  exportWebCryptoKey,
  seedFromWebCrypto,
  publicKeyFromWebCrypto,
} from './keys.js';
export type { WebCryptoKeyFormat, ImportKeyOptions } from './keys.js';
export {
  ml_dsa44_async,
  ml_dsa65_async,
  ml_dsa87_async,
  ml_kem512_async,
  ml_kem768_async,
  ml_kem1024_async,
} from './async.js';
export type { AsyncSignature, AsyncKem } from './async.js';
