// Browsers (and bundlers): each family's module is fetched from a literal
// `new URL(…, import.meta.url)` in a file of its own (browser-<family>.ts,
// reached as `#wasm-source/<family>` from that family's code only), so Vite,
// webpack, esbuild and Rollup emit the .wasm assets of the families an app
// uses. Fetched responses compile while they stream. Fetching is
// asynchronous, so init() loads the families it is asked for (default: every
// family in the bundle) before it resolves.

/** Fetching is asynchronous: init() loads the families it is asked for. */
export function modulesArriveSync(): boolean {
  return false;
}
