/**
 * `qsign-pqc/webcrypto`: native Web Crypto where the runtime has it, our
 * wasm everywhere else. Capabilities and engine choice, the async engine
 * functions (which accept CryptoKeys), async forms of the primitives, and
 * moving keys between our seeds and CryptoKeys. See docs/engines.md.
 *
 * @example
 * ```ts
 * import { init } from 'qsign-pqc';
 * import { importKeyToWebCrypto, ml_dsa65_async, capabilities, probeWebCrypto } from 'qsign-pqc/webcrypto';
 * await init();
 * const caps = await probeWebCrypto();
 * if (caps.algorithms['ML-DSA-65'].sign) {
 *   const { privateKey } = await importKeyToWebCrypto('ML-DSA-65', seed); // non-extractable
 *   const sig = await ml_dsa65_async.signAsync(msg, privateKey);
 * }
 * ```
 *
 * @packageDocumentation
 */
export {
  capabilities,
  probeWebCrypto,
  engineFor,
  explainEngine,
  engineMode,
  EngineErrorCodes,
  signatureKeygen,
  sign,
  verify,
  kemKeygen,
  encapsulate,
  decapsulate,
  importKeyToWebCrypto,
  importPublicKeyToWebCrypto,
  importWebCryptoKey,
  exportWebCryptoKey,
  seedFromWebCrypto,
  publicKeyFromWebCrypto,
  ml_dsa44_async,
  ml_dsa65_async,
  ml_dsa87_async,
  ml_kem512_async,
  ml_kem768_async,
  ml_kem1024_async,
} from '../engine/index.js';
export type {
  EngineCapabilities,
  EngineMode,
  EngineName,
  EngineOperation,
  EngineCall,
  EngineDecision,
  NativeAlgorithmCapability,
  RuntimeInfo,
  SignOptions,
  KeygenOptions,
  KeygenOutput,
  KeyPair,
  WebCryptoKeyFormat,
  ImportKeyOptions,
  AsyncSignature,
  AsyncKem,
  SignatureAlgorithm,
  KemAlgorithm,
  EngineAlgorithm,
} from '../engine/index.js';
