// ML-DSA's module (`#wasm-source/mldsa`), read from the package's wasm/ on first use.
import { readModule } from './node.js';

/** The ML-DSA module (wasm/qsign-mldsa-<variant>.wasm). */
export function moduleSource(variant: 'simd' | 'scalar'): WebAssembly.Module | Promise<Uint8Array> {
  return readModule('mldsa', variant);
}
