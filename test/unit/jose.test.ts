// Keys, JWS and JWT: round trips, jose-compatible claim checks, and one test
// per error code that the error is raised where jose raises it.
import { describe, it, expect, beforeAll } from 'vitest';
import {
  generateKeyPair,
  importJWK,
  exportJWK,
  importRaw,
  exportRaw,
  calculateJwkThumbprint,
  calculateJwkThumbprintUri,
  AkpKey,
  CompactSign,
  compactVerify,
  FlattenedSign,
  flattenedVerify,
  SignJWT,
  jwtVerify,
  decodeJwt,
  decodeProtectedHeader,
  secs,
  importSPKI,
  importPKCS8,
  exportSPKI,
  exportPKCS8,
  registerKeyCodec,
  createLocalJWKSet,
  JoseErrorCodes,
  JWTExpired,
  JWTClaimValidationFailed,
  base64urlEncode,
  base64urlDecode,
  type AkpJWK,
} from '../../src/jose/index.js';
import { QsignError } from '../../src/errors.js';
import { encodePKCS8Pem, encodeSPKIPem, generateKey, keySizes } from '../../src/x509/keys.js';
import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';

const enc = new TextEncoder();
const b64u = (x: string | Uint8Array) => Buffer.from(x).toString('base64url');
const code = async (p: Promise<unknown> | (() => unknown)) => {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return (e as QsignError).code;
  }
  return 'no error';
};
const seed = (n: number) => new Uint8Array(32).fill(n);

let k65: { publicKey: AkpKey; privateKey: AkpKey };
let k44: { publicKey: AkpKey; privateKey: AkpKey };
beforeAll(async () => {
  k65 = await generateKeyPair('ML-DSA-65', { seed: seed(1), extractable: true });
  k44 = await generateKeyPair('ML-DSA-44', { seed: seed(2) });
});

/** A signed JWT with arbitrary header/payload, bypassing SignJWT's own checks. */
async function rawToken(header: object, payload: object | string, key = k65.privateKey) {
  const bytes = typeof payload === 'string' ? enc.encode(payload) : enc.encode(JSON.stringify(payload));
  return new CompactSign(bytes).setProtectedHeader(header as never).sign(key);
}

describe('base64url', () => {
  it('round-trips and refuses padding, the standard alphabet and non-canonical tails', () => {
    for (let n = 0; n < 70; n++) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255);
      expect(base64urlEncode(b)).toBe(b64u(b));
      expect(base64urlDecode(b64u(b))).toEqual(b);
    }
    expect(() => base64urlDecode('AA==')).toThrow(/base64url/);
    expect(() => base64urlDecode('a+b/')).toThrow(/base64url/);
    expect(() => base64urlDecode('AB')).toThrow(/canonical/); // 'AA' is the canonical form of that byte
    expect(() => base64urlDecode('A')).toThrow(/base64url/);
  });
});

describe('keys', () => {
  it('generateKeyPair from a seed is deterministic; kid is the RFC 7638 thumbprint', async () => {
    const again = await generateKeyPair('ML-DSA-65', { seed: seed(1) });
    expect(again.publicKey.publicKey).toEqual(k65.publicKey.publicKey);
    expect(k65.publicKey.publicKey.length).toBe(1952);
    const jwk = await exportJWK(k65.publicKey);
    const manual = `{"alg":"ML-DSA-65","kty":"AKP","pub":"${jwk.pub}"}`;
    const { createHash } = await import('node:crypto');
    expect(k65.publicKey.kid).toBe(createHash('sha256').update(manual).digest('base64url'));
    expect(await calculateJwkThumbprint(jwk)).toBe(k65.publicKey.kid);
    expect(await calculateJwkThumbprintUri(jwk)).toBe(
      `urn:ietf:params:oauth:jwk-thumbprint:sha-256:${k65.publicKey.kid}`,
    );
  });

  it('exports and re-imports a private JWK (seed as priv); public JWK has no priv', async () => {
    const jwk = await exportJWK(k65.privateKey);
    expect(Buffer.from(jwk.priv!, 'base64url')).toEqual(Buffer.from(seed(1)));
    expect(Object.keys(jwk).sort()).toEqual(['alg', 'kid', 'kty', 'priv', 'pub']);
    const back = await importJWK(jwk);
    expect(back.type).toBe('private');
    expect(back.kid).toBe(k65.privateKey.kid);
    expect('priv' in (await exportJWK(k65.publicKey))).toBe(false);
    // An explicit kid is kept.
    expect((await importJWK({ ...jwk, kid: 'k1' })).kid).toBe('k1');
  });

  it('non-extractable keys refuse export; raw hooks round-trip', async () => {
    expect(await code(exportJWK(k44.privateKey))).toBe('ERR_INVALID_ARGUMENT');
    expect(await code(exportRaw(k44.privateKey, 'seed'))).toBe('ERR_INVALID_ARGUMENT');
    expect(await exportRaw(k65.privateKey, 'seed')).toEqual(seed(1));
    const pub = await importRaw('ML-DSA-65', await exportRaw(k65.privateKey, 'public'), 'public');
    expect(pub.kid).toBe(k65.publicKey.kid);
    expect(await code(importRaw('ML-DSA-65', new Uint8Array(31), 'seed'))).toBe('ERR_INVALID_SECRET_KEY');
  });

  it('destroy() wipes the secret; signing afterwards fails with ERR_DESTROYED', async () => {
    const { privateKey } = await generateKeyPair('ML-DSA-44');
    {
      using k = await importRaw('ML-DSA-44', seed(9), 'seed');
      expect(k.destroyed).toBe(false);
    }
    // The seed is not reachable through the object (logs, JSON, symbols).
    const { inspect } = await import('node:util');
    const seedHex = Buffer.from(await exportRaw(k65.privateKey, 'seed')).toString('hex');
    expect(inspect(k65.privateKey, { showHidden: true, depth: 5 }).replace(/[^0-9a-f]/g, '')).not.toContain(
      seedHex.slice(0, 16),
    );
    expect(Object.getOwnPropertySymbols(k65.privateKey)).toEqual([]);
    expect(JSON.stringify(k65.privateKey)).not.toMatch(/"priv"|seed/);
    privateKey.destroy();
    expect(privateKey.destroyed).toBe(true);
    expect(await code(new CompactSign(enc.encode('x')).setProtectedHeader({ alg: 'ML-DSA-44' }).sign(privateKey))).toBe(
      'ERR_DESTROYED',
    );
  });

  it('ERR_JWK_INVALID: missing alg, wrong kty, mismatched pub/priv, bad sizes', async () => {
    const jwk = await exportJWK(k65.privateKey);
    const { alg: _a, ...noAlg } = jwk;
    expect(await code(importJWK(noAlg))).toBe('ERR_JWK_INVALID');
    expect(await code(importJWK({ ...jwk, kty: 'OKP' }))).toBe('ERR_JWK_INVALID');
    expect(await code(importJWK({ ...jwk, alg: 'EdDSA' }))).toBe('ERR_JWK_INVALID');
    expect(await code(importJWK({ ...jwk, alg: 'ML-DSA-44' }))).toBe('ERR_JWK_INVALID'); // pub size wrong for 44
    expect(await code(importJWK({ ...jwk, priv: b64u(seed(7)) }))).toBe('ERR_JWK_INVALID');
    expect(await code(importJWK({ ...jwk, priv: b64u(new Uint8Array(64)) }))).toBe('ERR_JWK_INVALID');
    expect(await code(importJWK({ ...jwk, pub: jwk.pub.slice(0, -4) }))).toBe('ERR_JWK_INVALID');
    expect(await code(importJWK({ kty: 'AKP', alg: 'ML-DSA-65', pub: 'not base64url!' }))).toBe('ERR_JWK_INVALID');
  });

  it('SPKI/PKCS#8 go through a replaceable codec; disabled → ERR_JOSE_NOT_SUPPORTED', async () => {
    registerKeyCodec(null);
    expect(await code(importSPKI('-----BEGIN PUBLIC KEY-----', 'ML-DSA-65'))).toBe('ERR_JOSE_NOT_SUPPORTED');
    const pk = k65.publicKey.publicKey;
    registerKeyCodec({
      decodeSPKI: () => ({ alg: 'ML-DSA-65', publicKey: pk }),
      decodePKCS8: () => {
        throw new Error('unused');
      },
      encodeSPKI: () => 'pem',
      encodePKCS8: () => 'pem',
    });
    try {
      expect((await importSPKI('pem', 'ML-DSA-65')).kid).toBe(k65.publicKey.kid);
      expect(await code(importSPKI('pem', 'ML-DSA-44'))).toBe('ERR_JWK_INVALID');
    } finally {
      registerKeyCodec(undefined);
    }
  });
});

describe('default SPKI/PKCS#8 codec (the X.509 key core, issue 23 item 2)', () => {
  it('round-trips ML-DSA keys and refuses ML-KEM and SLH-DSA keys with ERR_JWK_INVALID', async () => {
    const spki = await exportSPKI(k65.publicKey);
    const pkcs8 = await exportPKCS8(k65.privateKey);
    expect((await importSPKI(spki, 'ML-DSA-65')).kid).toBe(k65.publicKey.kid);
    expect((await importPKCS8(pkcs8, 'ML-DSA-65')).kid).toBe(k65.privateKey.kid);
    expect(await code(importPKCS8(pkcs8, 'ML-DSA-44'))).toBe('ERR_JWK_INVALID');

    const kem = generateKey('ML-KEM-768');
    expect(await code(importSPKI(encodeSPKIPem('ML-KEM-768', kem.publicKey), 'ML-DSA-65'))).toBe('ERR_JWK_INVALID');
    for (const form of ['seed', 'both'] as const)
      expect(await code(importPKCS8(encodePKCS8Pem('ML-KEM-768', kem, { form }), 'ML-DSA-65'))).toBe('ERR_JWK_INVALID');
    // SLH-DSA framed without its wasm: the key bytes only need the right lengths to reach the algorithm check.
    const slh = 'SLH-DSA-SHA2-128f' as const;
    const sizes = keySizes(slh);
    const slhKey = {
      alg: slh,
      form: 'expanded' as const,
      secretKey: new Uint8Array(sizes.secretKey).fill(7),
      publicKey: new Uint8Array(sizes.publicKey).fill(7),
    };
    expect(await code(importSPKI(encodeSPKIPem(slh, slhKey.publicKey), 'ML-DSA-65'))).toBe('ERR_JWK_INVALID');
    expect(await code(importPKCS8(encodePKCS8Pem(slh, slhKey), 'ML-DSA-65'))).toBe('ERR_JWK_INVALID');
  });
});

describe('JWS', () => {
  it('compact sign/verify round trip for all three algs, deterministic mode is stable', async () => {
    for (const alg of ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'] as const) {
      const { publicKey, privateKey } = await generateKeyPair(alg);
      const jws = await new CompactSign(enc.encode('hello')).setProtectedHeader({ alg }).sign(privateKey);
      const r = await compactVerify(jws, publicKey);
      expect(new TextDecoder().decode(r.payload)).toBe('hello');
      expect(r.protectedHeader).toEqual({ alg });
      expect(r.key).toBeUndefined(); // only resolvers report the key
    }
    const a = await new CompactSign(enc.encode('d'))
      .setProtectedHeader({ alg: 'ML-DSA-65' })
      .sign(k65.privateKey, { deterministic: true });
    const b = await new CompactSign(enc.encode('d'))
      .setProtectedHeader({ alg: 'ML-DSA-65' })
      .sign(k65.privateKey, { deterministic: true });
    const c = await new CompactSign(enc.encode('d')).setProtectedHeader({ alg: 'ML-DSA-65' }).sign(k65.privateKey);
    expect(a).toBe(b);
    expect(c).not.toBe(a); // hedged by default
  });

  it('flattened JWS with an unprotected header; names must be disjoint', async () => {
    const jws = await new FlattenedSign(enc.encode('p'))
      .setProtectedHeader({ alg: 'ML-DSA-65' })
      .setUnprotectedHeader({ kid: 'x' })
      .sign(k65.privateKey);
    const r = await flattenedVerify(jws, k65.publicKey);
    expect(r.unprotectedHeader).toEqual({ kid: 'x' });
    expect(await code(flattenedVerify({ ...jws, header: { alg: 'ML-DSA-65' } }, k65.publicKey))).toBe(
      'ERR_JWS_INVALID',
    );
  });

  it('ERR_JWS_INVALID: structure, header JSON, base64url, oversize (before parsing)', async () => {
    const jws = await new CompactSign(enc.encode('p')).setProtectedHeader({ alg: 'ML-DSA-65' }).sign(k65.privateKey);
    const [h, p, s] = jws.split('.');
    expect(await code(compactVerify(`${h}.${p}`, k65.publicKey))).toBe('ERR_JWS_INVALID');
    expect(await code(compactVerify(`${b64u('[1]')}.${p}.${s}`, k65.publicKey))).toBe('ERR_JWS_INVALID');
    expect(await code(compactVerify(`${b64u('{"alg":')}.${p}.${s}`, k65.publicKey))).toBe('ERR_JWS_INVALID');
    expect(await code(compactVerify(`${h}.${p}.${s}=`, k65.publicKey))).toBe('ERR_JWS_INVALID');
    expect(await code(compactVerify(`${b64u('{}')}.${p}.${s}`, k65.publicKey))).toBe('ERR_JWS_INVALID'); // no alg
    // Oversize is refused by length alone: garbage that would otherwise fail differently.
    expect(await code(compactVerify('x'.repeat(256 * 1024 + 1), k65.publicKey))).toBe('ERR_JWS_INVALID');
    const e = await compactVerify('.'.repeat(2) + 'a'.repeat(300), k65.publicKey, { maxTokenSize: 100 }).catch(
      (x) => x,
    );
    expect(e.message).toMatch(/maximum size/);
  });

  it('ERR_JWS_SIGNATURE_VERIFICATION_FAILED: tampered payload, wrong key, truncated signature', async () => {
    const jws = await new CompactSign(enc.encode('p')).setProtectedHeader({ alg: 'ML-DSA-65' }).sign(k65.privateKey);
    const [h, , s] = jws.split('.');
    expect(await code(compactVerify(`${h}.${b64u('q')}.${s}`, k65.publicKey))).toBe(
      'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    );
    const other = await generateKeyPair('ML-DSA-65');
    expect(await code(compactVerify(jws, other.publicKey))).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
    expect(await code(compactVerify(jws.slice(0, -8), k65.publicKey))).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  });

  it('ERR_JOSE_ALG_NOT_ALLOWED: none, outside the allow-list, key bound to another alg', async () => {
    const jws = await new CompactSign(enc.encode('p')).setProtectedHeader({ alg: 'ML-DSA-65' }).sign(k65.privateKey);
    const [, p, s] = jws.split('.');
    expect(await code(compactVerify(`${b64u('{"alg":"none"}')}.${p}.`, k65.publicKey))).toBe(
      'ERR_JOSE_ALG_NOT_ALLOWED',
    );
    expect(
      await code(compactVerify(`${b64u('{"alg":"none"}')}.${p}.${s}`, k65.publicKey, { algorithms: ['none'] })),
    ).toBe('ERR_JOSE_ALG_NOT_ALLOWED');
    expect(await code(compactVerify(jws, k65.publicKey, { algorithms: ['ML-DSA-87'] }))).toBe(
      'ERR_JOSE_ALG_NOT_ALLOWED',
    );
    // Header says 44, key is 65: the key's alg binding wins.
    const as44 = await new CompactSign(enc.encode('p')).setProtectedHeader({ alg: 'ML-DSA-44' }).sign(k44.privateKey);
    expect(await code(compactVerify(as44, k65.publicKey))).toBe('ERR_JOSE_ALG_NOT_ALLOWED');
    expect(
      await code(new CompactSign(enc.encode('p')).setProtectedHeader({ alg: 'ML-DSA-44' }).sign(k65.privateKey)),
    ).toBe('ERR_JOSE_ALG_NOT_ALLOWED');
    expect(await code(new CompactSign(enc.encode('p')).setProtectedHeader({ alg: 'none' }).sign(k65.privateKey))).toBe(
      'ERR_JOSE_ALG_NOT_ALLOWED',
    );
  });

  it('ERR_JOSE_NOT_SUPPORTED: classical algs, unknown crit, b64:false unless opted in', async () => {
    const jws = await new CompactSign(enc.encode('p')).setProtectedHeader({ alg: 'ML-DSA-65' }).sign(k65.privateKey);
    const [, p, s] = jws.split('.');
    expect(await code(compactVerify(`${b64u('{"alg":"HS256"}')}.${p}.${s}`, k65.publicKey))).toBe(
      'ERR_JOSE_NOT_SUPPORTED',
    );
    const critTok = await new CompactSign(enc.encode('p'))
      .setProtectedHeader({ alg: 'ML-DSA-65', crit: ['exp2'], exp2: 1 })
      .sign(k65.privateKey, { crit: { exp2: true } });
    expect(await code(compactVerify(critTok, k65.publicKey))).toBe('ERR_JOSE_NOT_SUPPORTED');
    expect((await compactVerify(critTok, k65.publicKey, { crit: { exp2: true } })).protectedHeader.exp2).toBe(1);
    // RFC 7797 unencoded payload.
    expect(
      await code(
        new CompactSign(enc.encode('raw'))
          .setProtectedHeader({ alg: 'ML-DSA-65', b64: false, crit: ['b64'] })
          .sign(k65.privateKey),
      ),
    ).toBe('ERR_JOSE_NOT_SUPPORTED');
    const unenc = await new CompactSign(enc.encode('raw$'))
      .setProtectedHeader({ alg: 'ML-DSA-65', b64: false, crit: ['b64'] })
      .sign(k65.privateKey, { crit: { b64: true } });
    expect(unenc.split('.')[1]).toBe('raw$');
    expect(await code(compactVerify(unenc, k65.publicKey))).toBe('ERR_JOSE_NOT_SUPPORTED');
    expect(new TextDecoder().decode((await compactVerify(unenc, k65.publicKey, { crit: { b64: true } })).payload)).toBe(
      'raw$',
    );
    // b64:false without crit is malformed.
    expect(await code(compactVerify(`${b64u('{"alg":"ML-DSA-65","b64":false}')}.${p}.${s}`, k65.publicKey))).toBe(
      'ERR_JWS_INVALID',
    );
  });

  it('decodeProtectedHeader reads the header without verifying', async () => {
    const jws = await new CompactSign(enc.encode('p'))
      .setProtectedHeader({ alg: 'ML-DSA-65', kid: 'k' })
      .sign(k65.privateKey);
    expect(decodeProtectedHeader(jws)).toEqual({ alg: 'ML-DSA-65', kid: 'k' });
    expect(() => decodeProtectedHeader('abc')).toThrow(QsignError);
  });
});

describe('JWT', () => {
  const NOW = new Date('2026-01-01T00:00:00Z');
  const T = Math.floor(NOW.getTime() / 1000);

  it('secs() parses jose time spans', async () => {
    expect(secs('2h')).toBe(7200);
    expect(secs('30 s')).toBe(30);
    expect(secs('1.5 days')).toBe(129600);
    expect(secs('1w')).toBe(604800);
    expect(secs('1y')).toBe(31557600);
    expect(secs('-5m')).toBe(-300);
    expect(secs('3 hours ago')).toBe(-10800);
    expect(await code(() => secs('soon'))).toBe('ERR_INVALID_ARGUMENT');
  });

  it('SignJWT sets registered claims; jwtVerify checks them and returns payload + header', async () => {
    const jwt = await new SignJWT({ roles: ['admin'] }, { currentDate: NOW })
      .setProtectedHeader({ alg: 'ML-DSA-65', kid: k65.privateKey.kid, typ: 'JWT' })
      .setIssuer('https://id.example/realms/qsign')
      .setAudience(['api', 'web'])
      .setSubject('user-1')
      .setJti('j1')
      .setIssuedAt()
      .setNotBefore('0s')
      .setExpirationTime('2h')
      .sign(k65.privateKey);
    const { payload, protectedHeader } = await jwtVerify(jwt, k65.publicKey, {
      issuer: 'https://id.example/realms/qsign',
      audience: 'api',
      subject: 'user-1',
      currentDate: NOW,
      typ: 'application/jwt',
      maxTokenAge: '1h',
      requiredClaims: ['jti', 'roles'],
      algorithms: ['ML-DSA-65'],
    });
    expect(payload).toEqual({
      roles: ['admin'],
      iss: 'https://id.example/realms/qsign',
      aud: ['api', 'web'],
      sub: 'user-1',
      jti: 'j1',
      iat: T,
      nbf: T,
      exp: T + 7200,
    });
    expect(protectedHeader.kid).toBe(k65.privateKey.kid);
    expect(decodeJwt(jwt)).toEqual(payload);
    // Absolute numbers and Dates.
    const j2 = await new SignJWT({})
      .setProtectedHeader({ alg: 'ML-DSA-65' })
      .setExpirationTime(new Date((T + 5) * 1000))
      .setIssuedAt(T)
      .sign(k65.privateKey);
    expect(decodeJwt(j2)).toEqual({ exp: T + 5, iat: T });
    expect(await code(() => new SignJWT({}).setIssuer(42 as unknown as string))).toBe('ERR_INVALID_ARGUMENT');
    expect(await code(() => new SignJWT({}).setAudience(['a', 1 as unknown as string]))).toBe('ERR_INVALID_ARGUMENT');
    expect(await code(() => new SignJWT({}).setExpirationTime('tomorrow'))).toBe('ERR_INVALID_ARGUMENT');
  });

  it('ERR_JWT_EXPIRED at exp (with claim/reason), tolerated by clockTolerance; maxTokenAge too', async () => {
    const jwt = await new SignJWT({}, { currentDate: NOW })
      .setProtectedHeader({ alg: 'ML-DSA-65' })
      .setIssuedAt()
      .setExpirationTime(60)
      .sign(k65.privateKey);
    // setExpirationTime(60) is absolute epoch 60: long expired.
    const e = await jwtVerify(jwt, k65.publicKey, { currentDate: NOW }).catch((x) => x);
    expect(e).toBeInstanceOf(JWTExpired);
    expect(e.code).toBe(JoseErrorCodes.JWT_EXPIRED);
    expect([e.claim, e.reason]).toEqual(['exp', 'check_failed']);
    const j2 = await new SignJWT({}, { currentDate: NOW })
      .setProtectedHeader({ alg: 'ML-DSA-65' })
      .setIssuedAt()
      .setExpirationTime('10s')
      .sign(k65.privateKey);
    const at = (s: number) => new Date(NOW.getTime() + s * 1000);
    expect((await jwtVerify(j2, k65.publicKey, { currentDate: at(9) })).payload.exp).toBe(T + 10);
    expect(await code(jwtVerify(j2, k65.publicKey, { currentDate: at(10) }))).toBe('ERR_JWT_EXPIRED');
    expect((await jwtVerify(j2, k65.publicKey, { currentDate: at(12), clockTolerance: '5s' })).payload.iat).toBe(T);
    const age = await jwtVerify(j2, k65.publicKey, { currentDate: at(5), maxTokenAge: 2 }).catch((x) => x);
    expect([age.code, age.claim]).toEqual(['ERR_JWT_EXPIRED', 'iat']);
  });

  it('ERR_JWT_CLAIM_VALIDATION_FAILED with claim and reason for iss, aud, sub, nbf, typ, missing and invalid claims', async () => {
    const jwt = await new SignJWT({ iat: 'yesterday' as unknown as number }, { currentDate: NOW })
      .setProtectedHeader({ alg: 'ML-DSA-65', typ: 'at+jwt' })
      .setIssuer('i')
      .setAudience('a')
      .setSubject('s')
      .setNotBefore('1m')
      .sign(k65.privateKey);
    const check = async (opts: object, claim: string, reason: string) => {
      const e = await jwtVerify(jwt, k65.publicKey, { currentDate: new Date((T + 120) * 1000), ...opts }).catch(
        (x) => x,
      );
      expect(e).toBeInstanceOf(JWTClaimValidationFailed);
      expect([e.code, e.claim, e.reason]).toEqual(['ERR_JWT_CLAIM_VALIDATION_FAILED', claim, reason]);
      expect(e.payload.iss).toBe('i');
    };
    await check({ issuer: 'other' }, 'iss', 'check_failed');
    await check({ audience: ['x', 'y'] }, 'aud', 'check_failed');
    await check({ subject: 'nobody' }, 'sub', 'check_failed');
    await check({ typ: 'JWT' }, 'typ', 'check_failed');
    await check({ requiredClaims: ['jti'] }, 'jti', 'missing');
    await check({}, 'iat', 'invalid');
    const nbf = await new SignJWT({}, { currentDate: NOW })
      .setProtectedHeader({ alg: 'ML-DSA-65' })
      .setNotBefore('1m')
      .sign(k65.privateKey);
    const e = await jwtVerify(nbf, k65.publicKey, { currentDate: NOW }).catch((x) => x);
    expect([e.code, e.claim]).toEqual(['ERR_JWT_CLAIM_VALIDATION_FAILED', 'nbf']);
    expect((await jwtVerify(nbf, k65.publicKey, { currentDate: NOW, clockTolerance: 60 })).payload.nbf).toBe(T + 60);
  });

  it('ERR_JWT_INVALID: non-object payloads, b64:false JWTs, decodeJwt garbage', async () => {
    expect(await code(jwtVerify(await rawToken({ alg: 'ML-DSA-65' }, '[1,2]'), k65.publicKey))).toBe('ERR_JWT_INVALID');
    expect(await code(jwtVerify(await rawToken({ alg: 'ML-DSA-65' }, 'not json'), k65.publicKey))).toBe(
      'ERR_JWT_INVALID',
    );
    expect(
      await code(
        new SignJWT({}).setProtectedHeader({ alg: 'ML-DSA-65', b64: false, crit: ['b64'] }).sign(k65.privateKey),
      ),
    ).toBe('ERR_JWT_INVALID');
    expect(await code(() => decodeJwt('a.b'))).toBe('ERR_JWT_INVALID');
    expect(await code(() => decodeJwt(`x.${b64u('"str"')}.y`))).toBe('ERR_JWT_INVALID');
  });

  it('accepts a JWK directly as the verification key', async () => {
    const jwt = await new SignJWT({ a: 1 })
      .setProtectedHeader({ alg: 'ML-DSA-65' })
      .sign((await exportJWK(k65.privateKey)) as AkpJWK);
    expect((await jwtVerify(jwt, await exportJWK(k65.publicKey))).payload.a).toBe(1);
  });

  it('JWKS without kid: several candidates are each tried (ERR_JWKS_MULTIPLE_MATCHING_KEYS from the resolver itself)', async () => {
    const other = await generateKeyPair('ML-DSA-65');
    const set = createLocalJWKSet({
      keys: [await exportJWK(other.publicKey), await exportJWK(k65.publicKey)] as never,
    });
    expect(await code(set({ alg: 'ML-DSA-65' }))).toBe('ERR_JWKS_MULTIPLE_MATCHING_KEYS');
    const jwt = await new SignJWT({ a: 2 }).setProtectedHeader({ alg: 'ML-DSA-65' }).sign(k65.privateKey);
    const r = await jwtVerify(jwt, set);
    expect(r.key!.kid).toBe(k65.publicKey.kid);
    const stranger = await generateKeyPair('ML-DSA-65');
    const bad = await new SignJWT({}).setProtectedHeader({ alg: 'ML-DSA-65' }).sign(stranger.privateKey);
    expect(await code(jwtVerify(bad, set))).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  });
});

describe('robustness', () => {
  it('random strings and mutated tokens only ever fail with a QsignError (never a TypeError or a pass)', async () => {
    const jws = await new CompactSign(enc.encode('{"a":1}'))
      .setProtectedHeader({ alg: 'ML-DSA-44' })
      .sign(k44.privateKey);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc
            .tuple(fc.nat(jws.length - 1), fc.string({ minLength: 1, maxLength: 3 }))
            .map(([i, x]) => jws.slice(0, i) + x + jws.slice(i + 1)),
        ),
        async (t) => {
          fc.pre(t !== jws);
          const e = await jwtVerify(t, k44.publicKey).then(
            () => undefined,
            (x) => x,
          );
          return e instanceof QsignError;
        },
      ),
      { numRuns: 150 },
    );
  });

  it('every JOSE error code is asserted somewhere in the jose tests', () => {
    const dirs = ['test/unit', 'test/vectors', 'test/conformance'];
    const text = dirs
      .flatMap((d) =>
        readdirSync(d)
          .filter((f) => f.startsWith('jose'))
          .map((f) => readFileSync(`${d}/${f}`, 'utf8')),
      )
      .join('\n');
    const untested = Object.values(JoseErrorCodes).filter((c) => !text.includes(`'${c}'`));
    expect(untested).toEqual([]);
  });
});
