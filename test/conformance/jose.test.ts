// JOSE conformance subset for every runtime (Node, Deno, Bun, workerd,
// browsers): sign + verify, the RFC 9964 ML-DSA-44 example, and error paths.
import { describe, it, expect } from '../helpers/harness.js';
import {
  generateKeyPair,
  SignJWT,
  jwtVerify,
  compactVerify,
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
} from '../../src/jose/index.js';
import vector from '../helpers/fixtures/jose-rfc9964-ml-dsa-44.json';

const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => 'no error',
    (e: { code?: string }) => e?.code,
  );

describe('jose', () => {
  it('ML-DSA-65 JWT sign + verify through a local JWKS', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ML-DSA-65');
    const jwt = await new SignJWT({ sub: 'u1' })
      .setProtectedHeader({ alg: 'ML-DSA-65', kid: privateKey.kid })
      .setIssuer('https://id.example')
      .setAudience('api')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    const jwks = createLocalJWKSet({ keys: [await exportJWK(publicKey)] });
    const { payload, key } = await jwtVerify(jwt, jwks, {
      issuer: 'https://id.example',
      audience: 'api',
      algorithms: ['ML-DSA-65'],
    });
    expect(payload.sub).toBe('u1');
    expect(key!.kid).toBe(publicKey.kid);
  });

  it('RFC 9964 ML-DSA-44 example verifies and its kid is the RFC 7638 thumbprint', async () => {
    const { payload } = await compactVerify(vector.jws, vector.jwk as never);
    expect(new TextDecoder().decode(payload)).toBe('It’s a dangerous business, Frodo, going out your door.');
    expect(await calculateJwkThumbprint(vector.jwk as never)).toBe(vector.jwk.kid);
  });

  it('error paths: expired, bad signature, alg none', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ML-DSA-44');
    const expired = await new SignJWT({})
      .setProtectedHeader({ alg: 'ML-DSA-44' })
      .setExpirationTime('-1m')
      .sign(privateKey);
    expect(await codeOf(jwtVerify(expired, publicKey))).toBe('ERR_JWT_EXPIRED');
    const [h, , s] = expired.split('.');
    expect(await codeOf(jwtVerify(`${h}.e30.${s}`, publicKey))).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
    expect(await codeOf(jwtVerify(`eyJhbGciOiJub25lIn0.e30.`, publicKey))).toBe('ERR_JOSE_ALG_NOT_ALLOWED');
  });
});
