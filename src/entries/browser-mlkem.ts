// ML-KEM's module for browsers (`#wasm-source/mlkem`): a literal `new URL(…, import.meta.url)` per build, in
// a file only ML-KEM's code imports, so a bundler emits these assets only for apps that use ML-KEM.

/** The ML-KEM module (wasm/qsign-mlkem-<variant>.wasm), fetched. */
export function moduleSource(variant: 'simd' | 'scalar'): Promise<Response> {
  return fetch(
    variant === 'simd'
      ? new URL('../../wasm/qsign-mlkem-simd.wasm', import.meta.url)
      : new URL('../../wasm/qsign-mlkem-scalar.wasm', import.meta.url),
  );
}
