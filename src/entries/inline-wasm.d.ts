// `#wasm-inline/<module>` exists only inside the dist build: rollup.dist.mjs generates one per family
// module from wasm/*.wasm (each build's bytes as a base64 string), for the qsign-pqc/inline entry.
declare module '#wasm-inline/mlkem' {
  export const SIMD_WASM_BASE64: string;
  export const SCALAR_WASM_BASE64: string;
}
declare module '#wasm-inline/mldsa' {
  export const SIMD_WASM_BASE64: string;
  export const SCALAR_WASM_BASE64: string;
}
declare module '#wasm-inline/x25519' {
  export const SIMD_WASM_BASE64: string;
  export const SCALAR_WASM_BASE64: string;
}
declare module '#wasm-inline/sha3' {
  export const SIMD_WASM_BASE64: string;
  export const SCALAR_WASM_BASE64: string;
}
