// Node.js and Bun: the .wasm that sits beside the package. Where the runtime
// offers process.getBuiltinModule (Node ≥ 20.16, Bun) it is read and compiled
// synchronously: V8 compiles wasm functions lazily, so the compile is a decode
// and validation pass (~2 ms for the SIMD build), and skipping fs/promises and
// async compilation (each a few event-loop round trips) saves ~2.5 ms of a
// ~20 ms cold start.
export async function defaultWasmSource(variant: 'simd' | 'scalar'): Promise<Uint8Array | WebAssembly.Module> {
  const url = new URL(`../../wasm/qsign-${variant}.wasm`, import.meta.url);
  const fs = typeof process === 'undefined' ? undefined : process.getBuiltinModule?.('node:fs');
  if (fs) return new WebAssembly.Module(fs.readFileSync(url));
  const { readFile } = await import('node:fs/promises');
  return readFile(url);
}

/**
 * The SLH-DSA module, compiled synchronously where the runtime allows it
 * (the first SLH-DSA call then needs no `await`); otherwise the bytes, read
 * asynchronously (call `loadSlhDsa()` first there).
 */
export function defaultSlhDsaSource(
  variant: 'simd' | 'scalar',
): WebAssembly.Module | Promise<Uint8Array | WebAssembly.Module> {
  const url = new URL(`../../wasm/qsign-slhdsa-${variant}.wasm`, import.meta.url);
  const fs = typeof process === 'undefined' ? undefined : process.getBuiltinModule?.('node:fs');
  if (fs) return new WebAssembly.Module(fs.readFileSync(url));
  return import('node:fs/promises').then(({ readFile }) => readFile(url));
}
