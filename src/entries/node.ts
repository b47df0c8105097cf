// Node.js and Bun: the .wasm files that sit beside the package. Where the
// runtime offers process.getBuiltinModule (Node ≥ 20.16, Bun) each family
// module is read and compiled synchronously on its first use: V8 compiles wasm
// functions lazily, so the compile is a decode and validation pass (~1 ms per
// module), and skipping fs/promises and async compilation (each a few
// event-loop round trips) saves ~2.5 ms of a ~20 ms cold start.
type Variant = 'simd' | 'scalar';

function read(file: string): WebAssembly.Module | Promise<Uint8Array> {
  const url = new URL(`../../wasm/${file}`, import.meta.url);
  const fs = typeof process === 'undefined' ? undefined : process.getBuiltinModule?.('node:fs');
  if (fs) return new WebAssembly.Module(fs.readFileSync(url));
  return import('node:fs/promises').then(({ readFile }) => readFile(url));
}

/** Whether {@link readModule} hands over a compiled Module (so init() can leave each to its first use). */
export function modulesArriveSync(): boolean {
  return typeof process !== 'undefined' && typeof process.getBuiltinModule === 'function';
}

/**
 * A family module (wasm/qsign-<name>-<variant>.wasm; node-<family>.ts, reached as `#wasm-source/<family>`):
 * compiled synchronously where possible, else read async (init() awaits it; SLH-DSA needs `loadSlhDsa()`).
 */
export function readModule(name: string, variant: Variant): WebAssembly.Module | Promise<Uint8Array> {
  return read(`qsign-${name}-${variant}.wasm`);
}
