import { QsignError } from '../errors.js';
import type { QsignExports } from './exports.js';
import { attachArena, reserveArena } from './heap.js';
import { selfTestedExports } from './selftest.js';
import { defaultWasmSource } from '#wasm-source';
import { setEngineMode, type EngineMode } from './engine-mode.js';

/**
 * Where the wasm comes from. Workers need a precompiled `WebAssembly.Module`
 * (they forbid compiling bytes at run time); browsers do best with a
 * `Response` or URL (streaming compile); Node, Deno and Bun pass bytes.
 */
export type WasmSource = WebAssembly.Module | Response | PromiseLike<Response> | URL | string | ArrayBuffer | Uint8Array;

/** Which compiled build is running. */
export type Backend = 'simd128' | 'scalar';

/** Options of {@link init}. */
export interface InitOptions {
  /** Force the SIMD128 build (`true`) or the scalar one (`false`); default: SIMD when the runtime validates it. */
  simd?: boolean;
  /** Explicit module source; either one source for the chosen build or one per build. */
  wasm?: WasmSource | { simd?: WasmSource; scalar?: WasmSource };
  /** Replace an existing instance (tests switch builds with this). */
  force?: boolean;
  /**
   * Which engine the async engine interface uses (see docs/engines.md):
   * `'auto'` (default) the faster per the committed policy, `'wasm'` never
   * native Web Crypto, `'webcrypto'` native only (init then waits for the
   * native probe; calls the runtime cannot serve fail with
   * `ERR_UNSUPPORTED_BY_RUNTIME`). Can be changed by calling init again.
   */
  engine?: EngineMode;
  /**
   * When the known-answer self-tests run: `'lazy'` (default) tests SHA-3 in
   * init() and every other family (ML-KEM, ML-DSA, X25519) just before its
   * first use, which then throws `ERR_SELF_TEST_FAILED` if the build is
   * broken; `'eager'` tests all of them in init(), for services that would
   * rather fail at start-up (costs ~10 ms of cold start).
   */
  selfTest?: 'lazy' | 'eager';
}

interface State {
  exports: QsignExports;
  backend: Backend;
  arenaBase: number;
}

let state: State | undefined;
let pending: Promise<void> | undefined;

// (module (func (result v128) v128.const 0)) — validates only where SIMD128 exists.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
]);

let simdSupport: boolean | undefined;
/** Whether this runtime accepts WebAssembly SIMD128 (memoized). */
export function simdSupported(): boolean {
  if (simdSupport === undefined) {
    try { simdSupport = WebAssembly.validate(SIMD_PROBE); } catch { simdSupport = false; }
  }
  return simdSupport;
}

function isResponse(v: unknown): v is Response {
  return typeof Response !== 'undefined' && v instanceof Response;
}

async function instantiate(source: WasmSource): Promise<WebAssembly.Instance> {
  const imports = {};
  if (source instanceof WebAssembly.Module) return WebAssembly.instantiate(source, imports);
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) {
    const bytes = source instanceof Uint8Array ? source : new Uint8Array(source);
    return (await WebAssembly.instantiate(bytes as Uint8Array<ArrayBuffer>, imports)).instance;
  }
  let response: Response;
  if (typeof source === 'string' || source instanceof URL) response = await fetch(source);
  else response = await source;
  if (!isResponse(response)) throw new TypeError('wasm source resolved to something that is not a Response');
  if (!response.ok) throw new Error(`fetching the wasm failed with HTTP ${response.status} ${response.statusText}`);
  if (typeof WebAssembly.instantiateStreaming === 'function' && /application\/wasm/.test(response.headers.get('content-type') ?? '')) {
    return (await WebAssembly.instantiateStreaming(response, imports)).instance;
  }
  return (await WebAssembly.instantiate(await response.arrayBuffer(), imports)).instance;
}

function pickSource(opt: InitOptions['wasm'], simd: boolean): WasmSource | undefined {
  if (opt === undefined) return undefined;
  if (typeof opt === 'object' && opt !== null && ('simd' in opt || 'scalar' in opt) &&
      !(opt instanceof WebAssembly.Module) && !(opt instanceof Uint8Array) && !(opt instanceof ArrayBuffer) && !(opt instanceof URL) && !isResponse(opt)) {
    const pair = opt as { simd?: WasmSource; scalar?: WasmSource };
    return simd ? pair.simd : pair.scalar;
  }
  return opt as WasmSource;
}

async function load(options: InitOptions): Promise<void> {
  const simd = options.simd ?? simdSupported();
  if (simd && !simdSupported()) {
    throw new QsignError('ERR_WASM_LOAD_FAILED', 'init({ simd: true }) was requested but this runtime does not support WebAssembly SIMD128; omit `simd` to pick automatically');
  }
  let instance: WebAssembly.Instance;
  try {
    const source = pickSource(options.wasm, simd) ?? (await defaultWasmSource(simd ? 'simd' : 'scalar'));
    instance = await instantiate(source);
  } catch (cause) {
    throw new QsignError('ERR_WASM_LOAD_FAILED', `could not load the ${simd ? 'SIMD128' : 'scalar'} wasm build: ${(cause as Error)?.message ?? cause}. ` +
      'Pass init({ wasm }) with a WebAssembly.Module, a Response/URL or the bytes of wasm/qsign-*.wasm.', { cause });
  }
  const raw = instance.exports as unknown as QsignExports;
  raw._initialize();
  const arenaBase = reserveArena(raw);
  let exports: QsignExports;
  try {
    exports = selfTestedExports(raw, options.selfTest === 'eager');
  } catch (cause) {
    throw cause instanceof QsignError ? cause : new QsignError('ERR_SELF_TEST_FAILED', `self-test failed (${(cause as Error)?.message ?? cause}); the wasm build is corrupt or miscompiled`, { cause });
  }
  state = { exports, backend: simd ? 'simd128' : 'scalar', arenaBase };
  attachArena(exports, arenaBase);
  if (options.engine !== undefined) await setEngineMode(options.engine);
}

/**
 * Loads the wasm core (self-tests: see {@link InitOptions.selfTest}). Call once before any primitive;
 * further calls return the same promise (concurrent callers share it).
 *
 * @example
 * ```ts
 * import { init, backend, ml_kem768 } from 'qsign-pqc';
 * await init();                 // SIMD128 where supported, else scalar
 * console.log(backend());       // 'simd128'
 * ```
 */
export function init(options: InitOptions = {}): Promise<void> {
  // Switching the engine needs no reload: chain the mode change onto the load.
  if (pending && !options.force) return options.engine === undefined ? pending : pending.then(() => setEngineMode(options.engine));
  const p = load(options);
  pending = p;
  // A failed init can be retried (e.g. with an explicit wasm source).
  p.catch(() => { if (pending === p) pending = state ? Promise.resolve() : undefined; });
  return p;
}

/** True once init() has completed. */
export function isInitialized(): boolean {
  return state !== undefined;
}

/** `'simd128'` or `'scalar'`: the build init() loaded. */
export function backend(): Backend {
  return current().backend;
}

function current(): State {
  if (!state) {
    throw new QsignError('ERR_NOT_INITIALIZED', 'qsign-pqc is not initialized: call `await init()` once before using the primitives');
  }
  return state;
}

/** The raw typed exports of the loaded module (floor 2 only). */
export function getExports(): QsignExports {
  return current().exports;
}

/**
 * @internal For benchmarks that interleave our two builds: the current
 * instance as an opaque handle, and a switch back to one without
 * instantiating again (a fresh 4 MiB instance per sample would put its
 * allocation and collection inside other samples).
 */
export function currentInstance(): object {
  return current();
}

/** @internal See {@link currentInstance}. */
export function restoreInstance(handle: object): void {
  const s = handle as State;
  state = s;
  attachArena(s.exports, s.arenaBase);
}
