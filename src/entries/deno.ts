// Deno: read the .wasm beside the module (local files or the npm cache),
// synchronously, so each family module is instantiated on its first use
// (deno-<family>.ts, reached as `#wasm-source/<family>` from the family's code).
declare const Deno: { readFileSync(path: URL): Uint8Array };

/** The family modules are read synchronously: init() leaves each to its first use. */
export function modulesArriveSync(): boolean {
  return true;
}

/** A family module (wasm/qsign-<name>-<variant>.wasm). */
export function readModule(name: string, variant: 'simd' | 'scalar'): Uint8Array {
  return Deno.readFileSync(new URL(`../../wasm/qsign-${name}-${variant}.wasm`, import.meta.url));
}
