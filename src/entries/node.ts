// Node.js and Bun: read the .wasm that sits beside the package.
export async function defaultWasmSource(variant: 'simd' | 'scalar'): Promise<Uint8Array> {
  const { readFile } = await import('node:fs/promises');
  return readFile(new URL(`../../wasm/qsign-${variant}.wasm`, import.meta.url));
}
