// X25519's module for browsers (`#wasm-source/x25519`): a literal `new URL(…, import.meta.url)` per build, in
// a file only X25519's code imports, so a bundler emits these assets only for apps that use X25519.

/** The X25519 module (wasm/qsign-x25519-<variant>.wasm), fetched. */
export function moduleSource(variant: 'simd' | 'scalar'): Promise<Response> {
  return fetch(
    variant === 'simd'
      ? new URL('../../wasm/qsign-x25519-simd.wasm', import.meta.url)
      : new URL('../../wasm/qsign-x25519-scalar.wasm', import.meta.url),
  );
}
