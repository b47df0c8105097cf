/**
 * qsign-pqc core: the wasm loader, SHA-3/SHAKE, ML-KEM and ML-DSA.
 * Protocol layers live in subpaths: `qsign-pqc/hybrid`, `qsign-pqc/jose`,
 * `qsign-pqc/transit`, `qsign-pqc/x509`.
 *
 * @packageDocumentation
 */
export { init, backend, isInitialized, simdSupported } from './wasm/loader.js';
export type { InitOptions, Backend, WasmSource, WasmSourceOrPair, WasmFamily } from './wasm/loader.js';
export { QsignError, isQsignError, CoreErrorCodes } from './errors.js';
export type { QsignErrorCode, QsignErrorCodeTables } from './errors.js';
export { algorithms, findAlgorithm } from './registry.js';
export type { AlgorithmInfo, AlgorithmKind } from './registry.js';
export * from './hash/index.js';
export * from './kem/index.js';
export * from './sig/index.js';
export {
  capabilities,
  engineFor,
  explainEngine,
  probeWebCrypto,
  engineMode,
  EngineErrorCodes,
} from './engine/index.js';
export type {
  EngineCapabilities,
  EngineMode,
  EngineName,
  EngineOperation,
  EngineCall,
  EngineDecision,
  NativeAlgorithmCapability,
  RuntimeInfo,
} from './engine/index.js';
