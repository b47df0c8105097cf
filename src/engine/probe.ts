/**
 * What the runtime's native Web Crypto can really do, per algorithm and
 * operation — found by running it, never by reading version numbers or
 * `SubtleCrypto.supports()` (Deno 2.9 answers `supports('sign', {context})`
 * true yet rejects every non-empty context).
 *
 * Each algorithm's probe is one memoized promise. It is NOT run at init():
 * measured on this machine a full probe costs ~20 ms in Node 24 (8 ms of it
 * is Node loading its Web Crypto on first touch), 40–70 ms in Deno 2.9 and
 * ~12 ms in Bun 1.4 — more than the whole wasm init (~14 ms). It runs when
 * the engine first meets an algorithm (in the background; calls meanwhile
 * use wasm), when a CryptoKey is used, on `probeWebCrypto()`, and inside
 * `init({ engine: 'webcrypto' })`.
 *
 * The probe cross-checks native against our wasm: the public key natively
 * derived from a fixed seed must equal ours byte for byte (so seeds move
 * between engines), a native signature must verify in wasm and vice versa,
 * and a native ciphertext must decapsulate in wasm to the same secret and
 * vice versa. A runtime that "has" an operation but disagrees with FIPS
 * 203/204 is treated as lacking it.
 */
import {
  importSeed,
  publicOf,
  exportRaw,
  nativeSign,
  nativeVerify,
  nativeGenerate,
  importPublic,
  type EngineAlgorithm,
  type SignatureAlgorithm,
} from './native.js';
import { nativeSubtle } from './runtime.js';
import { equalBytes } from '../util/bytes.js';
import { WASM_SIGS } from './wasm.js';

/** Native support for one algorithm; every flag was established by running it. */
export interface NativeAlgorithmCapability {
  /** False until this algorithm's probe has finished; all flags are false until then. */
  readonly probed: boolean;
  /** `generateKey` works (non-extractable pair). */
  readonly generateKey: boolean;
  /** `importKey('raw-seed')` works and derives the same public key as the wasm engine. */
  readonly importSeed: boolean;
  /** `exportKey('raw-seed')` of an extractable key returns the seed it was made from. */
  readonly exportSeed: boolean;
  /** `importKey('raw-public')` / `exportKey('raw-public')` work. */
  readonly rawPublic: boolean;
  /** Signatures: native signatures verify in wasm (pure ML-DSA, empty context). */
  readonly sign: boolean;
  /** Signatures: wasm signatures verify natively, and a wrong message is rejected. */
  readonly verify: boolean;
  /** Signatures: a non-empty FIPS 204 context string round-trips natively and matches wasm. */
  readonly context: boolean;
  /** KEM: native encapsulation decapsulates in wasm to the same shared secret. */
  readonly encapsulate: boolean;
  /** KEM: wasm ciphertexts decapsulate natively to the same shared secret. */
  readonly decapsulate: boolean;
  /** Why something is missing (first failure per step), for diagnostics. */
  readonly notes: readonly string[];
}

export const NONE: NativeAlgorithmCapability = Object.freeze({
  probed: false,
  generateKey: false,
  importSeed: false,
  exportSeed: false,
  rawPublic: false,
  sign: false,
  verify: false,
  context: false,
  encapsulate: false,
  decapsulate: false,
  notes: Object.freeze([]),
});

const results = new Map<EngineAlgorithm, NativeAlgorithmCapability>();
/** Counts changes to the results (a probe finished, or a reset); the router keeps its decisions while it stands still. */
export let probeEpoch = 0;
const running = new Map<EngineAlgorithm, Promise<NativeAlgorithmCapability>>();

/** Deterministic probe inputs: a visible pattern, so a failing probe is easy to replay. */
export function pattern(n: number, start: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (start + i) & 0xff);
}

export async function step(notes: string[], name: string, f: () => Promise<boolean>): Promise<boolean> {
  try {
    if (await f()) return true;
    notes.push(`${name}: result disagrees with the wasm engine`);
  } catch (e) {
    notes.push(`${name}: ${(e as Error)?.message ?? e}`);
  }
  return false;
}

async function probeSignature(alg: SignatureAlgorithm): Promise<NativeAlgorithmCapability> {
  const notes: string[] = [];
  const wasm = WASM_SIGS[alg];
  const seed = pattern(32, 1);
  const msg = pattern(33, 100);
  const ctx = pattern(7, 200);
  const ours = wasm.keygen(seed);
  let sk: CryptoKey | undefined, pk: CryptoKey | undefined;
  const importOk = await step(notes, 'importKey(raw-seed)', async () => {
    sk = await importSeed(alg, seed, true);
    pk = await publicOf(alg, sk);
    return equalBytes(await exportRaw(pk, 'raw-public'), ours.publicKey);
  });
  if (!importOk || !sk || !pk) return freeze({ ...NONE, probed: true, notes });
  const k = sk,
    p = pk;
  const [exportSeed, rawPublic, sign, verify, context, generateKey] = await Promise.all([
    step(notes, 'exportKey(raw-seed)', async () => equalBytes(await exportRaw(k, 'raw-seed'), seed)),
    step(notes, 'importKey(raw-public)', async () => (await importPublic(alg, ours.publicKey)).type === 'public'),
    step(notes, 'sign', async () => wasm.verify(await nativeSign(alg, k, msg), msg, ours.publicKey)),
    step(notes, 'verify', async () => {
      const sig = wasm.sign(msg, ours.secretKey);
      return (await nativeVerify(alg, p, msg, sig)) && !(await nativeVerify(alg, p, pattern(33, 101), sig));
    }),
    step(notes, 'context', async () => {
      const nat = await nativeSign(alg, k, msg, ctx);
      const sig = wasm.sign(msg, ours.secretKey, { context: ctx });
      // Both directions, and the context must matter (a runtime that ignored it would verify without it).
      return (
        wasm.verify(nat, msg, ours.publicKey, { context: ctx }) &&
        (await nativeVerify(alg, p, msg, sig, ctx)) &&
        !(await nativeVerify(alg, p, msg, sig))
      );
    }),
    step(notes, 'generateKey', async () => {
      const kp = await nativeGenerate(alg, false);
      return (
        kp.privateKey.extractable === false &&
        (await nativeVerify(alg, kp.publicKey, msg, await nativeSign(alg, kp.privateKey, msg)))
      );
    }),
  ]);
  return freeze({
    probed: true,
    generateKey,
    importSeed: true,
    exportSeed,
    rawPublic,
    sign,
    verify,
    context,
    encapsulate: false,
    decapsulate: false,
    notes,
  });
}

export function freeze(c: Omit<NativeAlgorithmCapability, 'notes'> & { notes: string[] }): NativeAlgorithmCapability {
  return Object.freeze({ ...c, notes: Object.freeze([...c.notes]) });
}

/**
 * Memoizes one algorithm's probe (concurrent callers share the run). Needs
 * the wasm core loaded (the cross-checks use it); never rejects otherwise.
 */
export function memo(
  alg: EngineAlgorithm,
  run: () => Promise<NativeAlgorithmCapability>,
): Promise<NativeAlgorithmCapability> {
  const done = results.get(alg);
  if (done) return Promise.resolve(done);
  let p = running.get(alg);
  if (!p) {
    p = (async () => {
      let cap: NativeAlgorithmCapability;
      if (!nativeSubtle()) cap = freeze({ ...NONE, probed: true, notes: ['no crypto.subtle in this runtime'] });
      else {
        try {
          cap = await run();
        } catch (e) {
          // A wasm-side failure here means init() was not awaited; do not cache it.
          running.delete(alg);
          throw e;
        }
      }
      results.set(alg, cap);
      probeEpoch++;
      running.delete(alg);
      return cap;
    })();
    running.set(alg, p);
  }
  return p;
}

/** Probes one ML-DSA parameter set; references only the ML-DSA wrappers. */
export function probeSignatureAlgorithm(alg: SignatureAlgorithm): Promise<NativeAlgorithmCapability> {
  return memo(alg, () => probeSignature(alg));
}

/** What is known so far about `alg` (sync; `probed: false` before its probe ran). */
export function knownCapability(alg: EngineAlgorithm): NativeAlgorithmCapability {
  return results.get(alg) ?? NONE;
}

/** Test hook: forget every probe result (e.g. after a test stubs crypto.subtle). */
export function resetProbes(): void {
  results.clear();
  running.clear();
  probeEpoch++;
}
