// SLH-DSA's module (`#wasm-source/slhdsa`), read from the package's wasm/ on first use.
import { readModule } from './deno.js';

/** The SLH-DSA module (wasm/qsign-slhdsa-<variant>.wasm). */
export function moduleSource(variant: 'simd' | 'scalar'): Uint8Array {
  return readModule('slhdsa', variant);
}
