// Deno: read the .wasm beside the module (local files or the npm cache).
declare const Deno: { readFile(path: URL): Promise<Uint8Array> };

export async function defaultWasmSource(variant: 'simd' | 'scalar'): Promise<Uint8Array> {
  return Deno.readFile(new URL(`../../wasm/qsign-${variant}.wasm`, import.meta.url));
}
