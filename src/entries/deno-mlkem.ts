// ML-KEM's module (`#wasm-source/mlkem`), read from the package's wasm/ on first use.
import { readModule } from './deno.js';

/** The ML-KEM module (wasm/qsign-mlkem-<variant>.wasm). */
export function moduleSource(variant: 'simd' | 'scalar'): Uint8Array {
  return readModule('mlkem', variant);
}
