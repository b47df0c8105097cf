/**
 * The one asynchronous engine interface the protocol layers (JOSE, HPKE,
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
 */
import { QsignError } from '../errors.js';
import { findAlgorithm } from '../registry.js';
import { init, isInitialized } from '../wasm/loader.js';
import {
  ENGINE_ALGORITHMS, isKem, sizeOf, unsupported, importSeed, importPublic, publicOf, exportRaw,
  nativeSign, nativeVerify, nativeEncapsulate, nativeDecapsulate, nativeGenerate,
  type EngineAlgorithm, type KemAlgorithm, type SignatureAlgorithm,
} from './native.js';
import { probeAlgorithm, probeAll, knownCapability, type NativeAlgorithmCapability } from './probe.js';
import { policyPick, type EngineName, type PolicyOperation } from './policy.js';
import { engineMode, onEngineMode, type EngineMode } from './mode.js';
import { runtimeInfo, isCryptoKey, nativeSubtle, type RuntimeInfo } from './runtime.js';
import { WASM_KEMS, WASM_SIGS } from './wasm.js';

export type { SignatureAlgorithm, KemAlgorithm, EngineAlgorithm } from './native.js';
export type { EngineName, PolicyOperation } from './policy.js';
export type { EngineMode } from './mode.js';
export type { NativeAlgorithmCapability } from './probe.js';
export type { RuntimeInfo } from './runtime.js';
export { EngineErrorCodes } from './native.js';
export { engineMode } from './mode.js';

/** Resolves a signature algorithm name or alias to its canonical name. */
export function signatureAlgorithm(name: string): SignatureAlgorithm {
  const info = findAlgorithm(name, 'signature');
  if (!info) throw new QsignError('ERR_UNKNOWN_ALGORITHM', `unknown signature algorithm "${name}"; expected ML-DSA-44, ML-DSA-65 or ML-DSA-87`);
  return info.name as SignatureAlgorithm;
}

/** Resolves a KEM algorithm name or alias to its canonical name. */
export function kemAlgorithm(name: string): KemAlgorithm {
  const info = findAlgorithm(name, 'kem');
  if (!info) throw new QsignError('ERR_UNKNOWN_ALGORITHM', `unknown KEM algorithm "${name}"; expected ML-KEM-512, ML-KEM-768 or ML-KEM-1024`);
  return info.name as KemAlgorithm;
}

function engineAlgorithm(name: string): EngineAlgorithm {
  const info = findAlgorithm(name, 'signature') ?? findAlgorithm(name, 'kem');
  if (!info) throw new QsignError('ERR_UNKNOWN_ALGORITHM', `unknown algorithm "${name}"; expected ML-DSA-44/65/87 or ML-KEM-512/768/1024`);
  return info.name as EngineAlgorithm;
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
    case 'keygen': return cap.generateKey && cap.exportSeed;
    case 'sign': return cap.sign;
    case 'verify': return cap.verify && cap.rawPublic;
    case 'encapsulate': return cap.encapsulate && cap.rawPublic;
    case 'decapsulate': return cap.decapsulate;
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
  const why = keyIsCryptoKey ? 'a CryptoKey can only be used by native Web Crypto' :
    op === 'keygen' && call.output === 'cryptokey' ? 'CryptoKey output needs native Web Crypto' : "init({ engine: 'webcrypto' })";
  const ok = (engine: EngineName, reason: string, needsProbe = false): Decision => ({ engine, reason, force: forced, impossible: false, needsProbe });
  const fallback = (reason: string): Decision => forced
    ? { engine: 'webcrypto', reason: `${why}, but ${reason}`, force: true, impossible: true, needsProbe: false }
    : { engine: 'wasm', reason, force: false, impossible: false, needsProbe: false };

  // Inputs native Web Crypto cannot take, whatever the runtime.
  if (op === 'keygen' && (call.output === undefined || call.output === 'expanded')) {
    return fallback("native Web Crypto cannot export an expanded secret key; ask for { output: 'seed' } or { output: 'cryptokey' }");
  }
  if ((op === 'sign' || op === 'decapsulate') && call.key instanceof Uint8Array && call.key.length !== sizeOf(alg, 'seed')) {
    return fallback('native Web Crypto imports only seed private keys (no runtime accepts the expanded form), and this is an expanded key');
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
    if (prefers === 'webcrypto') return ok('wasm', `native ${alg} not probed yet (a call starts the probe; later calls may use native)`, true);
    return ok('wasm', `the ${runtimeInfo().key} policy prefers wasm for ${alg} ${op}`);
  }
  if (!opSupported(cap, op)) return fallback(`this runtime's Web Crypto lacks ${alg} ${op}${cap.notes.length ? ` (${cap.notes[0]})` : ''}`);
  if (op === 'sign' || op === 'verify') {
    if (call.context && call.context.length > 0 && !cap.context) return fallback(`this runtime's Web Crypto rejects non-empty ML-DSA contexts`);
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

/** Runs the decision; starts/awaits the probe as needed; throws for impossible forced calls. */
async function route(alg: EngineAlgorithm, op: EngineOperation, call: EngineCall): Promise<EngineName> {
  if (!isInitialized()) await init();
  let d = decide(alg, op, call);
  if (d.needsProbe) {
    if (d.force) {
      await probeAlgorithm(alg);
      d = decide(alg, op, call);
    } else {
      // Background: never delays this call, never surfaces an error.
      probeAlgorithm(alg).catch(() => undefined);
    }
  }
  if (d.impossible || (d.force && d.needsProbe)) throw unsupported(`${alg} ${op}: ${d.reason}`);
  return d.engine;
}

function checkContext(ctx: Uint8Array | undefined): void {
  if (ctx !== undefined && (!(ctx instanceof Uint8Array) || ctx.length > 255)) {
    throw new QsignError('ERR_INVALID_ARGUMENT', 'the ML-DSA context must be a Uint8Array of at most 255 bytes (FIPS 204)');
  }
}

function checkBytes(v: unknown, what: string): asserts v is Uint8Array {
  if (!(v instanceof Uint8Array)) throw new QsignError('ERR_INVALID_ARGUMENT', `${what} must be a Uint8Array`);
}

function checkKey(alg: EngineAlgorithm, key: unknown, type: 'private' | 'public'): void {
  if (isCryptoKey(key)) {
    if (key.type !== type) throw new QsignError('ERR_INVALID_ARGUMENT', `expected a ${type} CryptoKey, got a ${key.type} one`);
    if (key.algorithm.name !== alg) throw new QsignError('ERR_INVALID_ARGUMENT', `the CryptoKey is for ${key.algorithm.name}, not ${alg}`);
    return;
  }
  checkBytes(key, `the ${type} key`);
}

function signOpts(o: SignOptions): SignOptions {
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

async function keygen(alg: EngineAlgorithm, seed: Uint8Array | undefined, opts: KeygenOptions): Promise<KeyPair<Uint8Array | CryptoKey>> {
  const output = opts.output ?? 'expanded';
  if (output !== 'expanded' && output !== 'seed' && output !== 'cryptokey') {
    throw new QsignError('ERR_INVALID_ARGUMENT', `keygen output must be 'expanded', 'seed' or 'cryptokey', got ${JSON.stringify(output)}`);
  }
  if (seed !== undefined) {
    checkBytes(seed, 'the seed');
    if (seed.length !== sizeOf(alg, 'seed')) throw new QsignError('ERR_INVALID_ARGUMENT', `a ${alg} seed is ${sizeOf(alg, 'seed')} bytes, got ${seed.length}`);
  }
  const wasm = isKem(alg) ? WASM_KEMS[alg as KemAlgorithm] : WASM_SIGS[alg as SignatureAlgorithm];
  if (output === 'cryptokey') {
    await route(alg, 'keygen', { output });
    const pair = seed ? await importKeyPair(alg, seed, opts.extractable ?? false) : await nativeGenerate(alg, opts.extractable ?? false);
    return { publicKey: await exportRaw(pair.publicKey, 'raw-public'), secretKey: pair.privateKey };
  }
  if (output === 'seed' && seed) {
    // The seed is the answer; only the public key needs computing.
    if ((await route(alg, 'keygen', { output })) === 'webcrypto') {
      return { publicKey: await exportRaw(await publicOf(alg, await importSeed(alg, seed, false)), 'raw-public'), secretKey: seed.slice() };
    }
    return { publicKey: wasm.keygen(seed).publicKey, secretKey: seed.slice() };
  }
  if (output === 'seed') {
    if ((await route(alg, 'keygen', { output })) === 'webcrypto') {
      const pair = await nativeGenerate(alg, true);
      return { publicKey: await exportRaw(pair.publicKey, 'raw-public'), secretKey: await exportRaw(pair.privateKey, 'raw-seed') };
    }
    const s = randomSeed(sizeOf(alg, 'seed'));
    return { publicKey: wasm.keygen(s).publicKey, secretKey: s };
  }
  await route(alg, 'keygen', { output });
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

/**
 * Key pair from a 32-byte ML-DSA seed (or fresh randomness). By default the
 * secret key is the expanded bytes (wasm); see {@link KeygenOptions} for seed
 * or CryptoKey output.
 */
export async function signatureKeygen(alg: string, seed?: Uint8Array): Promise<{ publicKey: Uint8Array; secretKey: Uint8Array }>;
export async function signatureKeygen(alg: string, seed: Uint8Array | undefined, opts: KeygenOptions & { output: 'cryptokey' }): Promise<KeyPair<CryptoKey>>;
export async function signatureKeygen(alg: string, seed?: Uint8Array, opts?: KeygenOptions & { output?: 'expanded' | 'seed' }): Promise<KeyPair<Uint8Array>>;
export async function signatureKeygen(alg: string, seed?: Uint8Array, opts: KeygenOptions = {}): Promise<KeyPair<Uint8Array | CryptoKey>> {
  return keygen(signatureAlgorithm(alg), seed, opts);
}

/**
 * Signs `message`. `secretKey`: expanded bytes (wasm), the 32-byte seed
 * (policy picks), or a private CryptoKey (native).
 */
export async function sign(alg: string, secretKey: Uint8Array | CryptoKey, message: Uint8Array, opts: SignOptions = {}): Promise<Uint8Array> {
  const a = signatureAlgorithm(alg);
  checkKey(a, secretKey, 'private');
  checkBytes(message, 'the message');
  checkContext(opts.context);
  if (opts.extraEntropy !== undefined && opts.extraEntropy !== false) checkBytes(opts.extraEntropy, 'extraEntropy');
  const engine = await route(a, 'sign', { key: secretKey, ...signOpts(opts) });
  if (engine === 'webcrypto') {
    const key = isCryptoKey(secretKey) ? secretKey : await importSeed(a, secretKey, false);
    return nativeSign(a, key, message, opts.context);
  }
  const sk = secretKey as Uint8Array;
  const expanded = sk.length === sizeOf(a, 'seed') ? WASM_SIGS[a].keygen(sk).secretKey : sk;
  return WASM_SIGS[a].sign(message, expanded, signOpts(opts));
}

/** Verifies `signature`; `publicKey` is raw bytes or a public CryptoKey. Resolves false for any invalid signature. */
export async function verify(alg: string, publicKey: Uint8Array | CryptoKey, message: Uint8Array, signature: Uint8Array, opts: { context?: Uint8Array } = {}): Promise<boolean> {
  const a = signatureAlgorithm(alg);
  checkKey(a, publicKey, 'public');
  checkBytes(message, 'the message');
  checkBytes(signature, 'the signature');
  checkContext(opts.context);
  const context = opts.context;
  const engine = await route(a, 'verify', context === undefined ? { key: publicKey } : { key: publicKey, context });
  if (engine === 'webcrypto') {
    const key = isCryptoKey(publicKey) ? publicKey : await importPublic(a, publicKey);
    return nativeVerify(a, key, message, signature, context);
  }
  return WASM_SIGS[a].verify(signature, message, publicKey as Uint8Array, context === undefined ? {} : { context });
}

/** Key pair from a 64-byte ML-KEM seed d‖z (or fresh randomness); see {@link KeygenOptions}. */
export async function kemKeygen(alg: string, seed?: Uint8Array): Promise<{ publicKey: Uint8Array; secretKey: Uint8Array }>;
export async function kemKeygen(alg: string, seed: Uint8Array | undefined, opts: KeygenOptions & { output: 'cryptokey' }): Promise<KeyPair<CryptoKey>>;
export async function kemKeygen(alg: string, seed?: Uint8Array, opts?: KeygenOptions & { output?: 'expanded' | 'seed' }): Promise<KeyPair<Uint8Array>>;
export async function kemKeygen(alg: string, seed?: Uint8Array, opts: KeygenOptions = {}): Promise<KeyPair<Uint8Array | CryptoKey>> {
  return keygen(kemAlgorithm(alg), seed, opts);
}

/**
 * Encapsulates to `publicKey` (raw bytes or a public CryptoKey). `msg` (the
 * 32-byte FIPS 203 `m`, for test vectors) forces wasm: native draws its own.
 */
export async function encapsulate(alg: string, publicKey: Uint8Array | CryptoKey, msg?: Uint8Array): Promise<{ cipherText: Uint8Array; sharedSecret: Uint8Array }> {
  const a = kemAlgorithm(alg);
  checkKey(a, publicKey, 'public');
  if (msg !== undefined) {
    checkBytes(msg, 'msg');
    if (isCryptoKey(publicKey) || engineMode() === 'webcrypto') {
      throw unsupported(`${a} encapsulate: native Web Crypto draws its own randomness, so a caller-chosen m needs the wasm engine (and byte keys)`);
    }
    return WASM_KEMS[a].encapsulate(publicKey, msg);
  }
  if ((await route(a, 'encapsulate', { key: publicKey })) === 'webcrypto') {
    const key = isCryptoKey(publicKey) ? publicKey : await importPublic(a, publicKey);
    return nativeEncapsulate(a, key);
  }
  return WASM_KEMS[a].encapsulate(publicKey as Uint8Array);
}

/** Decapsulates; `secretKey` is expanded bytes (wasm), the 64-byte seed (policy picks) or a private CryptoKey (native). */
export async function decapsulate(alg: string, cipherText: Uint8Array, secretKey: Uint8Array | CryptoKey): Promise<Uint8Array> {
  const a = kemAlgorithm(alg);
  checkKey(a, secretKey, 'private');
  checkBytes(cipherText, 'the ciphertext');
  if ((await route(a, 'decapsulate', { key: secretKey })) === 'webcrypto') {
    const key = isCryptoKey(secretKey) ? secretKey : await importSeed(a, secretKey, false);
    return nativeDecapsulate(a, key, cipherText);
  }
  const sk = secretKey as Uint8Array;
  const expanded = sk.length === sizeOf(a, 'seed') ? WASM_KEMS[a].keygen(sk).secretKey : sk;
  return WASM_KEMS[a].decapsulate(cipherText, expanded);
}

// ---------------------------------------------------------------------------
// Capabilities

/** A sync snapshot of what the engine knows and does in this runtime. */
export interface EngineCapabilities {
  readonly runtime: RuntimeInfo;
  readonly mode: EngineMode;
  /** Whether the runtime exposes `crypto.subtle` at all. */
  readonly webCrypto: boolean;
  /** True once every algorithm's native probe has finished. */
  readonly probed: boolean;
  /** Per algorithm: the native probe's findings. */
  readonly algorithms: Readonly<Record<EngineAlgorithm, NativeAlgorithmCapability>>;
}

/**
 * What native Web Crypto offers here, as far as probed (sync, no work).
 * Probing is lazy to keep cold start fast; `await probeWebCrypto()` (or
 * `init({ engine: 'webcrypto' })`) makes this complete.
 */
export function capabilities(): EngineCapabilities {
  const algorithms = Object.fromEntries(ENGINE_ALGORITHMS.map((a) => [a, knownCapability(a)])) as Record<EngineAlgorithm, NativeAlgorithmCapability>;
  return Object.freeze({
    runtime: runtimeInfo(),
    mode: engineMode(),
    webCrypto: nativeSubtle() !== undefined,
    probed: ENGINE_ALGORITHMS.every((a) => algorithms[a].probed),
    algorithms: Object.freeze(algorithms),
  });
}

/**
 * Runs the native probe for every algorithm (memoized; ~12–70 ms once,
 * depending on the runtime) and resolves to the complete capabilities.
 */
export async function probeWebCrypto(): Promise<EngineCapabilities> {
  if (!isInitialized()) await init();
  await probeAll();
  return capabilities();
}

// 'webcrypto' mode must know what exists before the first call, so init() waits for the probe.
onEngineMode(async (m) => { if (m === 'webcrypto') await probeAll(); });

export { importKeyToWebCrypto, importPublicKeyToWebCrypto, importWebCryptoKey, exportWebCryptoKey, seedFromWebCrypto, publicKeyFromWebCrypto } from './keys.js';
export type { WebCryptoKeyFormat, ImportKeyOptions } from './keys.js';
export { ml_dsa44_async, ml_dsa65_async, ml_dsa87_async, ml_kem512_async, ml_kem768_async, ml_kem1024_async } from './async.js';
export type { AsyncSignature, AsyncKem } from './async.js';
