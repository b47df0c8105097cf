/*
 * Secret hygiene: after each kind of secret-handling operation, no window of
 * the secret (seed, secret key, shared secret) is left anywhere in wasm
 * memory. The heap scopes wipe what they hand out and the C core wipes its
 * stack buffers; this test is what holds them to it. Long-lived holders
 * (jose AkpKey, streaming signer, SigningKeyRing) must wipe on destroy().
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { init, ml_kem512, ml_kem768, ml_kem1024, ml_dsa44, ml_dsa65, ml_dsa87 } from '../../src/index.js';
import { getExports } from '../../src/wasm/loader.js';
import {
  xwing,
  suite,
  seal,
  open,
  setupBaseS,
  setupBaseR,
  generateKeyPair as hpkeKeyPair,
  x25519mlkem768,
} from '../../src/hybrid/index.js';
import { Keyring, memoryStore, generateMasterKey } from '../../src/transit/index.js';
import { AkpKey, SignJWT, generateKeyPair, exportRaw, SigningKeyRing } from '../../src/jose/index.js';
import { decodePKCS8, encodePKCS8, generateKey } from '../../src/x509/index.js';

beforeAll(async () => {
  await init();
});

const te = new TextEncoder();

/** Distinctive 32-byte windows of `secret` (start, middle, end); skips low-entropy ones. */
function windows(secret: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const at = secret.length <= 32 ? [0] : [0, (secret.length >> 1) - 16, secret.length - 32];
  for (const o of at) {
    const w = secret.subarray(o, o + Math.min(32, secret.length));
    if (new Set(w).size >= 8) out.push(w);
  }
  return out;
}

/** Names of the secrets whose windows occur anywhere in wasm memory. */
function leaked(secrets: Record<string, Uint8Array>): string[] {
  const mem = Buffer.from(getExports().memory.buffer);
  const found: string[] = [];
  for (const [name, s] of Object.entries(secrets)) {
    const ws = windows(s);
    expect(ws.length, `${name} has no distinctive window to look for`).toBeGreaterThan(0);
    if (ws.some((w) => mem.indexOf(w) !== -1)) found.push(name);
  }
  return found;
}

const rnd = (n: number) => crypto.getRandomValues(new Uint8Array(n));

describe('secret hygiene: the scanner', () => {
  it('finds a secret that is present in wasm memory (positive control)', () => {
    const x = getExports();
    const secret = rnd(64);
    const p = x.qs_malloc(64);
    try {
      new Uint8Array(x.memory.buffer).set(secret, p);
      expect(leaked({ planted: secret })).toEqual(['planted']);
    } finally {
      new Uint8Array(x.memory.buffer).fill(0, p, p + 64);
      x.qs_free(p);
    }
    expect(leaked({ planted: secret })).toEqual([]);
  });
});

describe('secret hygiene: nothing secret left in wasm memory', () => {
  for (const k of [ml_kem512, ml_kem768, ml_kem1024]) {
    it(`${k.name} keygen, encapsulate, decapsulate`, () => {
      const seed = rnd(64);
      const { publicKey, secretKey } = k.keygen(seed);
      const msg = rnd(32);
      const { cipherText, sharedSecret } = k.encapsulate(publicKey, msg);
      const ss2 = k.decapsulate(cipherText, secretKey);
      expect(ss2).toEqual(sharedSecret);
      // Implicit rejection path too: a wrong ciphertext still touches z and s.
      const bad = cipherText.slice();
      bad[0]! ^= 1;
      const rej = k.decapsulate(bad, secretKey);
      expect(leaked({ seed, secretKey: secretKey.subarray(0, 384), msg, sharedSecret, rejectionKey: rej })).toEqual([]);
    });
  }

  for (const d of [ml_dsa44, ml_dsa65, ml_dsa87]) {
    it(`${d.name} keygen, sign (hedged + deterministic), streaming signer`, () => {
      const seed = rnd(32);
      const { secretKey } = d.keygen(seed);
      d.sign(te.encode('message'), secretKey);
      d.sign(te.encode('message'), secretKey, { extraEntropy: false });
      const s = d.signer(secretKey);
      s.update(te.encode('stream part 1')).update(te.encode('stream part 2'));
      s.sign();
      const abandoned = d.signer(secretKey);
      abandoned.update(te.encode('x'));
      abandoned.destroy();
      // The key (seed ρ, K, s1 at the start; t0 at the end) must be nowhere.
      expect(
        leaked({
          seed,
          skK: secretKey.subarray(32, 64),
          skS1: secretKey.subarray(128, 160),
          skTail: secretKey.subarray(secretKey.length - 32),
        }),
      ).toEqual([]);
    });
  }

  it('X-Wing keygen and decapsulate; X25519MLKEM768 client/server', () => {
    const seed = rnd(32);
    const { publicKey, secretKey } = xwing.keygen(seed);
    const { cipherText, sharedSecret } = xwing.encapsulate(publicKey);
    expect(xwing.decapsulate(cipherText, secretKey)).toEqual(sharedSecret);
    const cseed = rnd(96);
    const client = x25519mlkem768.clientKeyShare(cseed);
    const server = x25519mlkem768.serverRespond(client.keyShare);
    const shared = x25519mlkem768.clientFinish(client.secretKey, server.keyShare);
    expect(shared).toEqual(server.sharedSecret);
    expect(leaked({ seed, secretKey, sharedSecret, clientSeed: cseed.subarray(0, 64), tlsSecret: shared })).toEqual([]);
  });

  it('HPKE seal/open (X-Wing and ML-KEM-768), context export', async () => {
    for (const spec of [
      { kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'AES-256-GCM' },
      { kem: 'ML-KEM-768', kdf: 'SHAKE256', aead: 'ChaCha20Poly1305' },
    ] as const) {
      const s = suite(spec);
      const { publicKey, secretKey } = await hpkeKeyPair(s);
      // X-Wing encapsulation takes 64 bytes of randomness, ML-KEM 32.
      const ikmE = rnd(spec.kem === 'X-Wing' ? 64 : 32);
      const sender = await setupBaseS(s, publicKey, 'info', { ikmE });
      const ct = await sender.seal(te.encode('hello'));
      const receiver = await setupBaseR(s, sender.enc, secretKey, 'info');
      expect(new TextDecoder().decode(await receiver.open(ct))).toBe('hello');
      const exported = await receiver.export(te.encode('ctx'), 32);
      const one = await seal(s, publicKey, te.encode('one-shot'));
      await open(s, secretKey, one.enc, one.ciphertext);
      expect(leaked({ recipientSecret: secretKey, ikmE: ikmE.subarray(0, 32), exported })).toEqual([]);
    }
  });

  it('transit encrypt/decrypt (ML-KEM-768, X-Wing) and sign (ML-DSA-65)', async () => {
    const keyring = new Keyring({ store: memoryStore(), masterKey: (await generateMasterKey()).masterKey });
    const secrets: Record<string, Uint8Array> = {};
    for (const [name, type] of [
      ['kem', 'kyber768'],
      ['xw', 'xwing'],
    ] as const) {
      await keyring.createKey(name, { type });
      const { ciphertext } = await keyring.encrypt(name, te.encode('transit plaintext'));
      expect(new TextDecoder().decode((await keyring.decrypt(name, ciphertext)).plaintext)).toBe('transit plaintext');
      const { keyPair } = await keyring.decryptionKey(name, 1);
      secrets[`${name}.secretKey`] = keyPair.secretKey;
    }
    await keyring.createKey('sig', { type: 'ml-dsa-65' });
    const { signature } = await keyring.sign('sig', te.encode('data'));
    expect(await keyring.verify('sig', te.encode('data'), signature)).toBe(true);
    // The signing key is private to the keyring; reach it the way sign() does.
    const k = keyring as unknown as {
      must(n: string): Promise<unknown>;
      keyPair(r: unknown, v: number): Promise<{ secretKey: Uint8Array }>;
    };
    const sigKey = (await k.keyPair(await k.must('sig'), 1)).secretKey;
    // ρ (bytes 0..32) and tr (64..128) are public (ρ is in pk, tr = H(pk)) and
    // verify() may leave them in memory; K, s1 and t0 are the secret parts.
    secrets['sig.K'] = sigKey.subarray(32, 64);
    secrets['sig.s1'] = sigKey.subarray(128, 160);
    secrets['sig.t0'] = sigKey.subarray(sigKey.length - 32);
    expect(leaked(secrets)).toEqual([]);
  });

  it('JWT signing and PKCS#8 decoding', async () => {
    const { privateKey } = await generateKeyPair('ML-DSA-65', { extractable: true });
    await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'ML-DSA-65' }).setExpirationTime('5m').sign(privateKey);
    const seed = await exportRaw(privateKey, 'seed');
    const k = generateKey('ML-DSA-87');
    const kem = generateKey('ML-KEM-1024');
    const d1 = decodePKCS8(encodePKCS8('ML-DSA-87', k, { form: 'expanded' }));
    const d2 = decodePKCS8(encodePKCS8('ML-KEM-1024', kem, { form: 'both' }));
    expect(
      leaked({
        jwtSeed: seed,
        dsaSeed: k.seed!,
        dsaExpanded: d1.secretKey.subarray(128, 160),
        kemSeed: kem.seed!,
        kemExpanded: d2.secretKey.subarray(0, 384),
      }),
    ).toEqual([]);
  });
});

describe('secret hygiene: long-lived holders wipe on destroy()', () => {
  /** Captures every copy `fn` makes with Uint8Array#slice, to look at it after destroy(). */
  async function captureSlices<T>(fn: () => Promise<T> | T): Promise<{ result: T; copies: Uint8Array[] }> {
    const orig = Uint8Array.prototype.slice;
    const copies: Uint8Array[] = [];
    Uint8Array.prototype.slice = function (this: Uint8Array, ...a: [number?, number?]) {
      const r = orig.apply(this, a) as Uint8Array;
      copies.push(r);
      return r;
    } as typeof orig;
    try {
      return { result: await fn(), copies };
    } finally {
      Uint8Array.prototype.slice = orig;
    }
  }
  const isZero = (b: Uint8Array) => b.every((x) => x === 0);
  const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

  it('jose AkpKey: destroy() and Symbol.dispose wipe the seed and the expanded key', async () => {
    const seed = rnd(32);
    const { publicKey, secretKey } = ml_dsa65.keygen(seed);
    const expanded = secretKey.slice();
    const { result: key, copies } = await captureSlices(() => new AkpKey('ML-DSA-65', publicKey, { seed, expanded }));
    const held = copies.filter((c) => same(c, seed));
    expect(held.length, 'AkpKey keeps a copy of the seed').toBeGreaterThan(0);
    await new SignJWT({}).setProtectedHeader({ alg: 'ML-DSA-65' }).sign(key);
    key.destroy();
    expect(key.destroyed).toBe(true);
    for (const c of held) expect(isZero(c), 'seed copy wiped').toBe(true);
    expect(isZero(expanded), 'expanded key wiped').toBe(true);
    await expect(new SignJWT({}).setProtectedHeader({ alg: 'ML-DSA-65' }).sign(key)).rejects.toMatchObject({
      code: 'ERR_DESTROYED',
    });

    const seed2 = rnd(32);
    const { result: key2, copies: c2 } = await captureSlices(
      () => new AkpKey('ML-DSA-44', ml_dsa44.keygen(seed2).publicKey, { seed: seed2 }),
    );
    const held2 = c2.filter((c) => same(c, seed2));
    key2[Symbol.dispose]();
    for (const c of held2) expect(isZero(c)).toBe(true);
  });

  it('streaming signer: destroy() wipes its copy of the secret key and frees its wasm state', () => {
    const { secretKey } = ml_dsa44.keygen(rnd(32));
    const orig = secretKey.slice();
    const { copies } = { copies: [] as Uint8Array[] };
    const sliceOrig = Uint8Array.prototype.slice;
    Uint8Array.prototype.slice = function (this: Uint8Array, ...a: [number?, number?]) {
      const r = sliceOrig.apply(this, a) as Uint8Array;
      copies.push(r);
      return r;
    } as typeof sliceOrig;
    let s;
    try {
      s = ml_dsa44.signer(secretKey);
    } finally {
      Uint8Array.prototype.slice = sliceOrig;
    }
    const held = copies.filter((c) => same(c, orig));
    expect(held.length).toBeGreaterThan(0);
    s.update(te.encode('abc'));
    s.destroy();
    for (const c of held) expect(isZero(c)).toBe(true);
    expect(() => s.update(te.encode('more'))).toThrow(expect.objectContaining({ code: 'ERR_DESTROYED' }));
  });

  it('SigningKeyRing: destroy() and Symbol.dispose destroy every key it holds', async () => {
    const ring = await SigningKeyRing.create({ alg: 'ML-DSA-44' });
    await ring.rotate();
    const active = ring.active;
    await ring.sign({ sub: 'x' });
    expect(active.destroyed).toBe(false);
    ring[Symbol.dispose]();
    expect(active.destroyed).toBe(true);
    await expect(ring.sign({ sub: 'y' })).rejects.toBeDefined();
  });
});
