// RFC 9964 (draft-ietf-cose-dilithium) JOSE examples and the IETF hackathon
// JOSE/COSE v1 artifacts (noble-ref, py-ref): every JWS verifies with our
// implementation, every kid equals its RFC 7638 thumbprint, every private
// JWK's seed re-derives its pub, and re-signing with the seeds round-trips.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { vectorPath, loadJson, hex } from '../helpers/vectors.js';
import {
  compactVerify,
  importJWK,
  exportJWK,
  calculateJwkThumbprint,
  importRaw,
  CompactSign,
  decodeProtectedHeader,
  createLocalJWKSet,
  importSPKI,
  importPKCS8,
  exportSPKI,
  exportPKCS8,
  exportRaw,
  SignJWT,
  jwtVerify,
  type AkpJWK,
} from '../../src/jose/index.js';

const ALGS = ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'] as const;
/** The fields of a draft example file the tests read (hex unless said otherwise). */
interface DraftExample {
  jwk: AkpJWK;
  /** Compact JWS. */
  jws: string;
  raw_public_key: string;
  raw_to_be_signed: string;
  raw_signature: string;
  /** The seed. */
  priv: string;
}
const text = (rel: string) => readFileSync(vectorPath(rel), 'utf8').trim();
const b64uToBytes = (s: string) => Uint8Array.from(Buffer.from(s, 'base64url'));

describe('RFC 9964 draft examples', () => {
  for (const alg of ALGS) {
    const v = loadJson<DraftExample>(`jose-cose/draft-examples/ML_DSA_${alg.slice(-2)}.jose.json`);
    it(`${alg}: JWS verifies, kid is the thumbprint, seed derives pub`, async () => {
      const pub = await importJWK(v.jwk);
      expect(pub.alg).toBe(alg);
      expect(await calculateJwkThumbprint(v.jwk)).toBe(v.jwk.kid);
      expect(pub.publicKey).toEqual(hex(v.raw_public_key));
      const { payload, protectedHeader } = await compactVerify(v.jws, v.jwk);
      expect(new TextDecoder().decode(payload)).toBe('It’s a dangerous business, Frodo, going out your door.');
      expect(protectedHeader).toEqual({ alg, kid: v.jwk.kid });
      // The signing input and the raw signature are the compact parts.
      const [h, p, s] = v.jws.split('.');
      expect(Buffer.from(`${h}.${p}`).toString('hex')).toBe(v.raw_to_be_signed);
      expect(Buffer.from(s, 'base64url').toString('hex')).toBe(v.raw_signature);
      // The all-zero seed in "priv" (hex) derives the published key.
      const priv = await importRaw(alg, hex(v.priv), 'seed');
      expect(priv.publicKey).toEqual(hex(v.raw_public_key));
      expect(priv.kid).toBe(v.jwk.kid);
    });
    it(`${alg}: a flipped signature bit fails with ERR_JWS_SIGNATURE_VERIFICATION_FAILED`, async () => {
      const [h, p, s] = v.jws.split('.');
      const sig = b64uToBytes(s);
      sig[100]! ^= 1;
      await expect(compactVerify(`${h}.${p}.${Buffer.from(sig).toString('base64url')}`, v.jwk)).rejects.toMatchObject({
        code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      });
    });
  }
});

for (const set of ['noble-ref', 'py-ref'] as const) {
  describe(`IETF hackathon JOSE/COSE v1: ${set}`, () => {
    const dir = `jose-cose/hackathon-pqc-jose-cose-${set}`;
    for (const alg of ALGS) {
      it(`${alg}: JWS verifies via a JWKS, kids are thumbprints, priv matches pub, re-sign round-trips`, async () => {
        const pubJwk = loadJson<AkpJWK>(`${dir}/${alg}_jwk_pub.json`);
        const privJwk = loadJson<AkpJWK>(`${dir}/${alg}_jwk_priv.json`);
        const jws = text(`${dir}/${alg}_jws.txt`);
        const payloadText = text(`${dir}/payload.txt`);
        expect(await calculateJwkThumbprint(pubJwk)).toBe(pubJwk.kid);
        expect(await calculateJwkThumbprint(privJwk)).toBe(privJwk.kid);
        expect(decodeProtectedHeader(jws).kid).toBe(pubJwk.kid);
        const r = await compactVerify(jws, createLocalJWKSet({ keys: [pubJwk] }), { algorithms: [alg] });
        expect(new TextDecoder().decode(r.payload)).toBe(payloadText);
        expect(r.key!.kid).toBe(pubJwk.kid);
        const priv = await importJWK(privJwk);
        expect(priv.type).toBe('private');
        const exported = await exportJWK(priv);
        expect(exported.priv).toBe(privJwk.priv);
        expect(exported.pub).toBe(pubJwk.pub);
        const ours = await new CompactSign(new TextEncoder().encode(payloadText))
          .setProtectedHeader({ alg, kid: priv.kid })
          .sign(priv);
        expect((await compactVerify(ours, pubJwk)).payload).toEqual(new TextEncoder().encode(payloadText));
      });
    }
  });
}

describe('RFC 9881 PEM keys through the X.509 codec (lamps-wg examples, seed 000102…1f)', () => {
  for (const alg of ALGS) {
    it(`${alg}: importPKCS8 (seed and both forms) pairs with importSPKI; expanded-only is refused; exports round-trip`, async () => {
      const dir = 'x509/lamps-dilithium-certificates';
      const spki = text(`${dir}/${alg}.pub`);
      const pub = await importSPKI(spki, alg);
      const priv = await importPKCS8(text(`${dir}/${alg}-seed.priv`), alg, { extractable: true });
      expect(await exportRaw(priv, 'seed')).toEqual(Uint8Array.from({ length: 32 }, (_, i) => i));
      expect(priv.kid).toBe(pub.kid);
      expect((await importPKCS8(text(`${dir}/${alg}-both.priv`), alg)).kid).toBe(pub.kid);
      await expect(importPKCS8(text(`${dir}/${alg}-expanded.priv`), alg)).rejects.toMatchObject({
        code: 'ERR_JOSE_NOT_SUPPORTED',
      });
      await expect(importSPKI(spki, alg === 'ML-DSA-44' ? 'ML-DSA-65' : 'ML-DSA-44')).rejects.toMatchObject({
        code: 'ERR_JWK_INVALID',
      });
      const jwt = await new SignJWT({ x: alg }).setProtectedHeader({ alg }).sign(priv);
      expect((await jwtVerify(jwt, pub)).payload.x).toBe(alg);
      expect((await exportSPKI(pub)).replace(/\s+/g, '')).toBe(spki.replace(/\s+/g, ''));
      expect((await exportPKCS8(priv)).replace(/\s+/g, '')).toBe(text(`${dir}/${alg}-seed.priv`).replace(/\s+/g, ''));
    });
  }
});
