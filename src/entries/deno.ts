// Deno: read the .wasm beside the module (local files or the npm cache).
declare const Deno: { readFile(path: URL): Promise<Uint8Array>; readFileSync(path: URL): Uint8Array };

export async function defaultWasmSource(variant: 'simd' | 'scalar'): Promise<Uint8Array> {
  return Deno.readFile(new URL(`../../wasm/qsign-${variant}.wasm`, import.meta.url));
}

/** The SLH-DSA module, read synchronously so its first use needs no `await`. */
export function defaultSlhDsaSource(variant: 'simd' | 'scalar'): Uint8Array {
  return Deno.readFileSync(new URL(`../../wasm/qsign-slhdsa-${variant}.wasm`, import.meta.url));
}
