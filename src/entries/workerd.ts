// Cloudflare Workers forbid compiling wasm from bytes at run time, so the
// modules are imported statically: wrangler and workerd hand us a compiled
// WebAssembly.Module for each, which instantiates synchronously on first use.
// Each family's import sits in a file of its own (workerd-<family>.ts, reached
// as `#wasm-source/<family>` from that family's code only): a Worker uploads
// the modules of the families it uses, nothing else.
//
// Only the SIMD128 builds: workerd is V8, where WebAssembly SIMD128 has been on
// since V8 9.1 with no compatibility flag or date to turn it off, so a scalar
// build would be uploaded by every Worker and never run (it would double the
// upload: the edge JWT verifier's 20 KB gz ML-DSA module). init() still probes
// SIMD; where it is missing, or with init({ simd: false }), pass the scalar
// modules yourself: init({ simd: false, wasm: { 'ml-dsa': { scalar } } }).

/** The modules are imported already compiled: init() leaves each to its first use. */
export function modulesArriveSync(): boolean {
  return true;
}

/** `simd` for the SIMD128 build; asking for the scalar one says how to pass it. */
export function simdBuildOnly(name: string, simd: WebAssembly.Module, variant: 'simd' | 'scalar'): WebAssembly.Module {
  if (variant === 'simd') return simd;
  throw new Error(
    `the workerd entry imports only the SIMD128 build of wasm/qsign-${name}-*.wasm; import ` +
      `wasm/qsign-${name}-scalar.wasm in the Worker and pass it to init({ wasm })`,
  );
}
