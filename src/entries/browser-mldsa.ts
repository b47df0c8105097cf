// ML-DSA's module for browsers (`#wasm-source/mldsa`): a literal `new URL(…, import.meta.url)` per build, in
// a file only ML-DSA's code imports, so a bundler emits these assets only for apps that use ML-DSA.

/** The ML-DSA module (wasm/qsign-mldsa-<variant>.wasm), fetched. */
export function moduleSource(variant: 'simd' | 'scalar'): Promise<Response> {
  return fetch(
    variant === 'simd'
      ? new URL('../../wasm/qsign-mldsa-simd.wasm', import.meta.url)
      : new URL('../../wasm/qsign-mldsa-scalar.wasm', import.meta.url),
  );
}
