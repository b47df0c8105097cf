// ML-KEM's module (`#wasm-source/mlkem`), read from the package's wasm/ on first use.
import { readModule } from './node.js';

/** The ML-KEM module (wasm/qsign-mlkem-<variant>.wasm). */
export function moduleSource(variant: 'simd' | 'scalar'): WebAssembly.Module | Promise<Uint8Array> {
  return readModule('mlkem', variant);
}
