/*
 * issue 18 #5 (JOSE half) and #12: the JOSE parsers at their size limits
 * finish in time linear in the input, and the duplicate-refusing JSON parser
 * (src/util/json.ts) agrees with JSON.parse on every document without
 * duplicates and refuses everything JSON.parse refuses.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import { init, ml_dsa65 } from '../../src/index.js';
import {
  DEFAULT_MAX_TOKEN_SIZE,
  base64urlEncode,
  compactVerify,
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  importJWK,
  jwtVerify,
  type AkpKey,
} from '../../src/jose/index.js';
import { MAX_JWKS_BYTES } from '../../src/jose/jwks.js';
import { MAX_JSON_DEPTH, parseJsonStrict } from '../../src/util/json.js';
import { QsignError } from '../../src/errors.js';

const te = new TextEncoder();
let sk: Uint8Array;
let pub: AkpKey;
beforeAll(async () => {
  await init();
  const kp = ml_dsa65.keygen(new Uint8Array(32).fill(9));
  sk = kp.secretKey;
  pub = await importJWK({ kty: 'AKP', alg: 'ML-DSA-65', pub: base64urlEncode(kp.publicKey) });
});

async function timed(fn: () => unknown): Promise<{ ms: number; code: string | undefined }> {
  const t0 = performance.now();
  let code: string | undefined;
  try {
    await fn();
  } catch (e) {
    if (!(e instanceof QsignError)) throw e;
    code = e.code;
  }
  return { ms: performance.now() - t0, code };
}

function signed(headerJson: string, payloadJson: string): string {
  const input = `${base64urlEncode(te.encode(headerJson))}.${base64urlEncode(te.encode(payloadJson))}`;
  return `${input}.${base64urlEncode(ml_dsa65.sign(te.encode(input), sk))}`;
}

const strict = (t: string) => parseJsonStrict(t, (why) => new QsignError('ERR_TEST_JSON', why));

describe('issue 18 #5: JOSE parsers at their size limits take bounded, linear time', () => {
  // Payload size that fills DEFAULT_MAX_TOKEN_SIZE once header and signature are added.
  const room = Math.floor(((DEFAULT_MAX_TOKEN_SIZE - 5000) * 3) / 4);

  const payloads: [string, (n: number) => string][] = [
    ['many members', (n) => `{${Array.from({ length: Math.floor(n / 14) }, (_, i) => `"k${i}":${i}`).join(',')}}`],
    ['one long string full of escapes', (n) => `{"s":"${'\\u0061'.repeat(Math.floor(n / 6) - 2)}"}`],
    [
      'deep-ish nesting',
      (n) =>
        `{"a":${'['.repeat(MAX_JSON_DEPTH - 2)}${'1,'.repeat(n / 2 - MAX_JSON_DEPTH)}1${']'.repeat(MAX_JSON_DEPTH - 2)}}`,
    ],
  ];
  for (const [name, make] of payloads) {
    it(`JWT at DEFAULT_MAX_TOKEN_SIZE, payload with ${name}: jwtVerify/decodeJwt bounded, n vs 4n linear`, async () => {
      const full = signed('{"alg":"ML-DSA-65"}', make(room));
      expect(full.length).toBeLessThanOrEqual(DEFAULT_MAX_TOKEN_SIZE);
      expect(full.length).toBeGreaterThan(DEFAULT_MAX_TOKEN_SIZE * 0.9);
      const quarter = signed('{"alg":"ML-DSA-65"}', make(room / 4));
      const big = await timed(() => jwtVerify(full, pub));
      const small = await timed(() => jwtVerify(quarter, pub));
      expect(big.code).toBeUndefined();
      expect(big.ms).toBeLessThan(1500);
      expect(big.ms).toBeLessThan(Math.max(small.ms * 10, 200));
      const d = await timed(() => decodeJwt(full));
      expect(d.ms).toBeLessThan(1000);
    });
  }

  it('a protected header filling the token limit with near-duplicate names is parsed in bounded time', async () => {
    const names = Array.from({ length: 12_000 }, (_, i) => `"x${i}":0`).join(',');
    const jws = signed(`{"alg":"ML-DSA-65",${names}}`, '{}');
    expect(jws.length).toBeLessThanOrEqual(DEFAULT_MAX_TOKEN_SIZE);
    const r = await timed(() => decodeProtectedHeader(jws));
    expect(r.code).toBeUndefined();
    expect(r.ms).toBeLessThan(1000);
    // A duplicate at the very end is still found.
    const dup = signed(`{"alg":"ML-DSA-65",${names},"x0":1}`, '{}');
    expect((await timed(() => compactVerify(dup, pub))).code).toBe('ERR_JWS_INVALID');
  });

  it('one byte over DEFAULT_MAX_TOKEN_SIZE is refused before any parsing', async () => {
    const r = await timed(() => compactVerify('a'.repeat(DEFAULT_MAX_TOKEN_SIZE + 1), pub));
    expect(r.code).toBe('ERR_JWS_INVALID');
    expect(r.ms).toBeLessThan(200);
  });

  it(`a JWK Set response over MAX_JWKS_BYTES is refused while reading; one at the limit parses in bounded time`, async () => {
    const jwk = { kty: 'AKP', alg: 'ML-DSA-65', pub: base64urlEncode(pub._pub()) };
    let pad = '';
    const one = JSON.stringify({ keys: [jwk], pad });
    pad = 'p'.repeat(MAX_JWKS_BYTES - one.length);
    const atLimit = JSON.stringify({ keys: [jwk], pad });
    expect(atLimit.length).toBe(MAX_JWKS_BYTES);
    const remote = (body: string) =>
      createRemoteJWKSet(new URL('https://issuer.example/certs'), { fetch: async () => new Response(body) });
    const ok = await timed(() => remote(atLimit)({ alg: 'ML-DSA-65' }));
    expect(ok.code).toBeUndefined();
    expect(ok.ms).toBeLessThan(1000);
    const over = await timed(() => remote(atLimit + ' ')({ alg: 'ML-DSA-65' }));
    expect(over.code).toBe('ERR_JWKS_INVALID');
    // A local set of many keys selects in bounded time too.
    const many = createLocalJWKSet({ keys: Array.from({ length: 200 }, (_, i) => ({ ...jwk, kid: `k${i}` })) });
    const sel = await timed(() => many({ alg: 'ML-DSA-65', kid: 'k199' }));
    expect(sel.code).toBeUndefined();
    expect(sel.ms).toBeLessThan(2000);
  });
});

describe('issue 18 #12: parseJsonStrict is JSON.parse minus duplicates', () => {
  it('agrees with JSON.parse on generated JSON (no duplicates possible in JSON.stringify output)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => {
        const t = JSON.stringify(v, null, Math.random() < 0.5 ? 0 : 2);
        expect(strict(t)).toEqual(JSON.parse(t));
      }),
      { numRuns: 2000, seed: 18_12 },
    );
  });

  it('refuses exactly what JSON.parse refuses on mutated JSON text (or a duplicate name)', () => {
    const mutated = fc
      .tuple(
        fc.json({ maxDepth: 3 }),
        fc.nat(),
        fc.constantFrom('', '"', '\\', ',', '}', ']', ':', '\u0001', ' ', 'e', '-', '.', '0'),
      )
      .map(([t, at, c]) => {
        const i = at % (t.length + 1);
        return t.slice(0, i) + c + t.slice(i + (at % 2));
      });
    fc.assert(
      fc.property(mutated, (t) => {
        let want: unknown;
        let wantOk = true;
        try {
          want = JSON.parse(t);
        } catch {
          wantOk = false;
        }
        let got: unknown;
        let err: unknown;
        try {
          got = strict(t);
        } catch (e) {
          err = e;
        }
        if (err) {
          expect(err).toBeInstanceOf(QsignError);
          // Refused although JSON.parse accepts it: only for a duplicate member name or too much nesting.
          if (wantOk) expect((err as Error).message).toMatch(/duplicate member name|nesting deeper/);
        } else {
          expect(wantOk).toBe(true);
          expect(got).toEqual(want);
        }
      }),
      { numRuns: 5000, seed: 1812 },
    );
  });

  it('compares names after unescaping, including surrogate pairs and "__proto__"', () => {
    for (const t of [
      '{"a":1,"\\u0061":2}',
      '{"\\ud83d\\ude00":1,"😀":2}',
      '{"__proto__":1,"__proto__":2}',
      '{"a\\/b":1,"a/b":2}',
      '{"x":{"y":1},"x":{"y":1}}',
    ])
      expect(() => strict(t), t).toThrow(/duplicate member name/);
    // Same names in different objects are fine; "__proto__" stays an own property as with JSON.parse.
    expect(strict('{"a":{"a":1},"b":[{"a":1},{"a":2}]}')).toEqual({ a: { a: 1 }, b: [{ a: 1 }, { a: 2 }] });
    const p = strict('{"__proto__":{"polluted":1}}') as Record<string, unknown>;
    expect(Object.hasOwn(p, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it(`refuses nesting deeper than ${MAX_JSON_DEPTH} with a coded error (and huge depth in bounded time)`, () => {
    expect(strict('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH))).toBeDefined();
    expect(() => strict('['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1))).toThrow(/nesting deeper/);
    const t0 = performance.now();
    expect(() => strict('['.repeat(1_000_000))).toThrow(QsignError);
    expect(performance.now() - t0).toBeLessThan(200);
  });
});
