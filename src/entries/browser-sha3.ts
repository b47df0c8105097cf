// SHA-3's module for browsers (`#wasm-source/sha3`): a literal `new URL(…, import.meta.url)` per build, in
// a file only SHA-3's code imports, so a bundler emits these assets only for apps that use SHA-3.

/** The SHA-3 module (wasm/qsign-sha3-<variant>.wasm), fetched. */
export function moduleSource(variant: 'simd' | 'scalar'): Promise<Response> {
  return fetch(
    variant === 'simd'
      ? new URL('../../wasm/qsign-sha3-simd.wasm', import.meta.url)
      : new URL('../../wasm/qsign-sha3-scalar.wasm', import.meta.url),
  );
}
