// SHA-3's module (`#wasm-source/sha3`), read from the package's wasm/ on first use.
import { readModule } from './node.js';

/** The SHA-3 module (wasm/qsign-sha3-<variant>.wasm). */
export function moduleSource(variant: 'simd' | 'scalar'): WebAssembly.Module | Promise<Uint8Array> {
  return readModule('sha3', variant);
}
