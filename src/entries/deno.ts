// Deno: read the .wasm beside the module (local files or the npm cache),
// synchronously, so each family module is instantiated on its first use.
declare const Deno: { readFileSync(path: URL): Uint8Array };

/** {@link defaultModuleSource} reads synchronously: init() leaves each module to its first use. */
export function modulesArriveSync(): boolean {
  return true;
}

/** A family module (wasm/qsign-<name>-<variant>.wasm). */
export function defaultModuleSource(name: string, variant: 'simd' | 'scalar'): Uint8Array {
  return Deno.readFileSync(new URL(`../../wasm/qsign-${name}-${variant}.wasm`, import.meta.url));
}

/** The SLH-DSA module, read synchronously so its first use needs no `await`. */
export function defaultSlhDsaSource(variant: 'simd' | 'scalar'): Uint8Array {
  return defaultModuleSource('slhdsa', variant);
}
