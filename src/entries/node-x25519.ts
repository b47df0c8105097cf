// X25519's module (`#wasm-source/x25519`), read from the package's wasm/ on first use.
import { readModule } from './node.js';

/** The X25519 module (wasm/qsign-x25519-<variant>.wasm). */
export function moduleSource(variant: 'simd' | 'scalar'): WebAssembly.Module | Promise<Uint8Array> {
  return readModule('x25519', variant);
}
