// The engine layer (native Web Crypto vs wasm), checked in every runtime.
// Each test branches on what the probe found: where the runtime has native
// ML-DSA/ML-KEM, native and wasm must interoperate byte for byte; where it
// lacks them, 'auto' must quietly use wasm and 'webcrypto' must fail with
// ERR_UNSUPPORTED_BY_RUNTIME. Both branches assert something.
import { describe, it, expect } from '../helpers/harness.js';
import { init, ml_dsa44, ml_dsa65, ml_dsa87, ml_kem512, ml_kem768, ml_kem1024 } from '../../src/index.js';
import {
  capabilities,
  probeWebCrypto,
  engineFor,
  explainEngine,
  engineMode,
  signatureKeygen,
  sign,
  verify,
  kemKeygen,
  encapsulate,
  decapsulate,
  importKeyToWebCrypto,
  importPublicKeyToWebCrypto,
  importWebCryptoKey,
  exportWebCryptoKey,
  seedFromWebCrypto,
  publicKeyFromWebCrypto,
  ml_dsa65_async,
  ml_kem768_async,
  type EngineAlgorithm,
  type NativeAlgorithmCapability,
} from '../../src/webcrypto/index.js';
import { policyPick } from '../../src/engine/policy.js';
import { runtimeInfo } from '../../src/engine/runtime.js';
import { suite, seal, open, generateKeyPair } from '../../src/hybrid/index.js';

const SIGS = { 'ML-DSA-44': ml_dsa44, 'ML-DSA-65': ml_dsa65, 'ML-DSA-87': ml_dsa87 } as const;
const KEMS = { 'ML-KEM-512': ml_kem512, 'ML-KEM-768': ml_kem768, 'ML-KEM-1024': ml_kem1024 } as const;
type SigName = keyof typeof SIGS;
type KemName = keyof typeof KEMS;

function seedOf(n: number, start: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (start * 31 + i * 7) & 0xff);
}

function b64u(s: string): Uint8Array {
  const b = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
  return Uint8Array.from(b, (c) => c.charCodeAt(0));
}

async function cap(alg: EngineAlgorithm): Promise<NativeAlgorithmCapability> {
  return (await probeWebCrypto()).algorithms[alg];
}

async function withMode<T>(mode: 'auto' | 'wasm' | 'webcrypto', f: () => Promise<T>): Promise<T> {
  await init({ engine: mode });
  try {
    return await f();
  } finally {
    await init({ engine: 'auto' });
  }
}

describe('engine', () => {
  it('probeWebCrypto() completes capabilities(), which is sync and consistent', async () => {
    await init();
    const caps = await probeWebCrypto();
    expect(caps.probed).toBeTrue();
    expect(caps.mode).toBe('auto');
    expect(capabilities().probed).toBeTrue();
    expect(typeof caps.runtime.key).toBe('string');
    expect(caps.runtime.key).toMatch(/^[a-z]+@\d+$/);
    for (const a of Object.keys(caps.algorithms) as EngineAlgorithm[]) {
      const c = caps.algorithms[a];
      expect(c.probed).toBeTrue();
      // A capability implies native seed import worked (everything builds on it).
      if (c.sign || c.verify || c.encapsulate || c.decapsulate) expect(c.importSeed).toBeTrue();
      if (!caps.webCrypto) expect(c.importSeed).toBeFalse();
      if (a.startsWith('ML-KEM')) {
        expect(c.sign).toBeFalse();
        expect(c.context).toBeFalse();
      } else {
        expect(c.encapsulate).toBeFalse();
      }
    }
  });

  for (const alg of Object.keys(SIGS) as SigName[]) {
    it(`${alg}: native and wasm signatures interoperate, or native is refused with ERR_UNSUPPORTED_BY_RUNTIME`, async () => {
      const c = await cap(alg);
      const seed = seedOf(32, alg.length + 3);
      const ours = SIGS[alg].keygen(seed);
      const msg = new TextEncoder().encode(`engine interop ${alg}`);
      if (!c.sign || !c.verify) {
        await expect(importKeyToWebCrypto(alg, seed)).rejects('ERR_UNSUPPORTED_BY_RUNTIME');
        expect(engineFor(alg, 'sign', { key: seed })).toBe('wasm');
        expect(engineFor(alg, 'verify')).toBe('wasm');
        // The async engine still works, on wasm.
        const sig = await sign(alg, seed, msg);
        expect(SIGS[alg].verify(sig, msg, ours.publicKey)).toBeTrue();
        expect(await verify(alg, ours.publicKey, msg, sig)).toBeTrue();
        return;
      }
      const { privateKey, publicKey } = await importKeyToWebCrypto(alg, seed);
      expect(privateKey.extractable).toBeFalse();
      // Keys moved between engines give the same public key.
      expect(await publicKeyFromWebCrypto(publicKey)).toEqual(ours.publicKey);
      expect(await publicKeyFromWebCrypto(privateKey)).toEqual(ours.publicKey);
      // native → wasm
      const nat = await sign(alg, privateKey, msg);
      expect(nat).toHaveLength(SIGS[alg].lengths.signature);
      expect(SIGS[alg].verify(nat, msg, ours.publicKey)).toBeTrue();
      expect(SIGS[alg].verify(nat, msg.subarray(1), ours.publicKey)).toBeFalse();
      // wasm → native (deterministic, hedged and with a public CryptoKey)
      for (const sig of [
        SIGS[alg].sign(msg, ours.secretKey, { extraEntropy: false }),
        SIGS[alg].sign(msg, ours.secretKey),
      ]) {
        expect(await verify(alg, publicKey, msg, sig)).toBeTrue();
        const bad = sig.slice();
        bad[5]! ^= 1;
        expect(await verify(alg, publicKey, msg, bad)).toBeFalse();
      }
      // Truncated signatures are "invalid", not exceptions, on both engines.
      expect(await verify(alg, publicKey, msg, nat.subarray(1))).toBeFalse();
      expect(await verify(alg, ours.publicKey, msg, nat.subarray(1))).toBeFalse();
    });

    it(`${alg}: contexts run natively where supported, else fall back (auto) or fail (CryptoKey)`, async () => {
      const c = await cap(alg);
      const seed = seedOf(32, alg.length + 5);
      const ours = SIGS[alg].keygen(seed);
      const msg = new Uint8Array([1, 2, 3]);
      const context = new TextEncoder().encode('qsign ctx');
      if (!c.sign) {
        expect(c.context).toBeFalse();
        expect(engineFor(alg, 'sign', { key: seed, context })).toBe('wasm');
        return;
      }
      const { privateKey, publicKey } = await importKeyToWebCrypto(alg, seed);
      if (c.context) {
        const nat = await sign(alg, privateKey, msg, { context });
        expect(SIGS[alg].verify(nat, msg, ours.publicKey, { context })).toBeTrue();
        expect(SIGS[alg].verify(nat, msg, ours.publicKey)).toBeFalse();
        const w = SIGS[alg].sign(msg, ours.secretKey, { context });
        expect(await verify(alg, publicKey, msg, w, { context })).toBeTrue();
        expect(await verify(alg, publicKey, msg, w)).toBeFalse();
      } else {
        // e.g. Deno 2.9: honest refusal for CryptoKeys, wasm for bytes.
        await expect(sign(alg, privateKey, msg, { context })).rejects('ERR_UNSUPPORTED_BY_RUNTIME');
        expect(engineFor(alg, 'sign', { key: seed, context })).toBe('wasm');
        expect(explainEngine(alg, 'verify', { context }).reason).toMatch(/context/);
        const sig = await sign(alg, seed, msg, { context });
        expect(SIGS[alg].verify(sig, msg, ours.publicKey, { context })).toBeTrue();
        expect(await verify(alg, ours.publicKey, msg, sig, { context })).toBeTrue();
      }
    });
  }

  for (const alg of Object.keys(KEMS) as KemName[]) {
    it(`${alg}: native and wasm ciphertexts interoperate, or native is refused with ERR_UNSUPPORTED_BY_RUNTIME`, async () => {
      const c = await cap(alg);
      const seed = seedOf(64, alg.length + 7);
      const ours = KEMS[alg].keygen(seed);
      if (!c.encapsulate || !c.decapsulate) {
        await expect(importKeyToWebCrypto(alg, seed)).rejects('ERR_UNSUPPORTED_BY_RUNTIME');
        await expect(importPublicKeyToWebCrypto(alg, ours.publicKey)).rejects('ERR_UNSUPPORTED_BY_RUNTIME');
        expect(engineFor(alg, 'encapsulate')).toBe('wasm');
        const { cipherText, sharedSecret } = await encapsulate(alg, ours.publicKey);
        expect(await decapsulate(alg, cipherText, seed)).toEqual(sharedSecret);
        return;
      }
      const { privateKey, publicKey } = await importKeyToWebCrypto(alg, seed);
      expect(await publicKeyFromWebCrypto(publicKey)).toEqual(ours.publicKey);
      expect(await publicKeyFromWebCrypto(privateKey)).toEqual(ours.publicKey);
      // native → wasm
      const n = await encapsulate(alg, publicKey);
      expect(n.cipherText).toHaveLength(KEMS[alg].lengths.cipherText);
      expect(KEMS[alg].decapsulate(n.cipherText, ours.secretKey)).toEqual(n.sharedSecret);
      // wasm → native with a non-extractable key
      const w = KEMS[alg].encapsulate(ours.publicKey);
      expect(await decapsulate(alg, w.cipherText, privateKey)).toEqual(w.sharedSecret);
      // Implicit rejection agrees too: a tampered ciphertext gives the same pseudo-random secret in both.
      const bad = w.cipherText.slice();
      bad[0]! ^= 1;
      const nBad = await decapsulate(alg, bad, privateKey);
      expect(nBad).toEqual(KEMS[alg].decapsulate(bad, ours.secretKey));
      expect(nBad).notToEqual(w.sharedSecret);
      await expect(decapsulate(alg, w.cipherText.subarray(1), privateKey)).rejects('ERR_INVALID_CIPHERTEXT_LENGTH');
    });
  }

  it('non-extractable keys sign and decapsulate but never reveal their seed; extractable ones round-trip', async () => {
    const caps = await probeWebCrypto();
    const sigAlg = (Object.keys(SIGS) as SigName[]).find((a) => caps.algorithms[a].sign);
    const kemAlg = (Object.keys(KEMS) as KemName[]).find((a) => caps.algorithms[a].decapsulate);
    if (!sigAlg && !kemAlg) {
      await expect(signatureKeygen('ML-DSA-65', undefined, { output: 'cryptokey' })).rejects(
        'ERR_UNSUPPORTED_BY_RUNTIME',
      );
      await expect(kemKeygen('ML-KEM-768', undefined, { output: 'cryptokey' })).rejects('ERR_UNSUPPORTED_BY_RUNTIME');
      return;
    }
    if (sigAlg) {
      const kp = await signatureKeygen(sigAlg, undefined, { output: 'cryptokey' });
      expect(kp.secretKey.extractable).toBeFalse();
      await expect(seedFromWebCrypto(kp.secretKey)).rejects('ERR_KEY_NOT_EXTRACTABLE');
      await expect(exportWebCryptoKey(kp.secretKey, 'pkcs8')).rejects('ERR_KEY_NOT_EXTRACTABLE');
      const msg = new Uint8Array([9, 9]);
      expect(SIGS[sigAlg].verify(await sign(sigAlg, kp.secretKey, msg), msg, kp.publicKey)).toBeTrue();
      const seed = seedOf(32, 99);
      const ex = await importKeyToWebCrypto(sigAlg, seed, { extractable: true });
      expect(await seedFromWebCrypto(ex.privateKey)).toEqual(seed);
    }
    if (kemAlg) {
      const kp = await kemKeygen(kemAlg, undefined, { output: 'cryptokey' });
      expect(kp.secretKey.extractable).toBeFalse();
      await expect(seedFromWebCrypto(kp.secretKey)).rejects('ERR_KEY_NOT_EXTRACTABLE');
      const w = KEMS[kemAlg].encapsulate(kp.publicKey);
      expect(await decapsulate(kemAlg, w.cipherText, kp.secretKey)).toEqual(w.sharedSecret);
      // A seed-keyed CryptoKey made by keygen is the same key the wasm engine derives from that seed.
      const seed = seedOf(64, 98);
      const fromSeed = await kemKeygen(kemAlg, seed, { output: 'cryptokey', extractable: true });
      expect(fromSeed.publicKey).toEqual(KEMS[kemAlg].keygen(seed).publicKey);
      expect(await seedFromWebCrypto(fromSeed.secretKey)).toEqual(seed);
    }
  });

  it('keys move through pkcs8, spki and jwk with the same public key (seed-form PKCS#8, AKP JWK)', async () => {
    const caps = await probeWebCrypto();
    const algs = (
      ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87', 'ML-KEM-512', 'ML-KEM-768', 'ML-KEM-1024'] as EngineAlgorithm[]
    ).filter((a) => caps.algorithms[a].importSeed);
    if (algs.length === 0) {
      await expect(importWebCryptoKey('ML-DSA-65', 'raw-seed', new Uint8Array(32))).rejects(
        'ERR_UNSUPPORTED_BY_RUNTIME',
      );
      return;
    }
    for (const alg of algs) {
      const isKem = alg.startsWith('ML-KEM');
      const seed = seedOf(isKem ? 64 : 32, alg.length);
      const pub = isKem ? KEMS[alg as KemName].keygen(seed).publicKey : SIGS[alg as SigName].keygen(seed).publicKey;
      const { privateKey, publicKey } = await importKeyToWebCrypto(alg, seed, { extractable: true });
      const pkcs8 = await exportWebCryptoKey(privateKey, 'pkcs8');
      // Seed-only PKCS#8 (RFC 9881 / ML-KEM draft): ends with the seed, 22 bytes of framing.
      expect(pkcs8).toHaveLength(seed.length + 22);
      expect(pkcs8.subarray(22)).toEqual(seed);
      const spki = await exportWebCryptoKey(publicKey, 'spki');
      expect(spki.subarray(spki.length - pub.length)).toEqual(pub);
      const jwk = await exportWebCryptoKey(privateKey, 'jwk');
      expect(jwk.kty).toBe('AKP');
      expect((jwk as { alg?: string }).alg).toBe(alg);
      expect(b64u((jwk as { pub: string }).pub)).toEqual(pub);
      expect(b64u((jwk as { priv: string }).priv)).toEqual(seed);
      for (const [format, data] of [
        ['pkcs8', pkcs8],
        ['jwk', jwk],
      ] as const) {
        const k = await importWebCryptoKey(alg, format, data, { extractable: true });
        expect(k.type).toBe('private');
        expect(await publicKeyFromWebCrypto(k)).toEqual(pub);
        expect(await seedFromWebCrypto(k)).toEqual(seed);
      }
      const fromSpki = await importWebCryptoKey(alg, 'spki', spki);
      expect(await exportWebCryptoKey(fromSpki, 'raw-public')).toEqual(pub);
    }
  });

  it("init({ engine: 'wasm' }) keeps every call on wasm; 'auto' follows the policy where native works", async () => {
    const caps = await probeWebCrypto();
    const seed = seedOf(32, 4);
    await withMode('wasm', async () => {
      expect(engineMode()).toBe('wasm');
      for (const op of ['keygen', 'sign', 'verify'] as const)
        expect(engineFor('ML-DSA-65', op, { output: 'seed' })).toBe('wasm');
      for (const op of ['encapsulate', 'decapsulate'] as const) expect(engineFor('ML-KEM-768', op)).toBe('wasm');
      const sig = await sign('ML-DSA-65', seed, new Uint8Array(1));
      expect(await verify('ML-DSA-65', ml_dsa65.keygen(seed).publicKey, new Uint8Array(1), sig)).toBeTrue();
    });
    expect(engineMode()).toBe('auto');
    for (const alg of ['ML-DSA-65', 'ML-KEM-768'] as const) {
      for (const op of (alg === 'ML-DSA-65' ? ['sign', 'verify'] : ['encapsulate', 'decapsulate']) as (
        'sign' | 'verify' | 'encapsulate' | 'decapsulate'
      )[]) {
        const c = caps.algorithms[alg];
        const able =
          op === 'sign' ? c.sign : op === 'verify' ? c.verify : op === 'encapsulate' ? c.encapsulate : c.decapsulate;
        const expected = able ? policyPick(caps.runtime, alg, op) : 'wasm';
        expect(engineFor(alg, op)).toBe(expected);
      }
    }
  });

  it("init({ engine: 'webcrypto' }) runs natively what the runtime has and fails the rest with ERR_UNSUPPORTED_BY_RUNTIME", async () => {
    await withMode('webcrypto', async () => {
      const caps = capabilities();
      // init waited for the probe, so the snapshot is complete right away.
      expect(caps.probed).toBeTrue();
      expect(caps.mode).toBe('webcrypto');
      const msg = new Uint8Array([7]);
      for (const alg of Object.keys(SIGS) as SigName[]) {
        const seed = seedOf(32, 50 + alg.length);
        const pub = SIGS[alg].keygen(seed).publicKey;
        if (caps.algorithms[alg].sign && caps.algorithms[alg].verify) {
          expect(engineFor(alg, 'sign', { key: seed })).toBe('webcrypto');
          const sig = await sign(alg, seed, msg);
          expect(await verify(alg, pub, msg, sig)).toBeTrue();
          expect(SIGS[alg].verify(sig, msg, pub)).toBeTrue();
        } else {
          await expect(sign(alg, seed, msg)).rejects('ERR_UNSUPPORTED_BY_RUNTIME');
          await expect(verify(alg, pub, msg, new Uint8Array(SIGS[alg].lengths.signature))).rejects(
            'ERR_UNSUPPORTED_BY_RUNTIME',
          );
        }
        // Native cannot do these anywhere, so forcing it is an honest error.
        await expect(sign(alg, seed, msg, { extraEntropy: false })).rejects('ERR_UNSUPPORTED_BY_RUNTIME');
        await expect(sign(alg, seed, msg, { extraEntropy: new Uint8Array(32) })).rejects('ERR_UNSUPPORTED_BY_RUNTIME');
        await expect(sign(alg, SIGS[alg].keygen(seed).secretKey, msg)).rejects('ERR_UNSUPPORTED_BY_RUNTIME');
      }
      for (const alg of Object.keys(KEMS) as KemName[]) {
        const seed = seedOf(64, 60 + alg.length);
        const pub = KEMS[alg].keygen(seed).publicKey;
        await expect(encapsulate(alg, pub, new Uint8Array(32))).rejects('ERR_UNSUPPORTED_BY_RUNTIME');
        await expect(
          decapsulate(alg, new Uint8Array(KEMS[alg].lengths.cipherText), KEMS[alg].keygen(seed).secretKey),
        ).rejects('ERR_UNSUPPORTED_BY_RUNTIME');
        if (caps.algorithms[alg].encapsulate && caps.algorithms[alg].decapsulate) {
          const { cipherText, sharedSecret } = await encapsulate(alg, pub);
          expect(await decapsulate(alg, cipherText, seed)).toEqual(sharedSecret);
        } else {
          await expect(encapsulate(alg, pub)).rejects('ERR_UNSUPPORTED_BY_RUNTIME');
          await expect(decapsulate(alg, new Uint8Array(KEMS[alg].lengths.cipherText), seed)).rejects(
            'ERR_UNSUPPORTED_BY_RUNTIME',
          );
        }
      }
    });
  });

  it('honest differences: deterministic signing, expanded keys and caller-chosen m use wasm in auto mode and say why', async () => {
    await probeWebCrypto();
    const seed = seedOf(32, 8);
    const { secretKey, publicKey } = ml_dsa65.keygen(seed);
    const msg = new Uint8Array([4, 5, 6]);
    expect(engineFor('ML-DSA-65', 'sign', { key: seed, extraEntropy: false })).toBe('wasm');
    expect(explainEngine('ML-DSA-65', 'sign', { key: seed, extraEntropy: false }).reason).toMatch(/hedged/);
    expect(engineFor('ML-DSA-65', 'sign', { key: secretKey })).toBe('wasm');
    expect(explainEngine('ML-DSA-65', 'sign', { key: secretKey }).reason).toMatch(/expanded/);
    expect(engineFor('ML-DSA-65', 'keygen')).toBe('wasm');
    // Deterministic signing through the engine is byte-identical to the primitive, from seed or expanded key.
    const det = ml_dsa65.sign(msg, secretKey, { extraEntropy: false });
    expect(await sign('ML-DSA-65', seed, msg, { extraEntropy: false })).toEqual(det);
    expect(await sign('ML-DSA-65', secretKey, msg, { extraEntropy: false })).toEqual(det);
    expect(await verify('ML-DSA-65', publicKey, msg, det)).toBeTrue();
    // Encapsulation with a given m (test vectors) is deterministic wasm.
    const kp = ml_kem768.keygen(seedOf(64, 8));
    const m = seedOf(32, 9);
    expect(await encapsulate('ML-KEM-768', kp.publicKey, m)).toEqual(ml_kem768.encapsulate(kp.publicKey, m));
  });

  it('auto mode gives correct results whichever engine it picks (seed, expanded and keygen outputs)', async () => {
    await probeWebCrypto();
    const seed = seedOf(32, 11);
    const expected = ml_dsa65.keygen(seed);
    const kp = await signatureKeygen('ML-DSA-65', seed);
    expect(kp.publicKey).toEqual(expected.publicKey);
    expect(kp.secretKey).toEqual(expected.secretKey);
    const asSeed = await signatureKeygen('ML-DSA-65', seed, { output: 'seed' });
    expect(asSeed.secretKey).toEqual(seed);
    expect(asSeed.publicKey).toEqual(expected.publicKey);
    const fresh = await signatureKeygen('ML-DSA-65', undefined, { output: 'seed' });
    expect(fresh.secretKey).toHaveLength(32);
    expect(ml_dsa65.keygen(fresh.secretKey).publicKey).toEqual(fresh.publicKey);
    const msg = new TextEncoder().encode('auto');
    for (const sk of [seed, expected.secretKey]) {
      const sig = await ml_dsa65_async.signAsync(msg, sk);
      expect(await ml_dsa65_async.verifyAsync(sig, msg, expected.publicKey)).toBeTrue();
      expect(ml_dsa65.verify(sig, msg, expected.publicKey)).toBeTrue();
    }
    const kseed = seedOf(64, 12);
    const kkp = await kemKeygen('ML-KEM-768', kseed, { output: 'seed' });
    expect(kkp.publicKey).toEqual(ml_kem768.keygen(kseed).publicKey);
    const freshKem = await ml_kem768_async.keygenAsync(undefined, { output: 'seed' });
    expect(ml_kem768.keygen(freshKem.secretKey as Uint8Array).publicKey).toEqual(freshKem.publicKey);
    const { cipherText, sharedSecret } = await ml_kem768_async.encapsulateAsync(kkp.publicKey);
    expect(await ml_kem768_async.decapsulateAsync(cipherText, kseed)).toEqual(sharedSecret);
    expect(await ml_kem768_async.decapsulateAsync(cipherText, ml_kem768.keygen(kseed).secretKey)).toEqual(sharedSecret);
  });

  it('a malformed ML-KEM public key (FIPS 203 modulus check) is rejected by every engine alike', async () => {
    const caps = await probeWebCrypto();
    const bad = ml_kem768.keygen(seedOf(64, 21)).publicKey.slice();
    bad[0] = 0xff;
    bad[1] = 0x0f; // first coefficient = 4095 >= q
    await expect(withMode('wasm', () => encapsulate('ML-KEM-768', bad))).rejects('ERR_INVALID_PUBLIC_KEY');
    await expect(encapsulate('ML-KEM-768', bad)).rejects('ERR_INVALID_PUBLIC_KEY');
    if (caps.algorithms['ML-KEM-768'].encapsulate) {
      await expect(withMode('webcrypto', () => encapsulate('ML-KEM-768', bad))).rejects('ERR_INVALID_PUBLIC_KEY');
      await expect(importPublicKeyToWebCrypto('ML-KEM-768', bad)).rejects('ERR_INVALID_PUBLIC_KEY');
    } else {
      await expect(importPublicKeyToWebCrypto('ML-KEM-768', bad)).rejects('ERR_UNSUPPORTED_BY_RUNTIME');
    }
  });

  it('HPKE reaches ML-KEM through the engine: its decapsulation runs natively exactly where the engine says so', async () => {
    await probeWebCrypto();
    const subtle = globalThis.crypto.subtle as unknown as Record<string, unknown>;
    const own = Object.getOwnPropertyDescriptor(subtle, 'decapsulateBits');
    const native = subtle.decapsulateBits as ((...a: unknown[]) => unknown) | undefined;
    let calls = 0;
    if (typeof native === 'function') {
      subtle.decapsulateBits = function (this: unknown, ...a: unknown[]) {
        calls++;
        return native.apply(this, a);
      };
    }
    try {
      const s = suite({ kem: 0x0041, kdf: 0x0001, aead: 0x0003 }); // ML-KEM-768, HKDF-SHA256, ChaCha20-Poly1305
      const kp = await generateKeyPair(s);
      const msg = new Uint8Array([1, 2, 3, 4]);
      const { enc, ciphertext } = await seal(s, kp.publicKey, msg);
      expect(await open(s, kp.secretKey, enc, ciphertext)).toEqual(msg);
      const decided = engineFor('ML-KEM-768', 'decapsulate', { key: kp.secretKey });
      expect(calls).toBe(decided === 'webcrypto' ? 1 : 0);
      // Bun 1.4's committed policy sends ML-KEM-768 decapsulation native: there this is the native path.
      if (runtimeInfo().key === 'bun@1') expect(decided).toBe('webcrypto');
    } finally {
      if (own) Object.defineProperty(subtle, 'decapsulateBits', own);
      else delete subtle.decapsulateBits;
    }
  });

  it('rejects bad inputs with typed errors', async () => {
    await expect(init({ engine: 'native' as never })).rejects('ERR_INVALID_ARGUMENT');
    await init({ engine: 'auto' });
    expect(engineMode()).toBe('auto');
    await expect(sign('ML-DSA-65', new Uint8Array(32), new Uint8Array(1), { context: new Uint8Array(256) })).rejects(
      'ERR_INVALID_ARGUMENT',
    );
    await expect(sign('ML-DSA-99', new Uint8Array(32), new Uint8Array(1))).rejects('ERR_UNKNOWN_ALGORITHM');
    await expect(signatureKeygen('ML-DSA-65', new Uint8Array(31))).rejects('ERR_INVALID_ARGUMENT');
    expect(() => engineFor('ML-KEM-768', 'sign')).toThrow('ERR_INVALID_ARGUMENT');
    await expect(importKeyToWebCrypto('ML-DSA-65', new Uint8Array(4032))).rejects('ERR_INVALID_SECRET_KEY');
  });
});
