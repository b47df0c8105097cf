// SigningKeyRing (seed §8.2 Keycloak rotation) with a fake clock, and the
// fetch-style /certs and discovery handlers end to end with a remote JWKS.
import { describe, it, expect } from 'vitest';
import {
  SigningKeyRing,
  createIssuerHandler,
  createRemoteJWKSet,
  discover,
  jwtVerify,
  decodeProtectedHeader,
  KeyInUse,
} from '../../src/jose/index.js';

const code = async (p: Promise<unknown> | (() => unknown)) => {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return (e as { code: string }).code;
  }
  return 'no error';
};

describe('SigningKeyRing', () => {
  it('rotate(): new active key signs, old one turns passive and still verifies via the JWKS', async () => {
    const now = Date.UTC(2026, 0, 1);
    const ring = await SigningKeyRing.create({ alg: 'ML-DSA-65', now: () => now });
    const k1 = ring.active.kid;
    const t1 = await ring.sign({ sub: 'u', iss: 'i' }, { expiresIn: '1h' });
    expect(decodeProtectedHeader(t1)).toEqual({ typ: 'JWT', alg: 'ML-DSA-65', kid: k1 });
    const k2 = await ring.rotate();
    expect(k2).not.toBe(k1);
    expect(ring.entries().map((e) => [e.kid, e.status])).toEqual([
      [k2, 'active'],
      [k1, 'passive'],
    ]);
    const t2 = await ring.sign({ sub: 'u' }, { expiresIn: 60 });
    expect(decodeProtectedHeader(t2).kid).toBe(k2);
    const jwks = await ring.jwks();
    expect(jwks.keys.map((k) => k.kid)).toEqual([k2, k1]);
    expect(jwks.keys.every((k) => k.priv === undefined && k.use === 'sig')).toBe(true);
    const { createLocalJWKSet } = await import('../../src/jose/index.js');
    const set = createLocalJWKSet(jwks);
    const currentDate = new Date(now);
    expect((await jwtVerify(t1, set, { currentDate })).key!.kid).toBe(k1);
    expect((await jwtVerify(t2, set, { currentDate })).key!.kid).toBe(k2);
    // Disabled keys leave the JWKS, so their tokens stop verifying.
    ring.setStatus(k1, 'disabled');
    expect((await ring.jwks()).keys.map((k) => k.kid)).toEqual([k2]);
    expect(await code(jwtVerify(t1, createLocalJWKSet(await ring.jwks()), { currentDate }))).toBe(
      'ERR_JWKS_NO_MATCHING_KEY',
    );
  });

  it('ERR_KEY_IN_USE: removal refused while its tokens may be valid, allowed after exp + grace or with force', async () => {
    let now = Date.UTC(2026, 0, 1);
    const ring = await SigningKeyRing.create({ alg: 'ML-DSA-44', now: () => now, removalGrace: 60 });
    const k1 = ring.active.kid;
    await ring.sign({}, { expiresIn: '10m' });
    await ring.sign({}, { expiresIn: '1h' });
    await ring.sign({}, { expiresIn: '5m' });
    expect(ring.entries()[0]!.latestExp).toBe(now / 1000 + 3600);
    expect(await code(() => ring.remove(k1))).toBe('ERR_KEY_IN_USE'); // active
    await ring.rotate();
    const e = (() => {
      try {
        ring.remove(k1);
      } catch (x) {
        return x as KeyInUse;
      }
    })()!;
    expect(e).toBeInstanceOf(KeyInUse);
    expect([e.code, e.kid, e.inUseUntil]).toEqual(['ERR_KEY_IN_USE', k1, now / 1000 + 3600]);
    now += 3600_000 + 59_000; // exp passed but inside the grace period
    expect(await code(() => ring.remove(k1))).toBe('ERR_KEY_IN_USE');
    now += 2_000;
    ring.remove(k1);
    expect(ring.entries().map((x) => x.kid)).not.toContain(k1);
    // force removes despite live tokens; a token without exp pins the key forever.
    const k2 = ring.active.kid;
    await ring.sign({ sub: 'forever' });
    await ring.rotate();
    now += 10 * 365 * 86400_000;
    expect(await code(() => ring.remove(k2))).toBe('ERR_KEY_IN_USE');
    ring.remove(k2, { force: true });
    expect(ring.get(k2)).toBeUndefined();
  });

  it('serialize/restore keeps seeds, statuses and in-use bookkeeping', async () => {
    const now = Date.UTC(2026, 5, 1);
    const ring = await SigningKeyRing.create({ now: () => now });
    const k1 = ring.active.kid;
    await ring.sign({}, { expiresIn: '2h' });
    await ring.rotate();
    await ring.sign({});
    const json = ring.serialize();
    const back = await SigningKeyRing.restore(json, { now: () => now });
    expect(back.entries()).toEqual(ring.entries());
    expect(await code(() => back.remove(k1))).toBe('ERR_KEY_IN_USE');
    const t = await back.sign({ x: 1 }, { expiresIn: 10 });
    expect((await jwtVerify(t, back.active, { currentDate: new Date(now) })).payload.x).toBe(1);
    expect(await code(SigningKeyRing.restore('{"version":2,"keys":[]}'))).toBe('ERR_INVALID_ARGUMENT');
    ring.destroy();
    expect(ring.entries()).toEqual([]);
  });
});

describe('createIssuerHandler', () => {
  it('serves /certs and discovery; a verifier discovers, fetches the JWKS and verifies across rotation', async () => {
    const ring = await SigningKeyRing.create();
    const issuer = 'https://id.example/realms/qsign';
    const handler = createIssuerHandler(ring, { issuer, maxAge: 120 });
    const f = ((url: string | URL | Request, init?: RequestInit) => handler(new Request(url, init))) as typeof fetch;
    const certs = await handler(new Request(`${issuer}/certs`));
    expect(certs.status).toBe(200);
    expect(certs.headers.get('cache-control')).toBe('public, max-age=120');
    expect(certs.headers.get('content-type')).toBe('application/jwk-set+json');
    expect((await handler(new Request(`${issuer}/other`))).status).toBe(404);
    expect((await handler(new Request(`${issuer}/certs`, { method: 'POST' }))).status).toBe(405);
    const meta = await discover(issuer, { fetch: f });
    expect(meta.jwks_uri).toBe(`${issuer}/certs`);
    expect(meta.id_token_signing_alg_values_supported).toEqual(['ML-DSA-65']);
    let clock = 0;
    const JWKS = createRemoteJWKSet(new URL(meta.jwks_uri), { fetch: f, now: () => clock });
    const t1 = await ring.sign({ iss: issuer, aud: 'api' }, { expiresIn: '5m' });
    expect((await jwtVerify(t1, JWKS, { issuer, audience: 'api' })).payload.iss).toBe(issuer);
    await ring.rotate();
    const t2 = await ring.sign({ iss: issuer, aud: 'api' }, { expiresIn: '5m' });
    clock += 60_000; // past the cooldown: the unknown kid triggers one refetch
    expect((await jwtVerify(t2, JWKS, { issuer, audience: 'api' })).key!.kid).toBe(ring.active.kid);
    expect((await jwtVerify(t1, JWKS, { issuer, audience: 'api' })).payload.aud).toBe('api');
  });
});
