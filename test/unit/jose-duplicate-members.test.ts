/*
 * issue 18 #12: a JOSE JSON object with duplicate member names is refused.
 * JSON.parse keeps the last duplicate, another parser may keep the first:
 * `{"alg":"none","alg":"ML-DSA-65"}` is a parser-differential hole (RFC 7515
 * §5.2 lets a recipient refuse it, RFC 8259 §4 leaves it undefined). Every
 * JOSE object read from the wire — protected header, JWT claims set, JWK Set
 * and discovery document — is parsed with a duplicate-detecting parser, and
 * names are compared after unescaping ("\u0061lg" is "alg").
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { init, ml_dsa65 } from '../../src/index.js';
import {
  compactVerify,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  discover,
  exportJWK,
  flattenedVerify,
  importJWK,
  jwtVerify,
  base64urlEncode,
  type AkpKey,
} from '../../src/jose/index.js';
import { QsignError } from '../../src/errors.js';

const te = new TextEncoder();
let sk: Uint8Array;
let pub: AkpKey;

beforeAll(async () => {
  await init();
  const kp = ml_dsa65.keygen(new Uint8Array(32).fill(7));
  sk = kp.secretKey;
  pub = await importJWK({ kty: 'AKP', alg: 'ML-DSA-65', pub: base64urlEncode(kp.publicKey) });
});

/** A compact JWS over the exact header and payload texts given, validly signed. */
function token(headerJson: string, payloadJson: string): string {
  const input = `${base64urlEncode(te.encode(headerJson))}.${base64urlEncode(te.encode(payloadJson))}`;
  return `${input}.${base64urlEncode(ml_dsa65.sign(te.encode(input), sk))}`;
}

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<{ code?: string; message: string }> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (e instanceof QsignError) return { code: e.code, message: e.message };
    return { message: `not a QsignError: ${(e as Error)?.name}: ${(e as Error)?.message}` };
  }
  return { message: 'accepted' };
}

describe('issue 18 #12: duplicate member names in JOSE JSON are refused', () => {
  const claims = '{"sub":"u1"}';

  it('control: the same token without a duplicate verifies', async () => {
    const r = await compactVerify(token('{"alg":"ML-DSA-65"}', claims), pub);
    expect(r.protectedHeader.alg).toBe('ML-DSA-65');
  });

  const headers: [string, string][] = [
    ['alg none then ML-DSA-65', '{"alg":"none","alg":"ML-DSA-65"}'],
    ['alg twice, same value', '{"alg":"ML-DSA-65","alg":"ML-DSA-65"}'],
    ['alg spelled with a \\u escape', '{"alg":"ML-DSA-65","\\u0061lg":"ML-DSA-65"}'],
    ['kid duplicated with an escaped solidus', '{"alg":"ML-DSA-65","k\\/id":"a","k/id":"b"}'],
    ['crit duplicated', '{"alg":"ML-DSA-65","crit":["b64"],"b64":true,"crit":[]}'],
    ['duplicate in a nested object', '{"alg":"ML-DSA-65","jwk":{"kty":"AKP","kty":"AKP"}}'],
  ];
  for (const [name, header] of headers) {
    it(`protected header, ${name}: compactVerify, flattenedVerify, jwtVerify and decodeProtectedHeader refuse it`, async () => {
      const jws = token(header, claims);
      const [p, payload, signature] = jws.split('.') as [string, string, string];
      for (const r of [
        await codeOf(compactVerify(jws, pub)),
        await codeOf(flattenedVerify({ protected: p, payload, signature }, pub)),
        await codeOf(jwtVerify(jws, pub)),
        await codeOf(() => decodeProtectedHeader(jws)),
      ]) {
        expect(r.code, r.message).toBe('ERR_JWS_INVALID');
        expect(r.message).toMatch(/duplicate member name/);
      }
    });
  }

  it('JWT claims set with a duplicate "sub" (also escaped) is refused by jwtVerify and decodeJwt', async () => {
    for (const c of ['{"sub":"alice","sub":"admin"}', '{"sub":"alice","\\u0073ub":"admin"}']) {
      const jws = token('{"alg":"ML-DSA-65"}', c);
      for (const r of [await codeOf(jwtVerify(jws, pub)), await codeOf(() => decodeJwt(jws))]) {
        expect(r.code, r.message).toBe('ERR_JWT_INVALID');
        expect(r.message).toMatch(/duplicate member name/);
      }
    }
  });

  it('a JWK Set from the wire with a duplicate member (in the set or in a key) is refused', async () => {
    const jwk = await exportJWK(pub);
    const good = JSON.stringify({ keys: [jwk] });
    const bodies = [
      good.replace('"keys":', '"keys":[],"keys":'),
      good.replace('"kty":"AKP"', '"kty":"AKP","kty":"AKP"'),
      good.replace('"pub":', '"p\\u0075b":"AAAA","pub":'),
    ];
    for (const body of bodies) {
      const set = createRemoteJWKSet(new URL('https://issuer.example/certs'), {
        fetch: async () => new Response(body, { headers: { 'content-type': 'application/json' } }),
      });
      const r = await codeOf(set({ alg: 'ML-DSA-65' }));
      expect(r.code, r.message).toBe('ERR_JWKS_INVALID');
      expect(r.message).toMatch(/duplicate member name/);
    }
  });

  it('a discovery document with a duplicate "jwks_uri" is refused', async () => {
    const body =
      '{"issuer":"https://issuer.example","jwks_uri":"https://issuer.example/certs","jwks_uri":"https://evil.example/certs"}';
    const r = await codeOf(
      discover('https://issuer.example', { fetch: async () => new Response(body, { status: 200 }) }),
    );
    expect(r.code, r.message).toBe('ERR_DISCOVERY_FAILED');
    expect(r.message).toMatch(/duplicate member name/);
  });
});

describe('issue 18 #12: the CLI reads JWK files and --claims with the same strict parser', () => {
  it('`qsign jwk public` on a JWK file with "kty" twice, and `qsign jwt sign --claims` with "sub" twice, exit 2', async () => {
    const { main } = await import('../../src/cli/main.js');
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'qsign-dup-'));
    try {
      const run = async (...argv: string[]) => {
        const err: string[] = [];
        const code = await main(argv, { out: () => {}, err: (s) => err.push(s) });
        return { code, err: err.join('\n') };
      };
      const jwk = JSON.stringify(await exportJWK(pub));
      const file = join(dir, 'dup.jwk');
      writeFileSync(file, jwk.replace('"kty":"AKP"', '"kty":"AKP","kty":"AKP"'));
      const r = await run('jwk', 'public', file);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/duplicate member name "kty"/);
      const good = join(dir, 'key.jwk');
      expect((await run('jwk', 'generate', '--alg', 'ML-DSA-44', '--out', good)).code).toBe(0);
      const s = await run('jwt', 'sign', '--key', good, '--claims', '{"sub":"a","sub":"b"}');
      expect(s.code).toBe(2);
      expect(s.err).toMatch(/duplicate member name "sub"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
