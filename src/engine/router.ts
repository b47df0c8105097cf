/**
 * The engine router: the one asynchronous engine interface the protocol layers (JOSE, HPKE,
 * transit, X.509) call for signatures and KEMs. Each call runs on one of two
 * engines:
 *
 * - **wasm** — our primitives; every runtime, every feature.
 * - **webcrypto** — the runtime's native `crypto.subtle` ML-DSA / ML-KEM,
 *   where a probe (probe.ts) proved it exists and agrees with wasm.
 *
 * In the default `'auto'` mode the committed policy table (policy.ts, made
 * by bench/engine.mjs) picks the faster engine per runtime, algorithm and
 * operation. Calls that native Web Crypto cannot serve fall back to wasm,
 * and {@link engineFor} says so: expanded secret keys (no runtime imports
 * them; only seeds), deterministic or caller-chosen signing randomness
 * (native signing is hedged only), contexts where the runtime rejects them
 * (Deno 2.9), parameter sets the runtime lacks (ML-KEM-512 in Chromium 156
 * and Bun 1.4). External μ, streaming and HashML-DSA are not part of this
 * interface; they are wasm-only primitives.
 *
 * Keys: a secret key is the expanded byte form of the primitives, the seed
 * (32-byte ML-DSA ξ, 64-byte ML-KEM d‖z; told apart by length), or a native
 * private `CryptoKey` — which always runs natively, and may be
 * non-extractable. Public keys are raw bytes or a public `CryptoKey`.
 *
 * This module decides; ./signature.ts and ./kem.ts act. They are separate so
 * an app that only signs or verifies (a JWT verifier) never bundles the
 * ML-KEM wrappers, and vice versa: each half passes its own wasm table and
 * probe into the shared router.
 */
import { QsignError } from '../errors.js';
import { findAlgorithm } from '../registry.js';
import { init, isInitialized } from '../wasm/loader.js';
import {
  isKem,
  sizeOf,
  unsupported,
  importSeed,
  publicOf,
  exportRaw,
  nativeGenerate,
  type EngineAlgorithm,
} from './native.js';
import { knownCapability, type NativeAlgorithmCapability } from './probe.js';
import { policyPick, type EngineName, type PolicyOperation } from './policy.js';
import { engineMode } from './mode.js';
import { runtimeInfo, isCryptoKey, nativeSubtle } from './runtime.js';

/**
 * Resolves a name or alias to the canonical name of an algorithm of the
 * given kinds; `expected` lists the valid names for the error message.
 */
export function resolveAlgorithm<T extends EngineAlgorithm>(
  name: string,
  kinds: ReadonlyArray<'signature' | 'kem'>,
  what: string,
  expected: string,
): T {
  for (const kind of kinds) {
    const info = findAlgorithm(name, kind);
    // The engines serve ML-DSA and ML-KEM; the registry also lists SLH-DSA.
    if (info && (info.standard === 'FIPS 203' || info.standard === 'FIPS 204')) return info.name as T;
  }
  throw new QsignError('ERR_UNKNOWN_ALGORITHM', `unknown ${what}algorithm "${name}"; expected ${expected}`);
}

/** Resolves an ML-DSA or ML-KEM name or alias to its canonical name. */
export function engineAlgorithm(name: string): EngineAlgorithm {
  return resolveAlgorithm(name, ['signature', 'kem'], '', 'ML-DSA-44/65/87 or ML-KEM-512/768/1024');
}

export interface SignOptions {
  /** FIPS 204 context string, 0..255 bytes. */
  context?: Uint8Array;
  /** false: deterministic; 32 bytes: that randomness; default: fresh randomness. Native signing can do only the default. */
  extraEntropy?: false | Uint8Array;
}

/** Operations of the engine interface. */
export type EngineOperation = PolicyOperation;

/**
 * The shape of one call, as far as it decides the engine. Omitted fields
 * mean the call shape that *could* go native: a seed (sign, decapsulate),
 * public-key bytes (verify, encapsulate), byte output (keygen), no context,
 * hedged signing.
 */
export interface EngineCall {
  /** The key the call passes (its type and length are what matter). */
  key?: Uint8Array | CryptoKey;
  /** Context string (only its being non-empty matters). */
  context?: Uint8Array;
  /** As in {@link SignOptions}. */
  extraEntropy?: false | Uint8Array;
  /** keygen: what the caller wants back (see {@link KeygenOptions}). */
  output?: KeygenOutput;
}

/** An engine decision and why it was made. */
export interface EngineDecision {
  readonly engine: EngineName;
  readonly reason: string;
}

function opSupported(cap: NativeAlgorithmCapability, op: EngineOperation): boolean {
  switch (op) {
    case 'keygen':
      return cap.generateKey && cap.exportSeed;
    case 'sign':
      return cap.sign;
    case 'verify':
      return cap.verify && cap.rawPublic;
    case 'encapsulate':
      return cap.encapsulate && cap.rawPublic;
    case 'decapsulate':
      return cap.decapsulate;
  }
}

function opMatchesKind(alg: EngineAlgorithm, op: EngineOperation): boolean {
  if (op === 'keygen') return true;
  return isKem(alg) ? op === 'encapsulate' || op === 'decapsulate' : op === 'sign' || op === 'verify';
}

/** An engine decision with what the router needs to act on it. */
interface Decision extends EngineDecision {
  /** A CryptoKey or 'webcrypto' mode imposes native. */
  force: boolean;
  /** Forced, but native cannot serve it: the call must fail. */
  impossible: boolean;
  /** The algorithm's probe has not run and the answer depends on it. */
  needsProbe: boolean;
}

/**
 * The decision, without side effects. Order matters: first what native can
 * never take (so the reason names the real obstacle), then the mode, then
 * what the probe found, then the policy. Forced decisions (a CryptoKey,
 * CryptoKey output, 'webcrypto' mode) that native cannot serve are marked
 * impossible: the call fails with ERR_UNSUPPORTED_BY_RUNTIME instead of
 * silently using wasm.
 */
function decide(alg: EngineAlgorithm, op: EngineOperation, call: EngineCall): Decision {
  const mode = engineMode();
  const cap = knownCapability(alg);
  const keyIsCryptoKey = isCryptoKey(call.key);
  const forced = keyIsCryptoKey || mode === 'webcrypto' || (op === 'keygen' && call.output === 'cryptokey');
  const why = keyIsCryptoKey
    ? 'a CryptoKey can only be used by native Web Crypto'
    : op === 'keygen' && call.output === 'cryptokey'
      ? 'CryptoKey output needs native Web Crypto'
      : "init({ engine: 'webcrypto' })";
  const ok = (engine: EngineName, reason: string, needsProbe = false): Decision => ({
    engine,
    reason,
    force: forced,
    impossible: false,
    needsProbe,
  });
  const fallback = (reason: string): Decision =>
    forced
      ? { engine: 'webcrypto', reason: `${why}, but ${reason}`, force: true, impossible: true, needsProbe: false }
      : { engine: 'wasm', reason, force: false, impossible: false, needsProbe: false };

  // Inputs native Web Crypto cannot take, whatever the runtime.
  if (op === 'keygen' && (call.output === undefined || call.output === 'expanded')) {
    return fallback(
      "native Web Crypto cannot export an expanded secret key; ask for { output: 'seed' } or { output: 'cryptokey' }",
    );
  }
  if (
    (op === 'sign' || op === 'decapsulate') &&
    call.key instanceof Uint8Array &&
    call.key.length !== sizeOf(alg, 'seed')
  ) {
    return fallback(
      'native Web Crypto imports only seed private keys (no runtime accepts the expanded form), and this is an expanded key',
    );
  }
  if (op === 'sign' && call.extraEntropy !== undefined) {
    return fallback('native ML-DSA signing is hedged only; deterministic or caller-chosen randomness needs wasm');
  }
  if (mode === 'wasm' && !forced) return ok('wasm', "init({ engine: 'wasm' })");
  if (!nativeSubtle()) return fallback('this runtime has no crypto.subtle');
  const prefers = policyPick(runtimeInfo(), alg, op);
  if (!cap.probed) {
    // Unknown yet: forced calls wait for the probe; auto calls use wasm now and start it.
    if (forced) return ok('webcrypto', `${why} (native probe pending)`, true);
    if (prefers === 'webcrypto')
      return ok('wasm', `native ${alg} not probed yet (a call starts the probe; later calls may use native)`, true);
    return ok('wasm', `the ${runtimeInfo().key} policy prefers wasm for ${alg} ${op}`);
  }
  if (!opSupported(cap, op))
    return fallback(`this runtime's Web Crypto lacks ${alg} ${op}${cap.notes.length ? ` (${cap.notes[0]})` : ''}`);
  if (op === 'sign' || op === 'verify') {
    if (call.context && call.context.length > 0 && !cap.context)
      return fallback(`this runtime's Web Crypto rejects non-empty ML-DSA contexts`);
  }
  if (forced) return ok('webcrypto', why);
  return ok(prefers, `the ${runtimeInfo().key} policy prefers ${prefers} for ${alg} ${op}`);
}

/**
 * Which engine a call of this shape would run on right now, and why. Sync;
 * before an algorithm's native probe has run (see {@link probeWebCrypto}) the
 * answer for `'auto'` is wasm, which is also what such a call does.
 *
 * @example
 * ```ts
 * await init(); await probeWebCrypto();
 * engineFor('ML-DSA-65', 'verify');                                   // 'webcrypto' in Bun 1.4, 'wasm' in Firefox
 * engineFor('ML-DSA-65', 'sign', { extraEntropy: false });           // 'wasm': native is hedged only
 * ```
 */
export function engineFor(alg: string, op: EngineOperation, call: EngineCall = {}): EngineName {
  return explainEngine(alg, op, call).engine;
}

/** {@link engineFor} with the reason, for logs and docs. */
export function explainEngine(alg: string, op: EngineOperation, call: EngineCall = {}): EngineDecision {
  const a = engineAlgorithm(alg);
  if (!opMatchesKind(a, op)) throw new QsignError('ERR_INVALID_ARGUMENT', `${op} is not an operation of ${a}`);
  const d = decide(a, op, call);
  return { engine: d.engine, reason: d.reason };
}

/** Starts (or joins) the native probe of one algorithm; never rejects except when the wasm core is not loaded. */
export type Prober = () => Promise<NativeAlgorithmCapability>;

/** Runs the decision; starts/awaits the probe as needed; throws for impossible forced calls. */
export async function route(
  alg: EngineAlgorithm,
  op: EngineOperation,
  call: EngineCall,
  probe: Prober,
): Promise<EngineName> {
  if (!isInitialized()) await init();
  let d = decide(alg, op, call);
  if (d.needsProbe) {
    if (d.force) {
      await probe();
      d = decide(alg, op, call);
    } else {
      // Background: never delays this call, never surfaces an error.
      probe().catch(() => undefined);
    }
  }
  if (d.impossible || (d.force && d.needsProbe)) throw unsupported(`${alg} ${op}: ${d.reason}`);
  return d.engine;
}

export function checkContext(ctx: Uint8Array | undefined): void {
  if (ctx !== undefined && (!(ctx instanceof Uint8Array) || ctx.length > 255)) {
    throw new QsignError(
      'ERR_INVALID_ARGUMENT',
      'the ML-DSA context must be a Uint8Array of at most 255 bytes (FIPS 204)',
    );
  }
}

export function checkBytes(v: unknown, what: string): asserts v is Uint8Array {
  if (!(v instanceof Uint8Array)) throw new QsignError('ERR_INVALID_ARGUMENT', `${what} must be a Uint8Array`);
}

export function checkKey(alg: EngineAlgorithm, key: unknown, type: 'private' | 'public'): void {
  if (isCryptoKey(key)) {
    if (key.type !== type)
      throw new QsignError('ERR_INVALID_ARGUMENT', `expected a ${type} CryptoKey, got a ${key.type} one`);
    if (key.algorithm.name !== alg)
      throw new QsignError('ERR_INVALID_ARGUMENT', `the CryptoKey is for ${key.algorithm.name}, not ${alg}`);
    return;
  }
  checkBytes(key, `the ${type} key`);
}

export function signOpts(o: SignOptions): SignOptions {
  const r: SignOptions = {};
  if (o.context !== undefined) r.context = o.context;
  if (o.extraEntropy !== undefined) r.extraEntropy = o.extraEntropy;
  return r;
}

/** How keygen returns the secret key. */
export type KeygenOutput = 'expanded' | 'seed' | 'cryptokey';

export interface KeygenOptions {
  /**
   * `'expanded'` (default): the expanded secret-key bytes the primitives use
   * (always wasm). `'seed'`: the 32/64-byte seed (native where faster).
   * `'cryptokey'`: a native private `CryptoKey` (throws
   * `ERR_UNSUPPORTED_BY_RUNTIME` where the runtime lacks the algorithm).
   */
  output?: KeygenOutput;
  /** With `'cryptokey'`: whether the private key can be exported later (default false). */
  extractable?: boolean;
}

export interface KeyPair<S> {
  publicKey: Uint8Array;
  secretKey: S;
}

/** What keygen needs of a wasm primitive: a key pair from an optional seed. */
export interface WasmKeygen {
  keygen(seed?: Uint8Array): { publicKey: Uint8Array; secretKey: Uint8Array };
}

/** Key generation for either half; `wasm` and `probe` are the caller's own, so neither half pulls in the other. */
export async function keygenWith(
  alg: EngineAlgorithm,
  wasm: WasmKeygen,
  probe: Prober,
  seed: Uint8Array | undefined,
  opts: KeygenOptions,
): Promise<KeyPair<Uint8Array | CryptoKey>> {
  const output = opts.output ?? 'expanded';
  if (output !== 'expanded' && output !== 'seed' && output !== 'cryptokey') {
    throw new QsignError(
      'ERR_INVALID_ARGUMENT',
      `keygen output must be 'expanded', 'seed' or 'cryptokey', got ${JSON.stringify(output)}`,
    );
  }
  if (seed !== undefined) {
    checkBytes(seed, 'the seed');
    if (seed.length !== sizeOf(alg, 'seed'))
      throw new QsignError('ERR_INVALID_ARGUMENT', `a ${alg} seed is ${sizeOf(alg, 'seed')} bytes, got ${seed.length}`);
  }
  if (output === 'cryptokey') {
    await route(alg, 'keygen', { output }, probe);
    const pair = seed
      ? await importKeyPair(alg, seed, opts.extractable ?? false)
      : await nativeGenerate(alg, opts.extractable ?? false);
    return { publicKey: await exportRaw(pair.publicKey, 'raw-public'), secretKey: pair.privateKey };
  }
  if (output === 'seed' && seed) {
    // The seed is the answer; only the public key needs computing.
    if ((await route(alg, 'keygen', { output }, probe)) === 'webcrypto') {
      return {
        publicKey: await exportRaw(await publicOf(alg, await importSeed(alg, seed, false)), 'raw-public'),
        secretKey: seed.slice(),
      };
    }
    return { publicKey: wasm.keygen(seed).publicKey, secretKey: seed.slice() };
  }
  if (output === 'seed') {
    if ((await route(alg, 'keygen', { output }, probe)) === 'webcrypto') {
      const pair = await nativeGenerate(alg, true);
      return {
        publicKey: await exportRaw(pair.publicKey, 'raw-public'),
        secretKey: await exportRaw(pair.privateKey, 'raw-seed'),
      };
    }
    const s = randomSeed(sizeOf(alg, 'seed'));
    return { publicKey: wasm.keygen(s).publicKey, secretKey: s };
  }
  await route(alg, 'keygen', { output }, probe);
  return wasm.keygen(seed);
}

function randomSeed(n: number): Uint8Array {
  const s = new Uint8Array(n);
  globalThis.crypto.getRandomValues(s);
  return s;
}

async function importKeyPair(alg: EngineAlgorithm, seed: Uint8Array, extractable: boolean): Promise<CryptoKeyPair> {
  const privateKey = await importSeed(alg, seed, extractable);
  return { privateKey, publicKey: await publicOf(alg, privateKey) };
}
