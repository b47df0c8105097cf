// Local and remote JWK Sets with a fake fetch and a fake clock: selection by
// kid+alg, caching, one refetch on unknown kid outside the cooldown, no
// refetch loops, shared in-flight requests, timeouts, cache seeding, discovery.
import { describe, it, expect, beforeAll } from 'vitest';
import {
  generateKeyPair,
  exportJWK,
  SignJWT,
  jwtVerify,
  createLocalJWKSet,
  createRemoteJWKSet,
  discover,
  jwksCache,
  JWKSNoMatchingKey,
  type AkpKey,
  type JSONWebKeySet,
} from '../../src/jose/index.js';

const code = async (p: Promise<unknown>) =>
  p.then(
    () => 'no error',
    (e) => e.code as string,
  );

let a: { publicKey: AkpKey; privateKey: AkpKey };
let b: { publicKey: AkpKey; privateKey: AkpKey };
let c44: { publicKey: AkpKey; privateKey: AkpKey };
beforeAll(async () => {
  a = await generateKeyPair('ML-DSA-65', { seed: new Uint8Array(32).fill(11) });
  b = await generateKeyPair('ML-DSA-65', { seed: new Uint8Array(32).fill(12) });
  c44 = await generateKeyPair('ML-DSA-44', { seed: new Uint8Array(32).fill(13) });
});

const token = (k: AkpKey, header: Record<string, unknown> = {}) =>
  new SignJWT({ sub: 'u' }).setProtectedHeader({ alg: k.alg, kid: k.kid, ...header }).sign(k);

/** A fake JWKS server: counts calls, serves whatever `current` holds. */
function fakeServer(initial: JSONWebKeySet) {
  const s = {
    current: initial as unknown,
    calls: 0,
    status: 200,
    delayMs: 0,
    lastInit: undefined as RequestInit | undefined,
    fetch: (async (_url: string, init?: RequestInit) => {
      s.calls++;
      s.lastInit = init;
      if (s.delayMs) {
        await new Promise<void>((resolve, reject) => {
          const t = setTimeout(resolve, s.delayMs);
          init?.signal?.addEventListener('abort', () => {
            clearTimeout(t);
            reject(new DOMException('aborted', 'AbortError'));
          });
        });
      }
      return new Response(JSON.stringify(s.current), {
        status: s.status,
        headers: { 'content-type': 'application/json' },
      });
    }) as unknown as typeof fetch,
  };
  return s;
}

describe('createLocalJWKSet', () => {
  it('selects by kid and alg, skips non-AKP and use:enc keys, never yields private keys', async () => {
    const privJwk = await exportJWK(a.privateKey).catch(() => undefined);
    const set = createLocalJWKSet({
      keys: [
        { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: a.publicKey.kid },
        { ...(await exportJWK(b.publicKey)), use: 'enc' },
        await exportJWK(b.publicKey),
        await exportJWK(c44.publicKey),
        privJwk ?? (await exportJWK(a.publicKey)),
      ] as never,
    });
    expect((await set({ alg: 'ML-DSA-65', kid: b.publicKey.kid })).kid).toBe(b.publicKey.kid);
    expect((await set({ alg: 'ML-DSA-44' })).kid).toBe(c44.publicKey.kid);
    expect(await code(set({ alg: 'ML-DSA-87' }))).toBe('ERR_JWKS_NO_MATCHING_KEY');
    expect(await code(set({ alg: 'ML-DSA-44', kid: b.publicKey.kid }))).toBe('ERR_JWKS_NO_MATCHING_KEY');
    const k = await set({ alg: 'ML-DSA-65', kid: a.publicKey.kid });
    expect(k.type).toBe('public');
    expect((await jwtVerify(await token(b.privateKey), set)).payload.sub).toBe('u');
  });

  it('ERR_JWKS_INVALID for a malformed set', () => {
    expect(() => createLocalJWKSet({ keys: 'nope' } as never)).toThrow(
      expect.objectContaining({ code: 'ERR_JWKS_INVALID' }),
    );
  });
});

describe('createRemoteJWKSet', () => {
  it('fetches once, caches, and sends the configured headers without following redirects', async () => {
    const srv = fakeServer({ keys: [await exportJWK(a.publicKey)] });
    const JWKS = createRemoteJWKSet(new URL('https://id.example/certs'), {
      fetch: srv.fetch,
      headers: { 'x-api': '1' },
    });
    const t = await token(a.privateKey);
    await jwtVerify(t, JWKS);
    await jwtVerify(t, JWKS);
    expect(srv.calls).toBe(1);
    expect(new Headers(srv.lastInit!.headers).get('x-api')).toBe('1');
    expect(srv.lastInit!.redirect).toBe('manual');
    expect(JWKS.fresh).toBe(true);
  });

  it('unknown kid: refetches once outside the cooldown (rotation), never inside it', async () => {
    let now = 1_000_000;
    const srv = fakeServer({ keys: [await exportJWK(a.publicKey)] });
    const JWKS = createRemoteJWKSet(new URL('https://id.example/certs'), {
      fetch: srv.fetch,
      now: () => now,
      cooldownDuration: 30_000,
    });
    await jwtVerify(await token(a.privateKey), JWKS);
    expect(srv.calls).toBe(1);
    // Issuer rotates to b; inside the cooldown an unknown kid does not refetch.
    srv.current = { keys: [await exportJWK(b.publicKey), await exportJWK(a.publicKey)] };
    const tb = await token(b.privateKey);
    expect(await code(jwtVerify(tb, JWKS))).toBe('ERR_JWKS_NO_MATCHING_KEY');
    expect(srv.calls).toBe(1);
    now += 30_001;
    expect((await jwtVerify(tb, JWKS)).key!.kid).toBe(b.publicKey.kid);
    expect(srv.calls).toBe(2);
    // A bogus kid after the refetch: one refetch at most, then cooldown again.
    now += 30_001;
    const bogus = await token(a.privateKey, { kid: 'bogus' });
    expect(await code(jwtVerify(bogus, JWKS))).toBe('ERR_JWKS_NO_MATCHING_KEY');
    expect(srv.calls).toBe(3);
    for (let i = 0; i < 5; i++) expect(await code(jwtVerify(bogus, JWKS))).toBe('ERR_JWKS_NO_MATCHING_KEY');
    expect(srv.calls).toBe(3);
    expect(JWKS.coolingDown).toBe(true);
  });

  it('refetches when the cache is older than cacheMaxAge', async () => {
    let now = 0;
    const srv = fakeServer({ keys: [await exportJWK(a.publicKey)] });
    const JWKS = createRemoteJWKSet(new URL('https://id.example/certs'), {
      fetch: srv.fetch,
      now: () => now,
      cacheMaxAge: 60_000,
    });
    const t = await token(a.privateKey);
    await jwtVerify(t, JWKS);
    now = 59_999;
    await jwtVerify(t, JWKS);
    expect(srv.calls).toBe(1);
    now = 60_000;
    await jwtVerify(t, JWKS);
    expect(srv.calls).toBe(2);
  });

  it('concurrent verifications share one request', async () => {
    const srv = fakeServer({ keys: [await exportJWK(a.publicKey)] });
    srv.delayMs = 30;
    const JWKS = createRemoteJWKSet(new URL('https://id.example/certs'), { fetch: srv.fetch });
    const t = await token(a.privateKey);
    await Promise.all([jwtVerify(t, JWKS), jwtVerify(t, JWKS), jwtVerify(t, JWKS)]);
    expect(srv.calls).toBe(1);
  });

  it('ERR_JWKS_TIMEOUT: aborts the request after timeoutDuration', async () => {
    const srv = fakeServer({ keys: [] });
    srv.delayMs = 5_000;
    const JWKS = createRemoteJWKSet(new URL('https://id.example/certs'), { fetch: srv.fetch, timeoutDuration: 50 });
    const t = await token(a.privateKey);
    const started = Date.now();
    expect(await code(jwtVerify(t, JWKS))).toBe('ERR_JWKS_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(srv.lastInit!.signal!.aborted).toBe(true);
  });

  it('non-200 and non-JWKS responses fail with ERR_JWKS_FETCH_FAILED / ERR_JWKS_INVALID', async () => {
    const srv = fakeServer({ keys: [] });
    srv.status = 500;
    expect(await code(createRemoteJWKSet(new URL('https://x/certs'), { fetch: srv.fetch })({ alg: 'ML-DSA-65' }))).toBe(
      'ERR_JWKS_FETCH_FAILED',
    );
    srv.status = 200;
    srv.current = { nope: true };
    expect(await code(createRemoteJWKSet(new URL('https://x/certs'), { fetch: srv.fetch })({ alg: 'ML-DSA-65' }))).toBe(
      'ERR_JWKS_INVALID',
    );
  });

  it('is seeded from and writes back to a [jwksCache] object', async () => {
    let now = 500_000;
    const srv = fakeServer({ keys: [await exportJWK(b.publicKey)] });
    const cache = { jwks: { keys: [await exportJWK(a.publicKey)] } as JSONWebKeySet, uat: now - 1000 };
    const JWKS = createRemoteJWKSet(new URL('https://id.example/certs'), {
      fetch: srv.fetch,
      now: () => now,
      [jwksCache]: cache,
    });
    await jwtVerify(await token(a.privateKey), JWKS);
    expect(srv.calls).toBe(0); // fresh cache, no network
    now += 600_001;
    await jwtVerify(await token(b.privateKey), JWKS);
    expect(srv.calls).toBe(1);
    expect(cache.uat).toBe(now);
    expect((cache.jwks.keys[0] as { kid: string }).kid).toBe(b.publicKey.kid);
  });

  it('unknown kid error is a JWKSNoMatchingKey instance', async () => {
    const srv = fakeServer({ keys: [await exportJWK(a.publicKey)] });
    const JWKS = createRemoteJWKSet(new URL('https://id.example/certs'), { fetch: srv.fetch });
    const e = await JWKS({ alg: 'ML-DSA-65', kid: 'nope' }).catch((x) => x);
    expect(e).toBeInstanceOf(JWKSNoMatchingKey);
  });
});

describe('discover', () => {
  it('reads /.well-known/openid-configuration and checks the issuer', async () => {
    const meta = { issuer: 'https://id.example/realms/qsign', jwks_uri: 'https://id.example/realms/qsign/certs' };
    let asked = '';
    const f = (async (url: string) => {
      asked = url;
      return Response.json(meta);
    }) as unknown as typeof fetch;
    expect(await discover('https://id.example/realms/qsign', { fetch: f })).toEqual(meta);
    expect(asked).toBe('https://id.example/realms/qsign/.well-known/openid-configuration');
    expect(await code(discover('https://evil.example/realms/qsign', { fetch: f }))).toBe('ERR_DISCOVERY_FAILED');
  });
});
