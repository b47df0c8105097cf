/**
 * The native probe's ML-KEM half (engine/probe.ts is the shared part and the
 * ML-DSA half): it cross-checks native ML-KEM against the wasm engine, so it
 * imports the ML-KEM wrappers; kept apart so a signature-only app's module
 * graph reaches neither them nor the ML-KEM wasm module.
 */
import {
  ENGINE_ALGORITHMS,
  isKem,
  importSeed,
  publicOf,
  exportRaw,
  nativeEncapsulate,
  nativeDecapsulate,
  nativeGenerate,
  importPublic,
  type EngineAlgorithm,
  type KemAlgorithm,
  type SignatureAlgorithm,
} from './native.js';
import { equalBytes } from '../util/bytes.js';
import { WASM_KEMS } from './wasm-kem.js';
import { NONE, freeze, memo, pattern, probeSignatureAlgorithm, step, type NativeAlgorithmCapability } from './probe.js';

async function probeKem(alg: KemAlgorithm): Promise<NativeAlgorithmCapability> {
  const notes: string[] = [];
  const wasm = WASM_KEMS[alg];
  const seed = pattern(64, 1);
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
  const [exportSeed, rawPublic, encapsulate, decapsulate, generateKey] = await Promise.all([
    step(notes, 'exportKey(raw-seed)', async () => equalBytes(await exportRaw(k, 'raw-seed'), seed)),
    step(notes, 'importKey(raw-public)', async () => (await importPublic(alg, ours.publicKey)).type === 'public'),
    step(notes, 'encapsulateBits', async () => {
      const r = await nativeEncapsulate(alg, p);
      return equalBytes(wasm.decapsulate(r.cipherText, ours.secretKey), r.sharedSecret);
    }),
    step(notes, 'decapsulateBits', async () => {
      const r = wasm.encapsulate(ours.publicKey);
      return equalBytes(await nativeDecapsulate(alg, k, r.cipherText), r.sharedSecret);
    }),
    step(notes, 'generateKey', async () => {
      const kp = await nativeGenerate(alg, false);
      const r = await nativeEncapsulate(alg, kp.publicKey);
      return (
        kp.privateKey.extractable === false &&
        equalBytes(await nativeDecapsulate(alg, kp.privateKey, r.cipherText), r.sharedSecret)
      );
    }),
  ]);
  return freeze({
    probed: true,
    generateKey,
    importSeed: true,
    exportSeed,
    rawPublic,
    sign: false,
    verify: false,
    context: false,
    encapsulate,
    decapsulate,
    notes,
  });
}

/** Probes one ML-KEM parameter set; references only the ML-KEM wrappers. */
export function probeKemAlgorithm(alg: KemAlgorithm): Promise<NativeAlgorithmCapability> {
  return memo(alg, () => probeKem(alg));
}

/** Probes either kind (pulls in both halves: for key import and probeAll, not for the call path). */
export function probeAlgorithm(alg: EngineAlgorithm): Promise<NativeAlgorithmCapability> {
  return isKem(alg) ? probeKemAlgorithm(alg as KemAlgorithm) : probeSignatureAlgorithm(alg as SignatureAlgorithm);
}

/** Probes every algorithm (in parallel). */
export async function probeAll(): Promise<void> {
  await Promise.all(ENGINE_ALGORITHMS.map((a) => probeAlgorithm(a)));
}
