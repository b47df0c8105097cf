import { QsignError } from '../errors.js';
import { toHex as hex } from '../util/codec.js';
import type { SlhDsaExports } from './exports.js';
import { withOwnHeap } from './heap.js';
import { backend, type WasmSource } from './loader.js';
// A namespace import: a custom `#wasm-source` (a bundler alias, a test stub) may serve SLH-DSA through
// defaultSlhDsaSource; otherwise its own `#wasm-source/slhdsa`, which only this module imports (an app
// that does not use SLH-DSA bundles, uploads or emits none of it).
import * as wasmSource from '#wasm-source';
import { moduleSource } from '#wasm-source/slhdsa';

type SlhSource = WebAssembly.Module | Uint8Array | Promise<WasmSource | Uint8Array | WebAssembly.Module>;
function defaultSlhDsaSource(variant: Variant): SlhSource {
  // Read off a plain object: a static `wasmSource.defaultSlhDsaSource` of a missing export fails webpack's build.
  const hooks = wasmSource as unknown as { defaultSlhDsaSource?: (v: Variant) => SlhSource };
  const fn = hooks.defaultSlhDsaSource;
  return typeof fn === 'function' ? fn(variant) : (moduleSource(variant) as SlhSource);
}

/*
 * SLH-DSA lives in a wasm module of its own (wasm/qsign-slhdsa-*.wasm), so
 * apps that do not use it download nothing more. It is instantiated on first
 * use, in the build (SIMD128 or scalar) the core runs: synchronously where
 * the runtime hands over a Module or bytes (Node, Bun, Deno, Workers), after
 * `await loadSlhDsa()` where it must be fetched (browsers).
 */

type Variant = 'simd' | 'scalar';
const instances: Partial<Record<Variant, SlhDsaExports>> = {};
const failures: Partial<Record<Variant, QsignError>> = {};
let explicit: Partial<Record<Variant, WasmSource>> = {};

function variantNow(): Variant {
  return backend() === 'simd128' ? 'simd' : 'scalar';
}


/**
 * Known answers, run once per instance before first use: the 4-lane SHA-256
 * kernel on "abc" in every lane (FIPS 180-4 example), and keygen of
 * SLH-DSA-SHA2-128f and SLH-DSA-SHAKE-128f from the seed 00..2f (expected
 * public keys from @noble/post-quantum, which passes the ACVP vectors).
 */
function selfTest(x: SlhDsaExports): void {
  withOwnHeap(x, 1024, (h) => {
    const abc = h.put(new Uint8Array([0x61, 0x62, 0x63, 0x61, 0x62, 0x63, 0x61, 0x62, 0x63, 0x61, 0x62, 0x63]));
    const out = h.alloc(128);
    x.qs_slh_sha256x4(abc, 3, out);
    const want = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    for (let lane = 0; lane < 4; lane++) {
      if (hex(h.read(out + 32 * lane, 32)) !== want) throw new Error(`4-lane SHA-256 lane ${lane}`);
    }
    const seed = h.put(Uint8Array.from({ length: 48 }, (_, i) => i));
    const pk = h.alloc(32),
      sk = h.alloc(64);
    const kats: Array<[number, string]> = [
      [1, '202122232425262728292a2b2c2d2e2f3b56e816847f000386aeec2e2bb9e1b5'],
      [7, '202122232425262728292a2b2c2d2e2fa90e4715b9a925c332801767fd786371'],
    ];
    for (const [set, pkHex] of kats) {
      if (x.qs_slh_keypair(set, seed, pk, sk) !== 0 || hex(h.read(pk, 32)) !== pkHex) {
        throw new Error(`SLH-DSA keygen (set ${set})`);
      }
    }
  });
}

function adopt(variant: Variant, instance: WebAssembly.Instance): SlhDsaExports {
  const x = instance.exports as unknown as SlhDsaExports;
  x._initialize();
  try {
    selfTest(x);
  } catch (cause) {
    const err = new QsignError(
      'ERR_SELF_TEST_FAILED',
      `SLH-DSA self-test failed (${(cause as Error)?.message ?? cause}); the wasm build is corrupt or miscompiled`,
      { cause },
    );
    failures[variant] = err;
    throw err;
  }
  instances[variant] = x;
  return x;
}

function loadFailed(variant: Variant, cause: unknown): QsignError {
  return new QsignError(
    'ERR_WASM_LOAD_FAILED',
    `could not load the ${variant === 'simd' ? 'SIMD128' : 'scalar'} SLH-DSA wasm module: ${(cause as Error)?.message ?? cause}. ` +
      'Pass loadSlhDsa({ wasm }) a WebAssembly.Module, a Response/URL or the bytes of wasm/qsign-slhdsa-*.wasm.',
    { cause },
  );
}

/** The SLH-DSA exports for the running build, instantiating them on first use. */
export function slhDsaExports(): SlhDsaExports {
  const variant = variantNow();
  const have = instances[variant];
  if (have) return have;
  if (failures[variant]) throw failures[variant];
  let source: unknown = explicit[variant];
  if (source === undefined) {
    try {
      source = defaultSlhDsaSource(variant);
    } catch (cause) {
      throw loadFailed(variant, cause);
    }
  }
  if (source instanceof WebAssembly.Module || source instanceof Uint8Array || source instanceof ArrayBuffer) {
    let instance: WebAssembly.Instance;
    try {
      const module = source instanceof WebAssembly.Module ? source : new WebAssembly.Module(source as Uint8Array<ArrayBuffer>);
      instance = new WebAssembly.Instance(module, {});
    } catch (cause) {
      throw loadFailed(variant, cause);
    }
    return adopt(variant, instance);
  }
  // An async source (a fetch): swallow its rejection here; loadSlhDsa() reports it.
  if (source && typeof (source as Promise<unknown>).then === 'function') (source as Promise<unknown>).catch(() => {});
  throw new QsignError(
    'ERR_NOT_INITIALIZED',
    'the SLH-DSA wasm module is fetched asynchronously in this runtime: `await loadSlhDsa()` once before the first SLH-DSA call',
  );
}

async function instantiateAsync(source: WasmSource): Promise<WebAssembly.Instance> {
  if (source instanceof WebAssembly.Module) return WebAssembly.instantiate(source, {});
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) {
    return (await WebAssembly.instantiate(source as Uint8Array<ArrayBuffer>, {})).instance;
  }
  const response = typeof source === 'string' || source instanceof URL ? await fetch(source) : await source;
  if (!response.ok) throw new Error(`fetching the wasm failed with HTTP ${response.status} ${response.statusText}`);
  if (
    typeof WebAssembly.instantiateStreaming === 'function' &&
    /application\/wasm/.test(response.headers.get('content-type') ?? '')
  ) {
    return (await WebAssembly.instantiateStreaming(response, {})).instance;
  }
  return (await WebAssembly.instantiate(await response.arrayBuffer(), {})).instance;
}

/** Options of {@link loadSlhDsa}. */
export interface LoadSlhDsaOptions {
  /** Explicit module source, for the running build or one per build. */
  wasm?: WasmSource | { simd?: WasmSource; scalar?: WasmSource };
}

/**
 * Loads the SLH-DSA module for the running build (call after `init()`).
 * Needed only where the module must be fetched (browsers); elsewhere the
 * first SLH-DSA call loads it. Concurrent and repeated calls are cheap.
 *
 * @example
 * ```ts
 * import { init, loadSlhDsa, slh_dsa_sha2_128s } from 'qsign-pqc';
 * await init();
 * await loadSlhDsa();
 * const { publicKey, secretKey } = slh_dsa_sha2_128s.keygen();
 * ```
 */
export async function loadSlhDsa(options: LoadSlhDsaOptions = {}): Promise<void> {
  const variant = variantNow();
  const w = options.wasm;
  if (w !== undefined) {
    const pair =
      typeof w === 'object' &&
      w !== null &&
      ('simd' in w || 'scalar' in w) &&
      !(w instanceof WebAssembly.Module) &&
      !(w instanceof Uint8Array) &&
      !(w instanceof ArrayBuffer) &&
      !(w instanceof URL);
    explicit = pair ? { ...(w as { simd?: WasmSource; scalar?: WasmSource }) } : { [variant]: w as WasmSource };
    delete instances[variant];
    delete failures[variant];
  }
  if (instances[variant]) return;
  let instance: WebAssembly.Instance;
  try {
    instance = await instantiateAsync(explicit[variant] ?? (await defaultSlhDsaSource(variant)));
  } catch (cause) {
    throw loadFailed(variant, cause);
  }
  if (!instances[variant]) adopt(variant, instance);
}
