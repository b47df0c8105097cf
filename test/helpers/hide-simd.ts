// Side-effect module for the "scalar" pass of the runtime matrix: makes this
// realm look like a runtime without WebAssembly SIMD128 (older Safari, some
// embedded engines). The loader decides with WebAssembly.validate() on a tiny
// module that uses a v128 instruction; every SIMD instruction is encoded with
// the 0xfd prefix byte, so refusing any buffer that contains it hides SIMD
// from that probe. Only the probe calls validate(): instantiation of the real
// builds is untouched, so the scalar wasm itself is what gets exercised.
// Import this before anything that loads the wasm.
const originalValidate = WebAssembly.validate.bind(WebAssembly);

function bytesOf(source: unknown): Uint8Array | undefined {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  return undefined;
}

WebAssembly.validate = (source: BufferSource): boolean => {
  const bytes = bytesOf(source);
  if (bytes && bytes.includes(0xfd)) return false;
  return originalValidate(source);
};

(globalThis as { __qsignSimdHidden?: boolean }).__qsignSimdHidden = true;
export {};
