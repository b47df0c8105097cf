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
 * (Deno 2.9), parameter sets the runtime lacks (ML-KEM-512 in Chromium 156,
 * Bun 1.4 and workerd). External μ, streaming and HashML-DSA are not part of
 * this interface; they are wasm-only primitives.
 *
 * Keys: a secret key is the expanded byte form of the primitives, the seed
 * (32-byte ML-DSA ξ, 64-byte ML-KEM d‖z; told apart by length), or a native
 * private `CryptoKey` — which always runs natively, and may be
 * non-extractable. Public keys are raw bytes or a public `CryptoKey`.
 *
 * The engine decides once: a call's shape (algorithm, operation, key form,
 * context, randomness, output) is decided the first time it is seen and
 * the answer kept until the mode changes or a probe result lands, so every
 * later call goes public function → {@link run} → the chosen engine
 * (./native.ts or ./wasm.ts), entering each file once.
 *
 * ./signature.ts and ./kem.ts are the public halves. They are separate so
 * an app that only signs or verifies (a JWT verifier) never bundles the
 * ML-KEM wrappers, and vice versa: each half passes its own engine
 * functions and probe into the shared router.
 */
import { QsignError } from '../errors.js';
import { ML_DSA } from '../registry/ml-dsa.js';
import { ML_KEM } from '../registry/ml-kem.js';
import { findIn } from '../registry/rows.js';
import { init, isInitialized } from '../wasm/loader.js';
import { isKem, unsupported, keygenNatively, type EngineAlgorithm } from './native.js';
import { knownCapability, probeEpoch, type NativeAlgorithmCapability } from './probe.js';
import { policyPick, type EngineName, type PolicyOperation } from './policy.js';
import { engineMode, modeEpoch } from '../wasm/engine-mode.js';
import { runtimeFacts, isCryptoKey } from './runtime.js';
import { keygenInWasm, type WasmKem, type WasmSignature } from './wasm.js';

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
    // The engines serve ML-DSA and ML-KEM: their family rows, not the whole registry.
    const info = findIn(kind === 'kem' ? ML_KEM : ML_DSA, name);
    if (info) return info.name as T;
  }
  throw new QsignError('ERR_UNKNOWN_ALGORITHM', `unknown ${what}algorithm "${name}"; expected ${expected}`);
}

/** Resolves an ML-DSA or ML-KEM name or alias to its canonical name. */
export function engineAlgorithm(name: string): EngineAlgorithm {
  return resolveAlgorithm(name, ['signature', 'kem'], '', 'ML-DSA-44/65/87 or ML-KEM-512/768/1024');
}

/**
 * Options of the engine's `sign` and `signAsync`.
 *
 * @example
 * ```ts
 * const sig = await sign('ML-DSA-65', secretKey, msg, { context: new TextEncoder().encode('app-v1') });
 * ```
 */
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
  // run() has checked the key: anything but bytes is a CryptoKey.
  const keyIsCryptoKey = call.key !== undefined && !(call.key instanceof Uint8Array);
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
    call.key.length !== seedLength(alg)
  ) {
    return fallback(
      'native Web Crypto imports only seed private keys (no runtime accepts the expanded form), and this is an expanded key',
    );
  }
  if (op === 'sign' && call.extraEntropy !== undefined) {
    return fallback('native ML-DSA signing is hedged only; deterministic or caller-chosen randomness needs wasm');
  }
  if (mode === 'wasm' && !forced) return ok('wasm', "init({ engine: 'wasm' })");
  // Consulted once each, in this order: the runtime, its policy row, the probe.
  const rt = runtimeFacts();
  if (!rt.webCrypto) return fallback('this runtime has no crypto.subtle');
  const prefers = policyPick(rt, alg, op);
  const cap = knownCapability(alg);
  if (!cap.probed) {
    // Unknown yet: forced calls wait for the probe; auto calls use wasm now and start it.
    if (forced) return ok('webcrypto', `${why} (native probe pending)`, true);
    if (prefers === 'webcrypto')
      return ok('wasm', `native ${alg} not probed yet (a call starts the probe; later calls may use native)`, true);
    return ok('wasm', `the ${rt.key} policy prefers wasm for ${alg} ${op}`);
  }
  if (!opSupported(cap, op))
    return fallback(`this runtime's Web Crypto lacks ${alg} ${op}${cap.notes.length ? ` (${cap.notes[0]})` : ''}`);
  if (op === 'sign' || op === 'verify') {
    if (call.context && call.context.length > 0 && !cap.context)
      return fallback(`this runtime's Web Crypto rejects non-empty ML-DSA contexts`);
  }
  if (forced) return ok('webcrypto', why);
  return ok(prefers, `the ${rt.key} policy prefers ${prefers} for ${alg} ${op}`);
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
export type Prober = (alg: EngineAlgorithm) => Promise<NativeAlgorithmCapability>;

/*
 * Decisions already made, by call shape. Valid while neither the mode nor a
 * probe result has changed since (both modules count their changes in a
 * live-bound epoch, so checking costs no call). A decision that waits on a
 * probe is never kept.
 */
const decided = new Map<string, EngineName>();
let decidedAt = '';

function shapeOf(alg: EngineAlgorithm, op: EngineOperation, call: EngineCall): string {
  const k = call.key;
  const key =
    k === undefined ? '' : k instanceof Uint8Array ? (k.length === seedLength(alg) ? 'seed' : 'bytes') : 'cryptokey';
  const ctx = call.context && call.context.length > 0 ? 'ctx' : '';
  const entropy = call.extraEntropy === undefined ? '' : 'entropy';
  return `${alg}|${op}|${key}|${ctx}|${entropy}|${call.output ?? ''}`;
}

const seeds = new Map<EngineAlgorithm, number>();
function seedLength(alg: EngineAlgorithm): number {
  let n = seeds.get(alg);
  if (n === undefined) seeds.set(alg, (n = findIn(isKem(alg) ? ML_KEM : ML_DSA, alg)!.sizes.seed!));
  return n;
}

/** Runs the decision (once per call shape); starts/awaits the probe as needed; throws for impossible forced calls. */
export async function route(
  alg: EngineAlgorithm,
  op: EngineOperation,
  call: EngineCall,
  probe: Prober,
): Promise<EngineName> {
  const stamp = `${modeEpoch}.${probeEpoch}`;
  if (stamp !== decidedAt) {
    decided.clear();
    decidedAt = stamp;
  }
  const shape = shapeOf(alg, op, call);
  const known = decided.get(shape);
  if (known) return known;
  if (!isInitialized()) await init();
  let d = decide(alg, op, call);
  if (d.needsProbe) {
    if (d.force) {
      await probe(alg);
      d = decide(alg, op, call);
    } else {
      // Background: never delays this call, never surfaces an error.
      probe(alg).catch(() => undefined);
    }
  }
  if (d.impossible || (d.force && d.needsProbe)) throw unsupported(`${alg} ${op}: ${d.reason}`);
  if (!d.needsProbe && stamp === `${modeEpoch}.${probeEpoch}`) decided.set(shape, d.engine);
  return d.engine;
}

/** One operation on each engine, with the same arguments (the router adds the canonical algorithm name). */
export interface Engines<A extends unknown[], R> {
  wasm(...args: A): R;
  webcrypto(...args: A): Promise<R>;
}

/** What {@link run} checks before deciding: the key for `op`, the context and randomness, byte inputs by name. */
export interface RunCall extends EngineCall {
  inputs?: Readonly<Record<string, unknown>>;
}

const names = new Map<string, EngineAlgorithm>();

/**
 * The one path of an engine call: resolve the name, check the arguments,
 * decide (once per call shape), and hand the call to the chosen engine.
 */
export async function run<A extends unknown[], R>(
  name: string,
  kind: 'signature' | 'kem',
  op: EngineOperation,
  call: RunCall,
  probe: Prober,
  engines: Engines<[EngineAlgorithm, ...A], R>,
  ...args: A
): Promise<R> {
  const alg = names.get(`${kind}|${name}`) ?? resolveKind(name, kind);
  checkKey(alg, call.key, op === 'sign' || op === 'decapsulate' ? 'private' : 'public');
  for (const what in call.inputs) checkBytes(call.inputs[what], what);
  checkContext(call.context);
  if (call.extraEntropy !== undefined && call.extraEntropy !== false) checkBytes(call.extraEntropy, 'extraEntropy');
  const engine = await route(alg, op, call, probe);
  return engines[engine](alg, ...args);
}

function resolveKind(name: string, kind: 'signature' | 'kem'): EngineAlgorithm {
  const alg =
    kind === 'signature'
      ? resolveAlgorithm<EngineAlgorithm>(name, ['signature'], 'signature ', 'ML-DSA-44, ML-DSA-65 or ML-DSA-87')
      : resolveAlgorithm<EngineAlgorithm>(name, ['kem'], 'KEM ', 'ML-KEM-512, ML-KEM-768 or ML-KEM-1024');
  names.set(`${kind}|${name}`, alg);
  return alg;
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
  if (key instanceof Uint8Array) return;
  if (isCryptoKey(key)) {
    if (key.type !== type)
      throw new QsignError('ERR_INVALID_ARGUMENT', `expected a ${type} CryptoKey, got a ${key.type} one`);
    if (key.algorithm.name !== alg)
      throw new QsignError('ERR_INVALID_ARGUMENT', `the CryptoKey is for ${key.algorithm.name}, not ${alg}`);
    return;
  }
  checkBytes(key, `the ${type} key`);
}

/** How keygen returns the secret key. */
export type KeygenOutput = 'expanded' | 'seed' | 'cryptokey';

/**
 * Options of the engine's key generation (`signatureKeygen`, `kemKeygen`, `keygenAsync`).
 *
 * @example
 * ```ts
 * const { publicKey, secretKey } = await signatureKeygen('ML-DSA-65', undefined, { output: 'seed' }); // 32-byte seed
 * ```
 */
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

/** A key pair from the engine: raw public key bytes, and the secret key as bytes or a native CryptoKey (`S`). */
export interface KeyPair<S> {
  publicKey: Uint8Array;
  secretKey: S;
}

/** Key generation for either half; `table` and `probe` are the caller's own, so neither half pulls in the other. */
export async function keygenWith(
  name: string,
  kind: 'signature' | 'kem',
  table: Readonly<Record<string, WasmSignature | WasmKem>>,
  probe: Prober,
  seed: Uint8Array | undefined,
  opts: KeygenOptions,
): Promise<KeyPair<Uint8Array | CryptoKey>> {
  const alg = names.get(`${kind}|${name}`) ?? resolveKind(name, kind);
  const output = opts.output ?? 'expanded';
  if (output !== 'expanded' && output !== 'seed' && output !== 'cryptokey') {
    throw new QsignError(
      'ERR_INVALID_ARGUMENT',
      `keygen output must be 'expanded', 'seed' or 'cryptokey', got ${JSON.stringify(output)}`,
    );
  }
  if (seed !== undefined) {
    checkBytes(seed, 'the seed');
    if (seed.length !== seedLength(alg))
      throw new QsignError('ERR_INVALID_ARGUMENT', `a ${alg} seed is ${seedLength(alg)} bytes, got ${seed.length}`);
  }
  const engine = await route(alg, 'keygen', { output }, probe);
  if (output === 'expanded' || engine === 'wasm') return keygenInWasm(table[alg]!, seed, output as 'expanded' | 'seed');
  return keygenNatively(alg, seed, output, opts.extractable ?? false);
}
