// Detached JWS with an unencoded payload (RFC 7797) over a stream: the
// signature is over BASE64URL(header) || "." || raw payload, checked here
// by an independent ML-DSA (@noble/post-quantum), by the in-memory
// flattenedVerify with crit { b64: true }, and by the streaming verifier.
import { describe, it, expect, beforeAll } from 'vitest';
import { ml_dsa44 as nobleDsa44 } from '@noble/post-quantum/ml-dsa.js';
import { init } from '../../src/index.js';
import {
  base64urlDecode,
  createLocalJWKSet,
  exportJWK,
  flattenedVerify,
  generateKeyPair,
  signDetached,
  verifyDetached,
  type AkpKey,
} from '../../src/jose/index.js';

let pair: { privateKey: AkpKey; publicKey: AkpKey };
const payload = new TextEncoder().encode('{"doc":"contract.pdf","note":"any bytes, even . and ~"}\n'.repeat(5000));

async function* chunks(data: Uint8Array, n = 65_521): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < data.length; at += n) yield data.subarray(at, at + n);
}

beforeAll(async () => {
  await init();
  pair = await generateKeyPair('ML-DSA-44', { extractable: true });
});

describe('detached JWS (RFC 7797, b64: false) over streams', () => {
  it('signDetached → header..signature with b64:false/crit, verified by noble over the RFC 7797 signing input', async () => {
    const jws = await signDetached(chunks(payload), pair.privateKey, { protectedHeader: { typ: 'doc+jws' } });
    const [h, p, s] = jws.split('.');
    expect(p).toBe('');
    const header = JSON.parse(new TextDecoder().decode(base64urlDecode(h!)));
    expect(header).toMatchObject({
      alg: 'ML-DSA-44',
      b64: false,
      crit: ['b64'],
      typ: 'doc+jws',
      kid: pair.privateKey.kid,
    });
    const input = new Uint8Array([...new TextEncoder().encode(h + '.'), ...payload]);
    expect(nobleDsa44.verify(base64urlDecode(s!), input, pair.publicKey.publicKey)).toBe(true);
  });

  it('verifyDetached over a stream; the in-memory flattened verifier agrees; a changed byte fails', async () => {
    const jws = await signDetached([payload], pair.privateKey);
    const r = await verifyDetached(jws, chunks(payload, 4097), pair.publicKey);
    expect(r.payloadLength).toBe(payload.length);
    expect(r.protectedHeader.b64).toBe(false);
    const [h, , s] = jws.split('.');
    const flat = await flattenedVerify(
      { protected: h!, payload: new TextDecoder().decode(payload), signature: s! },
      pair.publicKey,
      { crit: { b64: true }, maxTokenSize: 1 << 20 },
    );
    expect(flat.payload.length).toBe(payload.length);
    const bad = payload.slice();
    bad[123_456]! ^= 1;
    await expect(verifyDetached(jws, chunks(bad), pair.publicKey)).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });
  });

  it('a JWKS with the key verifies and names it; wrong key, attached tokens, b64 without crit and disallowed alg are refused', async () => {
    const other = await generateKeyPair('ML-DSA-44');
    const jwks = createLocalJWKSet({ keys: [await exportJWK(other.publicKey), await exportJWK(pair.publicKey)] });
    const jws = await signDetached([payload], pair.privateKey, { deterministic: true });
    expect((await verifyDetached(jws, [payload], jwks)).key?.kid).toBe(pair.publicKey.kid);
    await expect(verifyDetached(jws, [payload], other.publicKey)).rejects.toMatchObject({
      code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    });
    const [h, , s] = jws.split('.');
    await expect(verifyDetached(`${h}.eA.${s}`, [payload], pair.publicKey)).rejects.toMatchObject({
      code: 'ERR_JWS_INVALID',
    });
    const noCrit = Buffer.from(JSON.stringify({ alg: 'ML-DSA-44', b64: false })).toString('base64url');
    await expect(verifyDetached(`${noCrit}..${s}`, [payload], pair.publicKey)).rejects.toMatchObject({
      code: 'ERR_JWS_INVALID',
    });
    await expect(verifyDetached(jws, [payload], pair.publicKey, { algorithms: ['ML-DSA-87'] })).rejects.toMatchObject({
      code: 'ERR_JOSE_ALG_NOT_ALLOWED',
    });
    // Deterministic signing: the same input gives the same JWS.
    expect(await signDetached(chunks(payload), pair.privateKey, { deterministic: true })).toBe(jws);
  });
});
