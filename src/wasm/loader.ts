import { QsignError } from '../errors.js';
import type { QsignExports, WasmFamily } from './exports.js';
import { attachArena, familyExports, newArena, onMissingArena, reserveArena } from './heap.js';
import { selfTestedExports } from './selftest.js';
import * as wasmSource from '#wasm-source';
import { setEngineMode, type EngineMode } from './engine-mode.js';
import { usePlatformRandom } from '../util/bytes.js';

export type { WasmFamily } from './exports.js';

/**
 * Where the wasm comes from. Workers need a precompiled `WebAssembly.Module`
 * (they forbid compiling bytes at run time); browsers do best with a
 * `Response` or URL (streaming compile); Node, Deno and Bun pass bytes.
 */
export type WasmSource = WebAssembly.Module | Response | PromiseLike<Response> | URL | string | ArrayBuffer | Uint8Array;

/** One source for the running build, or one per build. */
export type WasmSourceOrPair = WasmSource | { simd?: WasmSource; scalar?: WasmSource };

/** Which compiled build is running. */
export type Backend = 'simd128' | 'scalar';

/** Options of {@link init}. */
export interface InitOptions {
  /** Force the SIMD128 build (`true`) or the scalar one (`false`); default: SIMD when the runtime validates it. */
  simd?: boolean;
  /**
   * Which family modules init() loads before it resolves. Each family is a wasm module of its own
   * (`wasm/qsign-<family>-<build>.wasm`). Without this option, browsers (where modules are fetched) load
   * all four, and runtimes that hand over modules or bytes synchronously (Node, Bun, Deno, Workers) load
   * none: each family's module is instantiated on its first use. With it, exactly these are loaded now,
   * everywhere; an app that only uses ML-KEM passes `['ml-kem']` and downloads nothing else, and a
   * family left out is still instantiated on first use where that can be synchronous. Plain SHA-3/SHAKE
   * hashing (`'sha3'`) runs on the ML-KEM or ML-DSA module when one is loaded, and needs its own small
   * module only otherwise.
   */
  families?: readonly WasmFamily[];
  /**
   * Explicit module sources: one module (or one per build) whose exports decide which families it serves,
   * or a record by family (`{ 'ml-kem': …, 'ml-dsa': { simd, scalar } }`). Explicit sources are loaded by
   * init() itself; families without one use the runtime's default.
   */
  wasm?: WasmSourceOrPair | Partial<Record<WasmFamily, WasmSourceOrPair>>;
  /** Replace existing instances (tests switch builds with this). */
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
   * When the known-answer self-tests run: `'lazy'` (default) tests each
   * module's SHA-3 when the module is instantiated and every other family
   * (ML-KEM, ML-DSA, X25519) just before its first use, which then throws
   * `ERR_SELF_TEST_FAILED` if the build is broken; `'eager'` instantiates
   * every family module in init() and tests all of them there, for services
   * that would rather fail at start-up (costs ~10 ms of cold start).
   */
  selfTest?: 'lazy' | 'eager';
}

const FAMILIES: readonly WasmFamily[] = ['ml-kem', 'ml-dsa', 'x25519', 'sha3'];
/** File stem of each family's module (wasm/qsign-<stem>-<build>.wasm, scripts/build-wasm.mjs). */
const MODULE_OF: Record<WasmFamily, 'mlkem' | 'mldsa' | 'x25519' | 'sha3'> = {
  'ml-kem': 'mlkem',
  'ml-dsa': 'mldsa',
  x25519: 'x25519',
  sha3: 'sha3',
};
/** An export that tells a module serves a family. */
const MARKER: Record<WasmFamily, string> = {
  'ml-kem': 'qs_mlkem_keypair',
  'ml-dsa': 'qs_mldsa_keypair',
  x25519: 'qs_x25519',
  sha3: 'qs_keccak_oneshot',
};
const NAME: Record<WasmFamily, string> = { 'ml-kem': 'ML-KEM', 'ml-dsa': 'ML-DSA', x25519: 'X25519', sha3: 'SHA-3' };

type Variant = 'simd' | 'scalar';
type SyncOrAsync = WebAssembly.Module | Uint8Array | ArrayBuffer | WasmSource | Promise<WasmSource | Uint8Array | WebAssembly.Module>;

/** One instantiated module: its self-tested exports and its arena. */
interface Loaded {
  exports: QsignExports;
  arena: object;
}

interface State {
  backend: Backend;
  variant: Variant;
  eager: boolean;
  explicit: Partial<Record<WasmFamily, WasmSource>>;
  modules: Partial<Record<WasmFamily, Loaded>>;
  failures: Partial<Record<WasmFamily, QsignError>>;
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

function isSync(v: unknown): v is WebAssembly.Module | Uint8Array | ArrayBuffer {
  return v instanceof WebAssembly.Module || v instanceof Uint8Array || v instanceof ArrayBuffer;
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

/** A plain object of options (not a Module, bytes, URL, Response or promise). */
function isPlain(opt: unknown): opt is object {
  return typeof opt === 'object' && opt !== null && !isSync(opt) && !((opt as object) instanceof URL) && !isResponse(opt) &&
    typeof (opt as PromiseLike<unknown>).then !== 'function';
}

function isPair(opt: unknown): opt is { simd?: WasmSource; scalar?: WasmSource } {
  return isPlain(opt) && ('simd' in opt || 'scalar' in opt);
}

function isFamilyRecord(opt: unknown): opt is Partial<Record<WasmFamily, WasmSourceOrPair>> {
  return isPlain(opt) && !isPair(opt) && Object.keys(opt).some((k) => (FAMILIES as string[]).includes(k));
}

function forBuild(opt: WasmSourceOrPair | undefined, variant: Variant): WasmSource | undefined {
  return isPair(opt) ? opt[variant] : opt;
}

/** Records explicit sources by family (for the build `s` runs) that no earlier call gave. */
function addExplicit(s: State, w: Partial<Record<WasmFamily, WasmSourceOrPair>>): void {
  for (const f of FAMILIES) {
    const src = forBuild(w[f], s.variant);
    if (src !== undefined && s.explicit[f] === undefined) s.explicit[f] = src;
  }
}

/**
 * The runtime entry's hooks as a plain object: a custom `#wasm-source` may lack any of them, and the built-in
 * ones no longer export defaultModuleSource; a static `wasmSource.x` of a missing export fails webpack's build.
 */
const hooks: {
  modulesArriveSync?: () => boolean;
  defaultModuleSource?: (m: string, v: Variant) => SyncOrAsync;
  readModule?: (m: string, v: Variant) => SyncOrAsync;
  randomSource?: () => ((buf: Uint8Array) => boolean) | undefined;
} = wasmSource;

/** Whether the runtime entry hands over modules synchronously (`#wasm-source` modulesArriveSync; a custom one without it: no). */
function arriveSync(): boolean {
  const fn = hooks.modulesArriveSync;
  return typeof fn === 'function' && fn();
}

/** A family's module source for a build, as `#wasm-source/<module>` exports it (`moduleSource`). */
export type ModuleSource = (variant: Variant) => SyncOrAsync;

/**
 * Each family's source, registered by that family's own code (src/kem/mlkem.ts registers ML-KEM's from
 * `#wasm-source/mlkem`, and so on): a bundle reaches the `.wasm` imports or URLs of the families it uses,
 * and only those (a Worker uploads, a browser build emits, nothing else).
 */
const registered: Partial<Record<WasmFamily, ModuleSource>> = {};

/** @internal Called once by each family's code with its `#wasm-source/<module>` `moduleSource`. */
export function registerModuleSource(family: WasmFamily, source: ModuleSource): void {
  registered[family] ??= source;
}

/** A custom `#wasm-source` (a bundler alias, a test stub) with a defaultModuleSource serves every family itself. */
function customSource(): ((m: string, v: Variant) => SyncOrAsync) | undefined {
  const fn = hooks.defaultModuleSource;
  return typeof fn === 'function' ? fn : undefined;
}

/**
 * Where reading a module costs nothing until asked (Node, Bun, Deno: `readModule` of the runtime entry), any
 * family can be loaded, imported by this process's code or not (floor 2's getExports, the residue probes).
 */
function readAnyModule(): ((m: string, v: Variant) => SyncOrAsync) | undefined {
  return typeof hooks.readModule === 'function' ? hooks.readModule : undefined;
}

/** The families init() loads when not told which: every family whose code is in this bundle. */
function defaultFamilies(): WasmFamily[] {
  return customSource() ? [...FAMILIES] : FAMILIES.filter((f) => registered[f]);
}

/** The default source of a family module: a custom `#wasm-source`'s, else the family's `#wasm-source/<module>`. */
function defaultSource(family: WasmFamily, variant: Variant): SyncOrAsync {
  const custom = customSource();
  if (custom) return custom(MODULE_OF[family], variant);
  const own = registered[family];
  const any = readAnyModule();
  if (!own && any) return any(MODULE_OF[family], variant);
  if (!own) {
    throw new Error(`no ${NAME[family]} code in this bundle registered its module; pass init({ wasm }) the wasm/qsign-${MODULE_OF[family]}-*.wasm sources`);
  }
  return own(variant);
}

function loadFailed(family: WasmFamily, variant: Variant, cause: unknown): QsignError {
  return new QsignError('ERR_WASM_LOAD_FAILED', `could not load the ${variant === 'simd' ? 'SIMD128' : 'scalar'} ${NAME[family]} wasm module: ${(cause as Error)?.message ?? cause}. ` +
    `Pass init({ wasm }) a WebAssembly.Module, a Response/URL or the bytes of wasm/qsign-${MODULE_OF[family]}-${variant}.wasm.`, { cause });
}

/** Attaches the arenas of `s` (after a switch of state, or a module added to the current one). */
function activate(s: State): void {
  for (const f of FAMILIES) attachArena(f, s.modules[f]?.arena);
}

/**
 * Takes a fresh instance into `s`: initializes it, reserves its arena, self-tests its SHA-3 (and, eager,
 * every family it has) and makes it serve each family it exports that no module serves yet.
 */
function adopt(s: State, instance: WebAssembly.Instance, want: WasmFamily): void {
  const raw = instance.exports as unknown as QsignExports;
  const names = raw as unknown as Record<string, unknown>;
  const serves = FAMILIES.filter((f) => typeof names[MARKER[f]] === 'function');
  if (!serves.includes(want)) {
    throw new QsignError('ERR_WASM_LOAD_FAILED', `the wasm module given for ${NAME[want]} does not export it (it has none of ${MARKER[want]}); pass wasm/qsign-${MODULE_OF[want]}-${s.variant}.wasm`);
  }
  raw._initialize();
  const base = reserveArena(raw);
  let exports: QsignExports;
  try {
    exports = selfTestedExports(raw, s.eager);
  } catch (cause) {
    const err = cause instanceof QsignError ? cause : new QsignError('ERR_SELF_TEST_FAILED', `self-test failed (${(cause as Error)?.message ?? cause}); the wasm build is corrupt or miscompiled`, { cause });
    s.failures[want] = err;
    throw err;
  }
  const loaded: Loaded = { exports, arena: newArena(exports, base) };
  for (const f of serves) s.modules[f] ??= loaded;
  if (s === state) activate(s);
}

/** A module that already serves SHA-3 (ML-KEM's or ML-DSA's), so hashing needs no module of its own. */
function shareSha3(s: State): boolean {
  if (s.modules.sha3) return true;
  const other = s.modules['ml-kem'] ?? s.modules['ml-dsa'];
  if (!other) return false;
  s.modules.sha3 = other;
  if (s === state) activate(s);
  return true;
}

/** First use of a family in the current state: instantiate its module synchronously, or say what to await. */
function loadOnFirstUse(family: WasmFamily): void {
  const s = state;
  if (!s) return; // withHeap reports ERR_NOT_INITIALIZED
  if (s.failures[family]) throw s.failures[family];
  if (family === 'sha3' && shareSha3(s)) return;
  let source: SyncOrAsync | undefined = s.explicit[family];
  if (source === undefined) {
    try {
      source = defaultSource(family, s.variant);
    } catch (cause) {
      throw (s.failures[family] = loadFailed(family, s.variant, cause));
    }
  }
  if (isSync(source)) {
    let instance: WebAssembly.Instance;
    try {
      const module = source instanceof WebAssembly.Module ? source : new WebAssembly.Module(source as Uint8Array<ArrayBuffer>);
      instance = new WebAssembly.Instance(module, {});
    } catch (cause) {
      throw (s.failures[family] = loadFailed(family, s.variant, cause));
    }
    adopt(s, instance, family);
    return;
  }
  // An async source (a fetch): swallow its rejection here; init() reports it.
  if (source && typeof (source as PromiseLike<unknown>).then === 'function') Promise.resolve(source).catch(() => {});
  throw new QsignError('ERR_NOT_INITIALIZED', `the ${NAME[family]} wasm module is fetched asynchronously in this runtime and init() did not load it: ` +
    `call \`await init()\` (every family) or include '${family}' in init({ families }) before the first ${NAME[family]} call`);
}
onMissingArena(loadOnFirstUse);

/**
 * Loads `families` into `s` ahead of use: explicit sources, async defaults (fetches), and, when `now`
 * (the app named its families, or eager self-tests), synchronous ones too.
 */
async function preload(s: State, families: readonly WasmFamily[], now: boolean): Promise<void> {
  // SHA-3 last: a loaded ML-KEM or ML-DSA module serves it.
  const order = [...new Set(families)].sort((a, b) => Number(a === 'sha3') - Number(b === 'sha3'));
  const wanted = order.filter((f) => f !== 'sha3' || !(order.includes('ml-kem') || order.includes('ml-dsa')));
  await Promise.all(wanted.map(async (f) => {
    if (s.modules[f] || (f === 'sha3' && shareSha3(s))) return;
    const explicit = s.explicit[f];
    // Modules in hand on demand (Node, Deno, Workers): instantiating on first use costs the same then,
    // and nothing now; not even the read and compile, which the entry does when asked for the source.
    if (explicit === undefined && !now && arriveSync()) return;
    let source: SyncOrAsync;
    try {
      source = explicit ?? defaultSource(f, s.variant);
    } catch (cause) {
      throw loadFailed(f, s.variant, cause);
    }
    // Bytes or a Module in hand: instantiating on first use costs the same then, and nothing now.
    if (explicit === undefined && isSync(source) && !now) return;
    let instance: WebAssembly.Instance;
    try {
      instance = await instantiate(await (source as WasmSource | Promise<WasmSource>));
    } catch (cause) {
      throw loadFailed(f, s.variant, cause);
    }
    if (!s.modules[f]) adopt(s, instance, f);
  }));
}

const readyTasks = new Set<() => Promise<void>>();

/**
 * @internal A task init() awaits beside the wasm modules, registered by the code that needs it when that code
 * is created (e.g. the HashML-DSA objects: the SHA-2 their pre-hash needs, where the runtime has none
 * synchronously), so apps that bundle no such code load nothing for it.
 */
export function beforeReady(task: () => Promise<void>): void {
  readyTasks.add(task);
}

async function load(options: InitOptions): Promise<void> {
  usePlatformRandom(hooks.randomSource?.());
  const simd = options.simd ?? simdSupported();
  if (simd && !simdSupported()) {
    throw new QsignError('ERR_WASM_LOAD_FAILED', 'init({ simd: true }) was requested but this runtime does not support WebAssembly SIMD128; omit `simd` to pick automatically');
  }
  const variant: Variant = simd ? 'simd' : 'scalar';
  const s: State = { backend: simd ? 'simd128' : 'scalar', variant, eager: options.selfTest === 'eager', explicit: {}, modules: {}, failures: {} };
  const w = options.wasm;
  if (isFamilyRecord(w)) addExplicit(s, w);
  else if (w !== undefined) {
    // One module for this build: it serves whichever families it exports.
    const src = forBuild(w, variant);
    if (src !== undefined) {
      let instance: WebAssembly.Instance;
      try {
        instance = await instantiate(src);
      } catch (cause) {
        throw new QsignError('ERR_WASM_LOAD_FAILED', `could not load the ${simd ? 'SIMD128' : 'scalar'} wasm build: ${(cause as Error)?.message ?? cause}. ` +
          'Pass init({ wasm }) a WebAssembly.Module, a Response/URL or the bytes of a wasm/qsign-*-*.wasm module.', { cause });
      }
      const names = instance.exports as Record<string, unknown>;
      const first = FAMILIES.find((f) => typeof names[MARKER[f]] === 'function');
      if (!first) throw new QsignError('ERR_WASM_LOAD_FAILED', 'the wasm module given to init({ wasm }) exports none of the qsign families; pass a wasm/qsign-*-*.wasm module');
      adopt(s, instance, first);
    }
  }
  await Promise.all([
    preload(s, options.families ?? defaultFamilies(), options.families !== undefined || s.eager),
    ...[...readyTasks].map((t) => t()),
  ]);
  state = s;
  activate(s);
  if (options.engine !== undefined) await setEngineMode(options.engine);
}

/**
 * Chooses the build (SIMD128 where the runtime validates it, else scalar) and makes the family modules
 * ready: where modules are fetched (browsers) it loads `families` (default: all); elsewhere each family's
 * module is instantiated on its first use (self-tests: see {@link InitOptions.selfTest}). Call once before
 * any primitive; further calls return the same promise (concurrent callers share it), or load the
 * `families` they name that are not loaded yet.
 *
 * @example
 * ```ts
 * import { init, backend, ml_kem768 } from 'qsign-pqc';
 * await init();                              // SIMD128 where supported, else scalar
 * console.log(backend());                    // 'simd128'
 * await init({ families: ['ml-kem'] });      // or: fetch only the ML-KEM module (browsers)
 * ```
 */
export function init(options: InitOptions = {}): Promise<void> {
  if (pending && !options.force) {
    let p = pending;
    // A later call naming families loads those the first did not (same build; explicit sources by family
    // join the first call's, as qsign-pqc/inline passes them).
    if (options.families !== undefined) {
      p = p.then(() => {
        const s = state;
        if (!s) return;
        if (isFamilyRecord(options.wasm)) addExplicit(s, options.wasm);
        return preload(s, options.families!, true).then(() => activate(s));
      });
    }
    // Switching the engine needs no reload: chain the mode change onto the load.
    return options.engine === undefined ? p : p.then(() => setEngineMode(options.engine));
  }
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

/** `'simd128'` or `'scalar'`: the build init() chose (every family module runs this build). */
export function backend(): Backend {
  return current().backend;
}

function current(): State {
  if (!state) {
    throw new QsignError('ERR_NOT_INITIALIZED', 'qsign-pqc is not initialized: call `await init()` once before using the primitives');
  }
  return state;
}

/** The raw typed exports of the module serving `family`, instantiating it on first use (floor 2 only). */
export function getExports(family: WasmFamily): QsignExports {
  current();
  if (!FAMILIES.includes(family)) {
    throw new QsignError('ERR_INVALID_ARGUMENT', `${JSON.stringify(family)} is not a wasm family; use one of ${FAMILIES.join(', ')}`);
  }
  return familyExports(family);
}

/** The families whose module is instantiated now (tests and the residue check walk their memories). */
export function loadedFamilies(): WasmFamily[] {
  const s = state;
  return s ? FAMILIES.filter((f) => s.modules[f]) : [];
}

/**
 * @internal For benchmarks that interleave our two builds: the current
 * instances as an opaque handle, and a switch back to them without
 * instantiating again (a fresh 4 MiB instance per sample would put its
 * allocation and collection inside other samples).
 */
export function currentInstance(): object {
  return current();
}

/** @internal See {@link currentInstance}. */
export function restoreInstance(handle: object): void {
  state = handle as State;
  activate(state);
}
