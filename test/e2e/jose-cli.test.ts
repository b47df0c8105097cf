// `qsign jwk …` / `qsign jwt …` through main(): generate → public → sign →
// verify against a JWKS file and a JWKS URL; invalid tokens exit 1 with the code.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import { main } from '../../src/cli/main.js';

async function run(...argv: string[]) {
  const out: string[] = [],
    err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

let dir: string;
let server: Server;
let jwksUrl: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'qsign-jose-cli-'));
  server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(readFileSync(join(dir, 'jwks.json')));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  jwksUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/certs`;
});
afterAll(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('qsign jwk / jwt', () => {
  it('generate → public → sign → verify (file and URL), exit codes 0/1/2', async () => {
    const key = join(dir, 'key.jwk');
    const g = await run('jwk', 'generate', '--alg', 'ML-DSA-44', '--out', key);
    expect(g.code).toBe(0);
    expect(statSync(key).mode & 0o777).toBe(0o600);
    const jwk = JSON.parse(readFileSync(key, 'utf8'));
    expect([jwk.kty, jwk.alg, Buffer.from(jwk.priv, 'base64url').length]).toEqual(['AKP', 'ML-DSA-44', 32]);

    const pub = await run('jwk', 'public', key, '--jwks');
    expect(pub.code).toBe(0);
    const jwks = JSON.parse(pub.out);
    expect(jwks.keys[0].priv).toBeUndefined();
    expect(jwks.keys[0].kid).toBe(jwk.kid);
    writeFileSync(join(dir, 'jwks.json'), pub.out);

    const s = await run(
      'jwt',
      'sign',
      '--key',
      key,
      '--claims',
      '{"roles":["admin"]}',
      '--exp',
      '1h',
      '--iss',
      'https://id',
      '--aud',
      'api',
      '--sub',
      'u1',
    );
    expect(s.code).toBe(0);
    const token = s.out.trim();
    expect(token.split('.')).toHaveLength(3);

    const v = await run(
      'jwt',
      'verify',
      '--jwks',
      join(dir, 'jwks.json'),
      '--iss',
      'https://id',
      '--aud',
      'api',
      token,
    );
    expect(v.code).toBe(0);
    const body = JSON.parse(v.out);
    expect([body.valid, body.payload.sub, body.payload.roles[0], body.protectedHeader.kid]).toEqual([
      true,
      'u1',
      'admin',
      jwk.kid,
    ]);

    const u = await run('jwt', 'verify', '--jwks', jwksUrl, '--iss', 'https://id', token);
    expect(u.code).toBe(0);

    const wrongAud = await run('jwt', 'verify', '--jwks', jwksUrl, '--aud', 'other', token);
    expect(wrongAud.code).toBe(1);
    expect(wrongAud.err).toMatch(/ERR_JWT_CLAIM_VALIDATION_FAILED \(claim aud\)/);

    const expired = (await run('jwt', 'sign', '--key', key, '--exp', '-1m')).out.trim();
    const e = await run('jwt', 'verify', '--jwks', join(dir, 'jwks.json'), expired);
    expect([e.code, JSON.parse(e.out).code]).toEqual([1, 'ERR_JWT_EXPIRED']);

    const forged = token.slice(0, -10) + 'AAAAAAAAAA';
    expect((await run('jwt', 'verify', '--jwks', join(dir, 'jwks.json'), forged)).err).toMatch(
      /ERR_JWS_SIGNATURE_VERIFICATION_FAILED/,
    );

    expect((await run('jwt', 'sign', '--claims', '{}')).code).toBe(2); // missing --key
    expect((await run('jwk', 'generate', '--alg', 'RS256')).code).toBe(2);
  });
});
