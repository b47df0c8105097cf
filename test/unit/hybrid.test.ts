// Behaviour of qsign-pqc/hybrid beyond the known answers: bad input and its
// error codes, byte-for-byte agreement with @noble/post-quantum's X-Wing,
// X25519MLKEM768 against an independent composition, and the HPKE API
// (every suite, tampering, sequence numbers, the export-only AEAD).
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ml_kem768_x25519 as nobleXWing } from '@noble/post-quantum/hybrid.js';
import { ml_kem768 as nobleMlKem768 } from '@noble/post-quantum/ml-kem.js';
import { sha3_256 as nobleSha3, shake256 as nobleShake } from '@noble/hashes/sha3.js';
import { x25519 } from '@noble/curves/ed25519.js';
import { init } from '../../src/index.js';
import {
  xwing,
  ml_kem768_x25519,
  x25519mlkem768,
  suite,
  seal,
  open,
  setupBaseS,
  setupBaseR,
  generateKeyPair,
  deriveKeyPair,
  publicKeyFromSecretKey,
  type CipherSuite,
} from '../../src/hybrid/index.js';
import { QsignError } from '../../src/errors.js';
import {
  xwingDecapsulateAsync,
  xwingEncapsulateAsync,
  xwingGetPublicKeyAsync,
  xwingKeygenAsync,
} from '../../src/hybrid/xwing.js';

beforeAll(async () => {
  await init();
});

/** Runs `fn` and asserts it throws a QsignError with `code`; returns the error. */
function throwsCode(fn: () => unknown, code: string): QsignError {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err, `expected ${code}`).toBeInstanceOf(QsignError);
  expect((err as QsignError).code).toBe(code);
  expect((err as QsignError).message.length).toBeGreaterThan(20);
  return err as QsignError;
}

async function rejectsCode(p: Promise<unknown>, code: string): Promise<QsignError> {
  let err: unknown;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  expect(err, `expected ${code}`).toBeInstanceOf(QsignError);
  expect((err as QsignError).code).toBe(code);
  return err as QsignError;
}

const bytes = (n: number, fill = 0) => new Uint8Array(n).fill(fill);
const flip = (b: Uint8Array, i: number) => {
  const c = b.slice();
  c[i]! ^= 0x01;
  return c;
};
const LOW_ORDER = bytes(32); // u = 0

describe('X-Wing', () => {
  it('has the draft sizes and is also exported as ml_kem768_x25519', () => {
    expect(xwing.lengths).toEqual({
      seed: 32,
      secretKey: 32,
      publicKey: 1216,
      cipherText: 1120,
      sharedSecret: 32,
      msgRand: 64,
    });
    expect(ml_kem768_x25519).toBe(xwing);
  });

  it('round-trips with fresh randomness; different encapsulations give different secrets', () => {
    const { publicKey, secretKey } = xwing.keygen();
    expect(publicKey).toHaveLength(1216);
    expect(secretKey).toHaveLength(32);
    const a = xwing.encapsulate(publicKey);
    const b = xwing.encapsulate(publicKey);
    expect(a.cipherText).toHaveLength(1120);
    expect(xwing.decapsulate(a.cipherText, secretKey)).toEqual(a.sharedSecret);
    expect(xwing.decapsulate(b.cipherText, secretKey)).toEqual(b.sharedSecret);
    expect(a.sharedSecret).not.toEqual(b.sharedSecret);
  });

  it('matches @noble/post-quantum ml_kem768_x25519 byte for byte on random seeds (keygen, encaps derand, decaps)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 64, maxLength: 64 }),
        (seed, eseed) => {
          const ours = xwing.keygen(seed);
          const theirs = nobleXWing.keygen(seed);
          expect(ours.publicKey).toEqual(theirs.publicKey);
          expect(ours.secretKey).toEqual(theirs.secretKey);
          const e1 = xwing.encapsulate(ours.publicKey, eseed);
          const e2 = nobleXWing.encapsulate(theirs.publicKey, eseed);
          expect(e1.cipherText).toEqual(e2.cipherText);
          expect(e1.sharedSecret).toEqual(e2.sharedSecret);
          expect(xwing.decapsulate(e2.cipherText, ours.secretKey)).toEqual(
            nobleXWing.decapsulate(e1.cipherText, theirs.secretKey),
          );
          // A forged ciphertext decapsulates to the same (implicitly rejected) key on both.
          const forged = flip(e1.cipherText, eseed[0]! % 1088);
          expect(xwing.decapsulate(forged, ours.secretKey)).toEqual(nobleXWing.decapsulate(forged, theirs.secretKey));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a tampered ciphertext (either half) yields a different key, not an error', () => {
    const { publicKey, secretKey } = xwing.keygen(bytes(32, 1));
    const { cipherText, sharedSecret } = xwing.encapsulate(publicKey, bytes(64, 2));
    for (const i of [0, 500, 1087, 1088, 1119]) {
      const ss = xwing.decapsulate(flip(cipherText, i), secretKey);
      expect(ss).toHaveLength(32);
      expect(ss).not.toEqual(sharedSecret);
    }
  });

  it('decapsulates a low-order X25519 ciphertext half exactly as the draft says (ss_X = 0, no abort)', () => {
    // noble's ml_kem768_x25519 throws here; the draft's Decapsulate has no
    // failure path, so we recompute its formula independently and compare.
    const seed = bytes(32, 9);
    const { publicKey, secretKey } = xwing.keygen(seed);
    const ct = xwing.encapsulate(publicKey, bytes(64, 4)).cipherText;
    ct.set(LOW_ORDER, 1088);
    const ours = xwing.decapsulate(ct, secretKey);
    const e = nobleShake(seed, { dkLen: 96 });
    const ssM = nobleMlKem768.decapsulate(ct.subarray(0, 1088), nobleMlKem768.keygen(e.subarray(0, 64)).secretKey);
    const pkX = x25519.getPublicKey(e.subarray(64, 96));
    const label = new Uint8Array([0x5c, 0x2e, 0x2f, 0x2f, 0x5e, 0x5c]);
    expect(ours).toEqual(nobleSha3(new Uint8Array([...ssM, ...bytes(32), ...LOW_ORDER, ...pkX, ...label])));
  });

  it('refuses bad input with stable codes', () => {
    const { publicKey, secretKey } = xwing.keygen();
    throwsCode(() => xwing.encapsulate(publicKey.subarray(0, 1215)), 'ERR_INVALID_PUBLIC_KEY');
    throwsCode(() => xwing.encapsulate('pk' as unknown as Uint8Array), 'ERR_INVALID_PUBLIC_KEY');
    throwsCode(() => xwing.encapsulate(publicKey, bytes(32)), 'ERR_INVALID_ARGUMENT');
    throwsCode(() => xwing.decapsulate(bytes(1119), secretKey), 'ERR_INVALID_CIPHERTEXT_LENGTH');
    throwsCode(() => xwing.decapsulate(bytes(1120), bytes(64)), 'ERR_INVALID_SECRET_KEY');
    throwsCode(() => xwing.getPublicKey(bytes(31)), 'ERR_INVALID_SECRET_KEY');
    throwsCode(() => xwing.keygen(bytes(64)), 'ERR_INVALID_ARGUMENT');
    // ML-KEM half failing the FIPS 203 §7.2 modulus check (first coefficient 0xfff >= q).
    const bad = publicKey.slice();
    bad[0] = 0xff;
    bad[1] = bad[1]! | 0x0f;
    throwsCode(() => xwing.encapsulate(bad), 'ERR_INVALID_PUBLIC_KEY');
    // Low-order X25519 half: never produced by honest keygen, refused on encapsulation.
    const lo = publicKey.slice();
    lo.set(LOW_ORDER, 1184);
    throwsCode(() => xwing.encapsulate(lo), 'ERR_INVALID_PUBLIC_KEY');
  });

  it('the async path HPKE uses (ML-KEM through the engine router) gives the same bytes as the sync one', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 64, maxLength: 64 }),
        async (seed, eseed) => {
          const a = xwing.keygen(seed);
          expect(await xwingKeygenAsync(seed)).toEqual(a);
          expect(await xwingGetPublicKeyAsync(a.secretKey)).toEqual(a.publicKey);
          const e = xwing.encapsulate(a.publicKey, eseed);
          expect(await xwingEncapsulateAsync(a.publicKey, eseed)).toEqual(e);
          expect(await xwingDecapsulateAsync(e.cipherText, a.secretKey)).toEqual(e.sharedSecret);
          const lo = e.cipherText.slice();
          lo.set(LOW_ORDER, 1088);
          expect(await xwingDecapsulateAsync(lo, a.secretKey)).toEqual(xwing.decapsulate(lo, a.secretKey));
          const hi = e.cipherText.slice();
          hi[1119]! |= 0x80; // top bit set: masked per RFC 7748
          expect(await xwingDecapsulateAsync(hi, a.secretKey)).toEqual(xwing.decapsulate(hi, a.secretKey));
        },
      ),
      { numRuns: 15 },
    );
    const lo = xwing.keygen(bytes(32, 1)).publicKey;
    lo.set(LOW_ORDER, 1184);
    await rejectsCode(xwingEncapsulateAsync(lo), 'ERR_INVALID_PUBLIC_KEY');
    await rejectsCode(xwingDecapsulateAsync(bytes(1119), bytes(32)), 'ERR_INVALID_CIPHERTEXT_LENGTH');
  });

  it('keygen(seed) copies the seed, so the caller may wipe theirs', () => {
    const seed = bytes(32, 5);
    const { secretKey, publicKey } = xwing.keygen(seed);
    seed.fill(0);
    expect(secretKey).toEqual(bytes(32, 5));
    expect(xwing.getPublicKey(secretKey)).toEqual(publicKey);
  });
});

describe('X25519MLKEM768 (TLS group 0x11EC)', () => {
  it('round-trips; both sides get the same 64-byte secret', () => {
    const client = x25519mlkem768.clientKeyShare();
    expect(client.keyShare).toHaveLength(1216);
    expect(client.secretKey).toHaveLength(96);
    const server = x25519mlkem768.serverRespond(client.keyShare);
    expect(server.keyShare).toHaveLength(1120);
    expect(server.sharedSecret).toHaveLength(64);
    expect(x25519mlkem768.clientFinish(client.secretKey, server.keyShare)).toEqual(server.sharedSecret);
    expect(x25519mlkem768.group).toBe(0x11ec);
  });

  it('is ML-KEM first, X25519 second, plain concatenation (independent composition with noble)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 96, maxLength: 96 }),
        fc.uint8Array({ minLength: 64, maxLength: 64 }),
        (seed, rand) => {
          const client = x25519mlkem768.clientKeyShare(seed);
          const { publicKey: ek, secretKey: dk } = nobleMlKem768.keygen(seed.subarray(0, 64));
          const cPub = x25519.getPublicKey(seed.subarray(64));
          expect(client.keyShare).toEqual(new Uint8Array([...ek, ...cPub]));
          const server = x25519mlkem768.serverRespond(client.keyShare, rand);
          const { cipherText, sharedSecret: ssM } = nobleMlKem768.encapsulate(ek, rand.subarray(0, 32));
          const sPub = x25519.getPublicKey(rand.subarray(32));
          const ssX = x25519.getSharedSecret(rand.subarray(32), cPub);
          expect(server.keyShare).toEqual(new Uint8Array([...cipherText, ...sPub]));
          expect(server.sharedSecret).toEqual(new Uint8Array([...ssM, ...ssX]));
          expect(nobleMlKem768.decapsulate(cipherText, dk)).toEqual(ssM);
          expect(x25519mlkem768.clientFinish(client.secretKey, server.keyShare)).toEqual(server.sharedSecret);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('is not X-Wing: same ML-KEM/X25519 material, different shares and secrets', () => {
    // X-Wing derives its ML-KEM and X25519 keys from SHAKE256(seed); give the
    // TLS client exactly those, so only the constructions differ.
    const seed = bytes(32, 0x42);
    const e = nobleShake(seed, { dkLen: 96 });
    const xw = xwing.keygen(seed);
    const tls = x25519mlkem768.clientKeyShare(e);
    expect(tls.keyShare).toEqual(xw.publicKey); // same key material, same layout
    const rand = bytes(64, 0x17);
    const a = xwing.encapsulate(xw.publicKey, rand);
    const b = x25519mlkem768.serverRespond(tls.keyShare, rand);
    expect(b.keyShare).toEqual(a.cipherText); // same wire bytes…
    expect(b.sharedSecret).toHaveLength(64);
    expect(a.sharedSecret).toHaveLength(32);
    expect(b.sharedSecret.subarray(0, 32)).not.toEqual(a.sharedSecret); // …but a different secret
    expect(b.sharedSecret.subarray(32)).not.toEqual(a.sharedSecret);
  });

  it('refuses bad input with stable codes', () => {
    const client = x25519mlkem768.clientKeyShare();
    throwsCode(() => x25519mlkem768.serverRespond(client.keyShare.subarray(1)), 'ERR_INVALID_PUBLIC_KEY');
    const lo = client.keyShare.slice();
    lo.set(LOW_ORDER, 1184);
    throwsCode(() => x25519mlkem768.serverRespond(lo), 'ERR_INVALID_PUBLIC_KEY');
    const server = x25519mlkem768.serverRespond(client.keyShare);
    throwsCode(
      () => x25519mlkem768.clientFinish(client.secretKey, server.keyShare.subarray(0, 1119)),
      'ERR_INVALID_CIPHERTEXT_LENGTH',
    );
    throwsCode(
      () => x25519mlkem768.clientFinish(client.secretKey.subarray(0, 64), server.keyShare),
      'ERR_INVALID_SECRET_KEY',
    );
    const loS = server.keyShare.slice();
    loS.set(LOW_ORDER, 1088);
    throwsCode(() => x25519mlkem768.clientFinish(client.secretKey, loS), 'ERR_INVALID_PUBLIC_KEY');
    throwsCode(() => x25519mlkem768.clientKeyShare(bytes(64)), 'ERR_INVALID_ARGUMENT');
    throwsCode(() => x25519mlkem768.serverRespond(client.keyShare, bytes(32)), 'ERR_INVALID_ARGUMENT');
  });
});

const KEMS = ['ML-KEM-512', 'ML-KEM-768', 'ML-KEM-1024', 'X-Wing'] as const;
const KDFS = [
  'HKDF-SHA256',
  'HKDF-SHA384',
  'HKDF-SHA512',
  'SHAKE128',
  'SHAKE256',
  'TurboSHAKE128',
  'TurboSHAKE256',
] as const;
const AEADS = ['AES-128-GCM', 'AES-256-GCM', 'ChaCha20Poly1305'] as const;
const enc = new TextEncoder();

describe('HPKE suites', () => {
  it('suite() takes names, aliases and ids, and builds suite_id', () => {
    const s = suite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'ChaCha20Poly1305' });
    expect(Array.from(s.id)).toEqual([0x48, 0x50, 0x4b, 0x45, 0x64, 0x7a, 0x00, 0x01, 0x00, 0x03]);
    expect(s.name).toBe('X-Wing/HKDF-SHA256/ChaCha20Poly1305');
    expect(suite({ kem: 'MLKEM768-X25519', kdf: 1, aead: 'ChaCha20-Poly1305' }).id).toEqual(s.id);
    expect(suite({ kem: 0x0041, kdf: 0x0011, aead: 0xffff }).name).toBe('ML-KEM-768/SHAKE256/ExportOnly');
    // Names read from config files are matched case-insensitively at run time.
    expect(
      suite({ kem: 'ml-kem-1024' as never, kdf: 'hkdf-sha384' as never, aead: 'aes-256-gcm' as never }).kem.Nsk,
    ).toBe(64);
  });

  it('refuses KEMs/KDFs/AEADs it does not implement with ERR_UNSUPPORTED_ALGORITHM', () => {
    throwsCode(() => suite({ kem: 0x0020, kdf: 1, aead: 1 }), 'ERR_UNSUPPORTED_ALGORITHM'); // DHKEM(X25519)
    throwsCode(() => suite({ kem: 0x0050, kdf: 1, aead: 1 }), 'ERR_UNSUPPORTED_ALGORITHM'); // MLKEM768-P256
    throwsCode(() => suite({ kem: 'X-Wing', kdf: 0x0004 as number, aead: 1 }), 'ERR_UNSUPPORTED_ALGORITHM');
    throwsCode(
      () => suite({ kem: 'X-Wing', kdf: 1, aead: 'AES-192-GCM' as 'AES-128-GCM' }),
      'ERR_UNSUPPORTED_ALGORITHM',
    );
    throwsCode(() => suite(undefined as never), 'ERR_INVALID_ARGUMENT');
  });

  it(`round-trips every KEM × KDF × AEAD (${KEMS.length * KDFS.length * AEADS.length} suites) and exports agree`, async () => {
    const pt = enc.encode('attack at dawn');
    for (const kem of KEMS) {
      const kp = await generateKeyPair(suite({ kem, kdf: 'HKDF-SHA256', aead: 'AES-128-GCM' }));
      for (const kdf of KDFS) {
        for (const aead of AEADS) {
          const s = suite({ kem, kdf, aead });
          const { enc: e, ciphertext } = await seal(s, kp.publicKey, pt, { info: 'i', aad: 'a' });
          expect(e).toHaveLength(s.kem.Nenc);
          expect(ciphertext).toHaveLength(pt.length + 16);
          expect(await open(s, kp.secretKey, e, ciphertext, { info: 'i', aad: 'a' })).toEqual(pt);
        }
        const s = suite({ kem, kdf, aead: 'ExportOnly' });
        const S = await setupBaseS(s, kp.publicKey, 'ctx');
        const R = await setupBaseR(s, S.enc, kp.secretKey, 'ctx');
        const x = await S.export('label', 48);
        expect(x).toHaveLength(48);
        expect(await R.export('label', 48)).toEqual(x);
        expect(await R.export('other', 48)).not.toEqual(x);
      }
    }
  });

  it('keys: seeds as private keys, DeriveKeyPair deterministic, public key recomputable', async () => {
    for (const kem of KEMS) {
      const s = suite({ kem, kdf: 'HKDF-SHA256', aead: 'AES-128-GCM' });
      const a = await deriveKeyPair(s, bytes(32, 1));
      const b = await deriveKeyPair(s, bytes(32, 1));
      const c = await deriveKeyPair(s, bytes(32, 2));
      expect(a).toEqual(b);
      expect(a.secretKey).not.toEqual(c.secretKey);
      expect(a.secretKey).toHaveLength(s.kem.Nsk);
      expect(a.publicKey).toHaveLength(s.kem.Npk);
      expect(await publicKeyFromSecretKey(s, a.secretKey)).toEqual(a.publicKey);
    }
  });
});

describe('HPKE tampering and bad input', () => {
  let s: CipherSuite;
  let kp: { publicKey: Uint8Array; secretKey: Uint8Array };
  const pt = enc.encode('the quarterly numbers');
  beforeAll(async () => {
    s = suite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'AES-256-GCM' });
    kp = await generateKeyPair(s);
  });

  it('any change to ciphertext, enc, aad or info, or the wrong key, is ERR_DECRYPTION_FAILED', async () => {
    const opts = { info: 'app v1', aad: 'doc-42' };
    const { enc: e, ciphertext } = await seal(s, kp.publicKey, pt, opts);
    expect(await open(s, kp.secretKey, e, ciphertext, opts)).toEqual(pt);
    for (const i of [0, 10, ciphertext.length - 1]) {
      await rejectsCode(open(s, kp.secretKey, e, flip(ciphertext, i), opts), 'ERR_DECRYPTION_FAILED');
    }
    for (const i of [0, 700, 1087, 1088, 1119]) {
      await rejectsCode(open(s, kp.secretKey, flip(e, i), ciphertext, opts), 'ERR_DECRYPTION_FAILED');
    }
    await rejectsCode(open(s, kp.secretKey, e, ciphertext, { ...opts, aad: 'doc-43' }), 'ERR_DECRYPTION_FAILED');
    await rejectsCode(open(s, kp.secretKey, e, ciphertext, { ...opts, info: 'app v2' }), 'ERR_DECRYPTION_FAILED');
    await rejectsCode(open(s, kp.secretKey, e, ciphertext, { info: 'app v1' }), 'ERR_DECRYPTION_FAILED');
    await rejectsCode(open(s, kp.secretKey, e, ciphertext.subarray(0, 15), opts), 'ERR_DECRYPTION_FAILED');
    await rejectsCode(open(s, (await generateKeyPair(s)).secretKey, e, ciphertext, opts), 'ERR_DECRYPTION_FAILED');
    // Same keys under another AEAD: still a clean failure.
    await rejectsCode(
      open(suite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'ChaCha20Poly1305' }), kp.secretKey, e, ciphertext, opts),
      'ERR_DECRYPTION_FAILED',
    );
  });

  it('tampering is detected for ML-KEM suites and one-stage KDFs too', async () => {
    const s2 = suite({ kem: 'ML-KEM-1024', kdf: 'SHAKE256', aead: 'ChaCha20Poly1305' });
    const k2 = await generateKeyPair(s2);
    const { enc: e, ciphertext } = await seal(s2, k2.publicKey, pt, { info: 'x' });
    await rejectsCode(open(s2, k2.secretKey, flip(e, 3), ciphertext, { info: 'x' }), 'ERR_DECRYPTION_FAILED');
    await rejectsCode(open(s2, k2.secretKey, e, ciphertext, { info: 'y' }), 'ERR_DECRYPTION_FAILED');
  });

  it('wrong sizes are reported as what they are', async () => {
    const { enc: e, ciphertext } = await seal(s, kp.publicKey, pt);
    await rejectsCode(seal(s, kp.publicKey.subarray(1), pt), 'ERR_INVALID_PUBLIC_KEY');
    await rejectsCode(open(s, kp.secretKey, e.subarray(1), ciphertext), 'ERR_INVALID_CIPHERTEXT_LENGTH');
    await rejectsCode(open(s, bytes(64), e, ciphertext), 'ERR_INVALID_SECRET_KEY');
    const m = suite({ kem: 'ML-KEM-768', kdf: 'HKDF-SHA256', aead: 'AES-128-GCM' });
    const expanded = nobleMlKem768.keygen(bytes(64, 1)).secretKey; // 2400 bytes: not an HPKE-PQ key
    const err = await rejectsCode(setupBaseR(m, bytes(1088), expanded), 'ERR_INVALID_SECRET_KEY');
    expect(err.message).toMatch(/seed/);
    await rejectsCode(seal(s, kp.publicKey, 'text' as unknown as Uint8Array), 'ERR_INVALID_ARGUMENT');
    await rejectsCode(setupBaseS({} as CipherSuite, kp.publicKey), 'ERR_INVALID_ARGUMENT');
  });
});

describe('HPKE PSK mode', () => {
  const psk = { key: new Uint8Array(32).fill(0x5a), id: 'psk-2026-11' };

  it('round-trips for HKDF and one-stage KDFs; base-mode and wrong-PSK opens fail', async () => {
    for (const kdf of ['HKDF-SHA256', 'SHAKE256', 'TurboSHAKE128'] as const) {
      const s = suite({ kem: 'X-Wing', kdf, aead: 'AES-128-GCM' });
      const kp = await generateKeyPair(s);
      const pt = enc.encode(`psk ${kdf}`);
      const sealed = await seal(s, kp.publicKey, pt, { info: 'i', psk });
      expect(await open(s, kp.secretKey, sealed.enc, sealed.ciphertext, { info: 'i', psk })).toEqual(pt);
      await rejectsCode(open(s, kp.secretKey, sealed.enc, sealed.ciphertext, { info: 'i' }), 'ERR_DECRYPTION_FAILED');
      await rejectsCode(
        open(s, kp.secretKey, sealed.enc, sealed.ciphertext, { info: 'i', psk: { ...psk, id: 'psk-2026-12' } }),
        'ERR_DECRYPTION_FAILED',
      );
      await rejectsCode(
        open(s, kp.secretKey, sealed.enc, sealed.ciphertext, { info: 'i', psk: { ...psk, key: flip(psk.key, 0) } }),
        'ERR_DECRYPTION_FAILED',
      );
      // And the exporter differs between base and PSK mode for the same KEM output.
      const ikmE = bytes(64, 8);
      const a = await setupBaseS(s, kp.publicKey, 'i', { ikmE });
      const b = await setupBaseS(s, kp.publicKey, 'i', { ikmE, psk });
      expect(a.enc).toEqual(b.enc);
      expect(await a.export('x', 32)).not.toEqual(await b.export('x', 32));
    }
  });

  it('refuses a short PSK or an empty PSK id before encapsulating', async () => {
    const s = suite({ kem: 'ML-KEM-768', kdf: 'HKDF-SHA256', aead: 'AES-128-GCM' });
    const kp = await generateKeyPair(s);
    await rejectsCode(seal(s, kp.publicKey, bytes(1), { psk: { key: bytes(31, 1), id: 'x' } }), 'ERR_INVALID_ARGUMENT');
    await rejectsCode(seal(s, kp.publicKey, bytes(1), { psk: { key: bytes(32, 1), id: '' } }), 'ERR_INVALID_ARGUMENT');
    await rejectsCode(
      setupBaseR(s, bytes(1088), kp.secretKey, '', { psk: { key: 'password' as unknown as Uint8Array, id: 'x' } }),
      'ERR_INVALID_ARGUMENT',
    );
  });
});

describe('HPKE contexts', () => {
  const s = suite({ kem: 'ML-KEM-768', kdf: 'HKDF-SHA256', aead: 'AES-128-GCM' });

  it('keeps sequence numbers: in-order opens succeed, a skipped or repeated message fails without advancing', async () => {
    const kp = await generateKeyPair(s);
    const S = await setupBaseS(s, kp.publicKey, 'stream');
    const R = await setupBaseR(s, S.enc, kp.secretKey, 'stream');
    const cts = [];
    for (let i = 0; i < 4; i++) cts.push(await S.seal(enc.encode(`msg ${i}`), `aad ${i}`));
    expect(S.seq).toBe(4n);
    expect(cts[0]).not.toEqual(cts[1]);
    await rejectsCode(R.open(cts[1]!, 'aad 1'), 'ERR_DECRYPTION_FAILED'); // out of order
    expect(R.seq).toBe(0n);
    expect(new TextDecoder().decode(await R.open(cts[0]!, 'aad 0'))).toBe('msg 0');
    await rejectsCode(R.open(cts[0]!, 'aad 0'), 'ERR_DECRYPTION_FAILED'); // replay
    expect(R.seq).toBe(1n);
    expect(new TextDecoder().decode(await R.open(cts[1]!, 'aad 1'))).toBe('msg 1');
    expect(R.seq).toBe(2n);
  });

  it('concurrent seals get distinct nonces in call order; concurrent opens are applied in call order', async () => {
    const kp = await generateKeyPair(s);
    const S = await setupBaseS(s, kp.publicKey);
    const R = await setupBaseR(s, S.enc, kp.secretKey);
    const msgs = Array.from({ length: 8 }, (_, i) => enc.encode(`part ${i}`));
    const cts = await Promise.all(msgs.map((m) => S.seal(m)));
    const pts = await Promise.all(cts.map((c) => R.open(c)));
    expect(pts).toEqual(msgs);
  });

  it('refuses to seal or open past the last sequence number (2^96 - 2 for a 12-byte nonce)', async () => {
    const kp = await generateKeyPair(s);
    const S = await setupBaseS(s, kp.publicKey);
    const R = await setupBaseR(s, S.enc, kp.secretKey);
    const last = (1n << 96n) - 2n;
    S._setSeq(last);
    R._setSeq(last);
    const ct = await S.seal(enc.encode('final'));
    expect(await R.open(ct)).toEqual(enc.encode('final'));
    await rejectsCode(S.seal(enc.encode('one more')), 'ERR_MESSAGE_LIMIT_REACHED');
    await rejectsCode(R.open(ct), 'ERR_MESSAGE_LIMIT_REACHED');
  });

  it('export-only suites refuse seal/open; export enforces the KDF length limit', async () => {
    const x = suite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'ExportOnly' });
    const kp = await generateKeyPair(x);
    const S = await setupBaseS(x, kp.publicKey);
    await rejectsCode(S.seal(bytes(1)), 'ERR_UNSUPPORTED_ALGORITHM');
    expect(await S.export('', 255 * 32)).toHaveLength(8160);
    await rejectsCode(S.export('', 255 * 32 + 1), 'ERR_INVALID_ARGUMENT');
    const y = suite({ kem: 'X-Wing', kdf: 'SHAKE256', aead: 'ExportOnly' });
    const S2 = await setupBaseS(y, kp.publicKey);
    const R2 = await setupBaseR(y, S2.enc, kp.secretKey);
    expect(await S2.export('ctx', 65535)).toEqual(await R2.export('ctx', 65535));
    await rejectsCode(S2.export('ctx', 65536), 'ERR_INVALID_ARGUMENT');
    await rejectsCode(R2.open(bytes(16)), 'ERR_UNSUPPORTED_ALGORITHM');
  });

  it('string info/aad/exporter context are their UTF-8 bytes', async () => {
    const kp = await deriveKeyPair(s, bytes(32, 3));
    const ikmE = bytes(32, 4);
    const a = await setupBaseS(s, kp.publicKey, 'héllo', { ikmE });
    const b = await setupBaseS(s, kp.publicKey, enc.encode('héllo'), { ikmE });
    expect(a.enc).toEqual(b.enc);
    expect(await a.seal(bytes(3), 'ü')).toEqual(await b.seal(bytes(3), enc.encode('ü')));
    expect(await a.export('ctx', 16)).toEqual(await b.export(enc.encode('ctx'), 16));
  });
});
