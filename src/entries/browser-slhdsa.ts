// SLH-DSA's module for browsers (`#wasm-source/slhdsa`): a literal `new URL(…, import.meta.url)` per build, in
// a file only SLH-DSA's code imports, so a bundler emits these assets only for apps that use SLH-DSA.

/** The SLH-DSA module (wasm/qsign-slhdsa-<variant>.wasm), fetched. */
export function moduleSource(variant: 'simd' | 'scalar'): Promise<Response> {
  return fetch(
    variant === 'simd'
      ? new URL('../../wasm/qsign-slhdsa-simd.wasm', import.meta.url)
      : new URL('../../wasm/qsign-slhdsa-scalar.wasm', import.meta.url),
  );
}
