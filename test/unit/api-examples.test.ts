/*
 * The @example blocks of the API reference (TSDoc, `npm run docs`) run as printed: each case below is one
 * example, with only the values the example takes as given (a key, a message, a keyring) defined around it,
 * and asserts what the example's comments claim. An example that drifts from the real signature fails
 * `types`; one whose claim is wrong fails here.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { init, hashml_dsa65, ml_dsa65 } from '../../src/index.js';
import { suite } from '../../src/hybrid/index.js';
import {
  compactVerify,
  CompactSign,
  createLocalJWKSet,
  exportJWK,
  flattenedVerify,
  FlattenedSign,
  generateKeyPair,
  JWKSMultipleMatchingKeys,
  jwtVerify,
  registerKeyCodec,
  SignJWT,
  SigningKeyRing,
  createRemoteJWKSet,
  type AkpKey,
  type KeyCodec,
} from '../../src/jose/index.js';
import {
  AuditLog,
  createAuth,
  createTransitHandler,
  decryptStream,
  encryptStream,
  generateMasterKey,
  openSqliteStore,
  Keyring,
  KEY_TYPES,
  memoryAuditSink,
  memoryStore,
  resolveKeyType,
  TransitClient,
  toBase64,
  type AuditRecord,
  type KeyType,
  type TransitStore,
} from '../../src/transit/index.js';
import { ml_dsa65_async, ml_kem768_async, sign, signatureKeygen, verify } from '../../src/webcrypto/index.js';
import { createCaHierarchy, decodePKCS8, decodeSPKI, encodePKCS8Pem, encodeSPKIPem } from '../../src/x509/index.js';

const te = new TextEncoder();
const TOKEN = 'example-token-0123456789';

beforeAll(async () => {
  await init();
});

describe('api examples: hybrid (HPKE)', () => {
  it('HpkeAead: AES-256-GCM is id 2 with Nk 32, Nn 12, Nt 16', () => {
    const { aead } = suite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'AES-256-GCM' });
    expect([aead.id, aead.Nk, aead.Nn, aead.Nt]).toEqual([2, 32, 12, 16]);
  });

  it('HpkeKem: decap returns the shared secret encap made', async () => {
    const { kem } = suite({ kem: 'ML-KEM-768', kdf: 'HKDF-SHA256', aead: 'AES-128-GCM' });
    const { publicKey, secretKey } = await kem.generateKeyPair();
    const { sharedSecret, enc } = await kem.encap(publicKey);
    const same = await kem.decap(enc, secretKey);
    expect(same).toEqual(sharedSecret);
  });
});

describe('api examples: signatures', () => {
  it('HashMlDsa: sign and verify with SHA2-256', () => {
    const { publicKey, secretKey } = hashml_dsa65.keygen();
    const msg = te.encode('hello');
    const sig = hashml_dsa65.sign(msg, secretKey, { hash: 'SHA2-256' });
    expect(hashml_dsa65.verify(sig, msg, publicKey, { hash: 'SHA2-256' })).toBe(true);
    // The hash is bound into the signature: another one does not verify.
    expect(hashml_dsa65.verify(sig, msg, publicKey, { hash: 'SHA2-512' })).toBe(false);
  });

  it('MlDsaInternal: M′ = 0x00 ‖ 0x00 ‖ M is pure ML-DSA with an empty context', () => {
    const { publicKey, secretKey } = ml_dsa65.internal.keygen(new Uint8Array(32));
    const mPrime = new Uint8Array([0, 0, ...te.encode('hi')]);
    const sig = ml_dsa65.internal.sign(mPrime, secretKey, { extraEntropy: false });
    expect(ml_dsa65.internal.verify(sig, mPrime, publicKey)).toBe(true);
    expect(ml_dsa65.verify(sig, te.encode('hi'), publicKey)).toBe(true);
  });

  it('MlDsaStreamVerifier: chunked verify equals one-shot', () => {
    const { publicKey, secretKey } = ml_dsa65.keygen();
    const chunks = [te.encode('part one, '), te.encode('part two')];
    const signature = ml_dsa65.sign(te.encode('part one, part two'), secretKey);
    const v = ml_dsa65.verifier(publicKey);
    for (const chunk of chunks) v.update(chunk);
    const ok = v.verify(signature);
    expect(ok).toBe(true);
  });
});

describe('api examples: webcrypto (engine)', () => {
  it('AsyncSignature: keygenAsync, signAsync, verifyAsync', async () => {
    const { publicKey, secretKey } = await ml_dsa65_async.keygenAsync();
    const msg = te.encode('hello');
    const sig = await ml_dsa65_async.signAsync(msg, secretKey);
    expect(await ml_dsa65_async.verifyAsync(sig, msg, publicKey)).toBe(true);
  });

  it('AsyncKem: decapsulateAsync returns the shared secret', async () => {
    const { publicKey, secretKey } = await ml_kem768_async.keygenAsync();
    const { cipherText, sharedSecret } = await ml_kem768_async.encapsulateAsync(publicKey);
    const same = await ml_kem768_async.decapsulateAsync(cipherText, secretKey);
    expect(same).toEqual(sharedSecret);
  });

  it("KeygenOptions: output 'seed' gives the 32-byte seed", async () => {
    const { publicKey, secretKey } = await signatureKeygen('ML-DSA-65', undefined, { output: 'seed' });
    expect(secretKey).toHaveLength(32);
    expect(publicKey).toEqual(ml_dsa65.keygen(secretKey).publicKey);
  });

  it('SignOptions: a context binds the signature', async () => {
    const { publicKey, secretKey } = ml_dsa65.keygen();
    const msg = te.encode('m');
    const sig = await sign('ML-DSA-65', secretKey, msg, { context: te.encode('app-v1') });
    expect(await verify('ML-DSA-65', publicKey, msg, sig, { context: te.encode('app-v1') })).toBe(true);
    expect(await verify('ML-DSA-65', publicKey, msg, sig)).toBe(false);
  });
});

describe('api examples: jose', () => {
  let publicKey: AkpKey, privateKey: AkpKey;
  beforeAll(async () => {
    ({ publicKey, privateKey } = await generateKeyPair('ML-DSA-65', { extractable: true }));
  });

  it('CompactVerifyResult: the protected header names the alg', async () => {
    const token = await new CompactSign(te.encode('hi')).setProtectedHeader({ alg: 'ML-DSA-65' }).sign(privateKey);
    const { payload, protectedHeader } = await compactVerify(token, publicKey);
    expect(protectedHeader.alg).toBe('ML-DSA-65');
    expect(payload).toEqual(te.encode('hi'));
  });

  it('FlattenedVerifyResult: payload and both headers', async () => {
    const jws = await new FlattenedSign(te.encode('hi'))
      .setProtectedHeader({ alg: 'ML-DSA-65' })
      .setUnprotectedHeader({ kid: 'k1' })
      .sign(privateKey);
    const { payload, protectedHeader, unprotectedHeader } = await flattenedVerify(jws, publicKey);
    expect([payload, protectedHeader?.alg, unprotectedHeader?.kid]).toEqual([te.encode('hi'), 'ML-DSA-65', 'k1']);
  });

  it('JWTVerifyResult: claims and header', async () => {
    const jwt = await new SignJWT({})
      .setProtectedHeader({ alg: 'ML-DSA-65', kid: 'k1' })
      .setIssuer('https://id.example')
      .setAudience('api')
      .setSubject('user-1')
      .setJti('j1')
      .setNotBefore('0s')
      .setIssuedAt()
      .setExpirationTime('2h')
      .sign(privateKey);
    const { payload, protectedHeader } = await jwtVerify(jwt, publicKey, {
      issuer: 'https://id.example',
      audience: 'api',
    });
    expect([payload.sub, payload.jti, protectedHeader.kid]).toEqual(['user-1', 'j1', 'k1']);
  });

  it('JWKSMultipleMatchingKeys: iterating the error yields every matching key', async () => {
    const other = await generateKeyPair('ML-DSA-65');
    const jwks = { keys: [await exportJWK(publicKey), await exportJWK(other.publicKey)] };
    const JWKS = createLocalJWKSet(jwks);
    let candidates: AkpKey[];
    try {
      candidates = [await JWKS({ alg: 'ML-DSA-65' })];
    } catch (e) {
      if (!(e instanceof JWKSMultipleMatchingKeys)) throw e;
      candidates = [];
      for await (const key of e as JWKSMultipleMatchingKeys<AkpKey>) candidates.push(key);
    }
    expect(candidates).toHaveLength(2);
  });

  it('KeyRingOptions: a ring of ML-DSA-87 keys', async () => {
    const ring = await SigningKeyRing.create({ alg: 'ML-DSA-87', removalGrace: 120 });
    try {
      expect((await ring.jwks()).keys[0]!.alg).toBe('ML-DSA-87');
    } finally {
      ring.destroy();
    }
  });

  it('RemoteJWKSetOptions: the options are accepted (nothing is fetched before the first use)', () => {
    const JWKS = createRemoteJWKSet(new URL('https://id.example/certs'), {
      cacheMaxAge: 60_000,
      timeoutDuration: 2000,
    });
    expect(typeof JWKS).toBe('function');
  });

  it('KeyCodec: the codec built from the x509 layer round-trips SPKI and PKCS#8', async () => {
    const codec: KeyCodec = {
      decodeSPKI: (spki) => decodeSPKI(spki),
      decodePKCS8: (pkcs8) => {
        const { alg, seed, secretKey } = decodePKCS8(pkcs8);
        secretKey.fill(0); // JOSE keeps only the seed
        if (!seed) throw new Error('JOSE keys need the seed form');
        return { alg, seed };
      },
      encodeSPKI: (alg, pk) => encodeSPKIPem(alg as 'ML-DSA-65', pk),
      encodePKCS8: (alg, seed) => encodePKCS8Pem(alg as 'ML-DSA-65', seed, { form: 'seed' }),
    };
    registerKeyCodec(codec);
    try {
      const seed = new Uint8Array(32).fill(7);
      const pk = ml_dsa65.keygen(seed).publicKey;
      expect(codec.decodeSPKI(codec.encodeSPKI('ML-DSA-65', pk))).toEqual({ alg: 'ML-DSA-65', publicKey: pk });
      expect(codec.decodePKCS8(codec.encodePKCS8('ML-DSA-65', seed))).toEqual({ alg: 'ML-DSA-65', seed });
    } finally {
      registerKeyCodec(undefined);
    }
  });
});

describe('api examples: transit', () => {
  async function transit() {
    const { masterKey } = await generateMasterKey();
    const keyring = new Keyring({ store: memoryStore(), masterKey, cacheSize: 256 });
    const sink = memoryAuditSink();
    const handler = createTransitHandler({
      keyring,
      auth: { tokens: [{ token: TOKEN, policies: ['root'] }] },
      mount: 'oqs-transit',
      audit: sink,
      limits: { maxBodyBytes: 1 << 20, maxBatchItems: 100, timeoutMs: 5000 },
    });
    const client = new TransitClient({
      address: 'http://127.0.0.1:8200',
      token: TOKEN,
      fetch: async (input, init) => handler(new Request(input, init)),
    });
    return { keyring, sink, handler, client };
  }

  it('Keyring: createKey, encrypt to vault:v1:, decrypt', async () => {
    const keyring = new Keyring({ store: memoryStore(), masterKey: (await generateMasterKey()).masterKey });
    await keyring.createKey('app', { type: 'ml-kem-768' });
    const { ciphertext } = await keyring.encrypt('app', new TextEncoder().encode('secret'));
    expect(ciphertext).toMatch(/^vault:v1:/);
    const { plaintext } = await keyring.decrypt('app', ciphertext);
    expect(plaintext).toEqual(te.encode('secret'));
  });

  it('TransitHandlerOptions: sys/health answers 200', async () => {
    const { handler } = await transit();
    const res = await handler(new Request('http://localhost/v1/sys/health'));
    expect(res.status).toBe(200);
  });

  it('TransitClient: createKey, encrypt to vault:v1:, decrypt', async () => {
    const { client } = await transit();
    await client.createKey('app', { type: 'ml-kem-768' });
    const { ciphertext } = await client.encrypt('app', te.encode('secret'));
    expect(ciphertext).toMatch(/^vault:v1:/);
    const { plaintext } = await client.decrypt('app', ciphertext);
    expect(plaintext).toEqual(te.encode('secret'));
  });

  it('BatchResult: reference echoed, ciphertext per item', async () => {
    const { client } = await transit();
    await client.createKey('app');
    const { status, results } = await client.batch('encrypt', 'app', [
      { plaintext: toBase64(te.encode('a')), reference: 'a' },
    ]);
    expect(status).toBe('ok');
    expect(results[0]!.reference).toBe('a');
    expect(results[0]!.ciphertext).toMatch(/^vault:v1:/);
  });

  it('AuditRecord: the first line is the request, its path canonical, its token HMAC’d', async () => {
    const { client, sink } = await transit();
    await client.createKey('app');
    sink.lines.length = 0;
    await client.encrypt('app', te.encode('x'));
    const rec: AuditRecord = JSON.parse(sink.lines[0]!);
    expect([rec.type, rec.path]).toEqual(['request', 'oqs-transit/encrypt/app']);
    expect(rec.client_token).toMatch(/^hmac-sha256:/);
    expect(new AuditLog(memoryAuditSink()).hash(TOKEN)).not.toBe(TOKEN);
  });

  it('AuthConfig: the app token may update oqs-transit/encrypt/app-*', () => {
    const auth = createAuth({
      tokens: [
        { token: 'root-token', policies: ['root'] },
        { token: 'app-token', policies: ['app'], displayName: 'app-server' },
      ],
      policies: { app: [{ path: 'oqs-transit/encrypt/app-*', capabilities: ['update'] }] },
    });
    expect(auth.check('app-token', 'oqs-transit/encrypt/app-orders', 'update').allowed).toBe(true);
    expect(auth.check('app-token', 'oqs-transit/decrypt/app-orders', 'update').allowed).toBe(false);
  });

  it('EncryptOptions / DecryptOptions: the same associated data opens', async () => {
    const { keyring } = await transit();
    await keyring.createKey('app', { type: 'ml-kem-768' });
    const data = te.encode('d');
    const { ciphertext } = await keyring.encrypt('app', data, { associatedData: te.encode('order-42') });
    const { plaintext } = await keyring.decrypt('app', ciphertext, { associatedData: te.encode('order-42') });
    expect(plaintext).toEqual(data);
  });

  it('SignOptions (transit): a context-bound signature', async () => {
    const { keyring } = await transit();
    await keyring.createKey('release-key', { type: 'ml-dsa-65' });
    const artifact = te.encode('artifact');
    const { signature } = await keyring.sign('release-key', artifact, { context: te.encode('release') });
    expect(signature).toMatch(/^vault:v1:/);
  });

  it('DataKeyOptions: a 256-bit data key in plaintext mode', async () => {
    const { keyring } = await transit();
    await keyring.createKey('app');
    const { plaintext, ciphertext } = await keyring.dataKey('app', 'plaintext', { bits: 256 });
    expect(plaintext).toHaveLength(32);
    expect(ciphertext).toMatch(/^vault:v1:/);
  });

  it('KEY_TYPES: other spellings resolve to a canonical type', () => {
    let type = 'kyber768';
    if (!KEY_TYPES.includes(type as KeyType)) type = resolveKeyType(type);
    expect(type).toBe('ml-kem-768');
  });

  it('StreamEncryptOptions: associated data and chunk size round-trip through decryptStream', async () => {
    const { keyring } = await transit();
    await keyring.createKey('backups');
    const file = new Blob([new Uint8Array(3 << 20).fill(1)]);
    const sealed = await encryptStream(keyring, 'backups', file.stream(), {
      associatedData: te.encode('backup-2026-12-07'),
      chunkSize: 1 << 20,
    });
    const opened = await decryptStream(keyring, 'backups', sealed, { associatedData: te.encode('backup-2026-12-07') });
    const back = Buffer.from(await new Response(opened).arrayBuffer());
    // Buffer.equals, not toEqual: a deep compare of 3 MiB element by element takes tens of seconds.
    expect(back.equals(Buffer.alloc(3 << 20, 1))).toBe(true);
  });

  it('SqliteStoreOptions: a store with a longer busy timeout', async () => {
    const store = await openSqliteStore(':memory:', { busyTimeoutMs: 10_000 });
    try {
      expect(await store.put('k', '{}', undefined)).toBe(1);
    } finally {
      await store.close?.();
    }
  });

  it('TransitStore: put is a compare-and-swap on the revision', async () => {
    const store: TransitStore = memoryStore();
    const rev = await store.put('app', '{"v":1}', undefined);
    expect(rev).toBe(1);
    expect(await store.put('app', '{"v":2}', 0)).toBeUndefined();
    const { json, revision } = (await store.get('app'))!;
    expect([json, revision]).toEqual(['{"v":1}', 1]);
  });

  it('MasterKey: open with the same aad returns the secret, another aad throws ERR_TRANSIT_SEALED', async () => {
    const { masterKey: mk } = await generateMasterKey();
    const secret = te.encode('s');
    const aad = te.encode('app/v1');
    const sealed = await mk.seal(secret, aad);
    expect(await mk.open(sealed, aad)).toEqual(secret);
    await expect(mk.open(sealed, te.encode('other'))).rejects.toMatchObject({ code: 'ERR_TRANSIT_SEALED' });
  });
});

describe('api examples: x509', () => {
  it('CaHierarchy: chainPem holds server then intermediate, the server key encodes as PKCS#8', async () => {
    const ca = await createCaHierarchy({ cn: 'api.example.com', san: ['DNS:www.example.com'] });
    expect(ca.chainPem.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(2);
    expect(encodePKCS8Pem(ca.server.key.alg, ca.server.key)).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });
});
