// examples/edge-verify end to end: the Worker bundle runs in workerd (capnp
// config, loopback-only outbound) and the same handler under Deno.serve, both
// verifying ML-DSA JWTs against a JWKS this test serves from 127.0.0.1.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SigningKeyRing, SignJWT, generateKeyPair } from '../../src/jose/index.js';
import { freePort } from '../helpers/ports.mjs';
import { startWorkerd, workerdConfig } from '../helpers/workerd.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const DENO = join(root, 'node_modules/@deno/linux-x64-glibc/deno');
const ISSUER = 'https://id.example/realms/qsign';
const AUDIENCE = 'api';

let ring: SigningKeyRing;
let jwksServer: Server;
let jwksUrl: string;
let jwksHits = 0;
let dir: string;
const children: ChildProcess[] = [];
const stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  ring = await SigningKeyRing.create({ alg: 'ML-DSA-65' });
  jwksServer = createServer(async (req, res) => {
    jwksHits++;
    res.writeHead(200, { 'content-type': 'application/jwk-set+json' });
    res.end(JSON.stringify(await ring.jwks()));
  });
  await new Promise<void>((r) => jwksServer.listen(0, '127.0.0.1', r));
  jwksUrl = `http://127.0.0.1:${(jwksServer.address() as { port: number }).port}/certs`;
  dir = mkdtempSync(join(tmpdir(), 'qsign-edge-verify-'));
});

afterAll(async () => {
  for (const stop of stops) await stop();
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  jwksServer?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The scenarios both runtimes must answer identically. */
async function exercise(base: string) {
  const good = await ring.sign({ iss: ISSUER, aud: AUDIENCE, sub: 'user-1', roles: ['reader'] }, { expiresIn: '5m' });
  const r1 = await fetch(base, { headers: { authorization: `Bearer ${good}` } });
  const b1 = (await r1.json()) as { claims: Record<string, unknown>; alg: string; kid: string };
  expect(r1.status).toBe(200);
  expect([b1.claims.sub, b1.alg, b1.kid]).toEqual(['user-1', 'ML-DSA-65', ring.active.kid]);

  const expired = await ring.sign({ iss: ISSUER, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) - 60 });
  const r2 = await fetch(base, { headers: { authorization: `Bearer ${expired}` } });
  expect(r2.status).toBe(401);
  expect(await r2.json()).toEqual({ error: 'token_expired', code: 'ERR_JWT_EXPIRED' });
  expect(r2.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);

  const [h, p, s] = good.split('.');
  const forgedPayload = Buffer.from(JSON.stringify({ iss: ISSUER, aud: AUDIENCE, sub: 'admin', exp: 4e9 })).toString(
    'base64url',
  );
  const r3 = await fetch(base, { headers: { authorization: `Bearer ${h}.${forgedPayload}.${s}` } });
  expect([r3.status, ((await r3.json()) as { error: string }).error]).toEqual([401, 'invalid_signature']);
  void p;

  const wrongAud = await ring.sign({ iss: ISSUER, aud: 'other' }, { expiresIn: '5m' });
  const r4 = await fetch(base, { headers: { authorization: `Bearer ${wrongAud}` } });
  expect(await r4.json()).toEqual({ error: 'invalid_claims', code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'aud' });

  const stranger = await generateKeyPair('ML-DSA-65');
  const foreign = await new SignJWT({ iss: ISSUER, aud: AUDIENCE })
    .setProtectedHeader({ alg: 'ML-DSA-65', kid: stranger.privateKey.kid })
    .setExpirationTime('5m')
    .sign(stranger.privateKey);
  const r5 = await fetch(base, { headers: { authorization: `Bearer ${foreign}` } });
  expect([r5.status, ((await r5.json()) as { error: string }).error]).toEqual([401, 'unknown_key']);

  const r6 = await fetch(base);
  expect([r6.status, ((await r6.json()) as { error: string }).error]).toEqual([401, 'missing_token']);
}

describe('edge-verify in workerd', () => {
  it('answers 200 with claims and 401 token_expired / invalid_signature / invalid_claims / unknown_key', async () => {
    const { bundleEdgeVerify } = await import('../../examples/edge-verify/build.mjs');
    const out = join(dir, 'workerd');
    await bundleEdgeVerify('workerd', out);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}/api`;
    const workerd = await startWorkerd({
      dir: out,
      probeUrl: base,
      args: ['--verbose'],
      config: workerdConfig({
        dir: out,
        port,
        workers: [
          {
            name: 'verifier',
            // worker.js and every wasm module the build copied beside it (one per family and build).
            modules: ['worker.js', ...readdirSync(out).filter((n) => n.endsWith('.wasm'))].map((name) =>
              name.endsWith('.wasm') ? { name, wasm: join(out, name) } : { name, esModule: join(out, name) },
            ),
            compatibilityDate: '2024-09-23',
            // As the example's wrangler.toml: native ML-DSA/ML-KEM in crypto.subtle.
            compatibilityFlags: ['webcrypto_modern_algorithms'],
            bindings: [
              `(name = "JWKS_URL", text = "${jwksUrl}")`,
              `(name = "ISSUER", text = "${ISSUER}")`,
              `(name = "AUDIENCE", text = "${AUDIENCE}")`,
            ],
            extra: ['globalOutbound = "loopback"'],
          },
        ],
        // Outbound traffic may only reach loopback: the test's JWKS server.
        services: ['(name = "loopback", network = (allow = ["local"]))'],
      }),
    });
    stops.push(workerd.stop);
    const before = jwksHits;
    await exercise(base);
    // The unknown kid triggered at most one refetch on top of the first fetch.
    expect(jwksHits - before).toBeLessThan(3);
    expect(jwksHits - before).toBeGreaterThan(0);
    await workerd.stop();
  });
});

describe('edge-verify under Deno.serve', () => {
  it('the same handler gives the same answers', async () => {
    const { bundleEdgeVerify } = await import('../../examples/edge-verify/build.mjs');
    const file = await bundleEdgeVerify('deno', join(dir, 'deno'));
    let log = '';
    const child = spawn(
      DENO,
      ['run', '--allow-net=127.0.0.1', `--allow-read=${join(root, 'wasm')}`, '--allow-env', '--no-prompt', file],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          JWKS_URL: jwksUrl,
          ISSUER,
          AUDIENCE,
          PORT: '0',
          DENO_DIR: join(root, '.cache/deno'),
          DENO_NO_UPDATE_CHECK: '1',
          NO_COLOR: '1',
        },
      },
    );
    children.push(child);
    const port = await new Promise<number>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`deno did not start: ${log}`)), 30_000);
      const on = (d: Buffer) => {
        log += d;
        const m = /listening on (\d+)/.exec(log);
        if (m) {
          clearTimeout(t);
          resolve(Number(m[1]));
        }
      };
      child.stdout!.on('data', on);
      child.stderr!.on('data', on);
      child.on('exit', () => {
        clearTimeout(t);
        reject(new Error(`deno exited: ${log}`));
      });
    });
    await exercise(`http://127.0.0.1:${port}/api`);
    child.kill('SIGTERM');
  });
});
