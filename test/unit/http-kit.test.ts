/*
 * The Vault-style HTTP kit (src/http/) on its own: canonical paths, request targets and Host values, bounded
 * JSON bodies, own-property field reads, the token matcher, and the error shape.
 */
import { describe, it, expect } from 'vitest';
import {
  canonicalPath,
  checkRequestTarget,
  isValidHost,
  field,
  readJsonBody,
  requestId,
  createTokenMatcher,
  vaultErrorResponse,
  HttpErrorCodes as H,
} from '../../src/http/index.js';
import { QsignError } from '../../src/errors.js';

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    return e instanceof QsignError ? e.code : 'not a QsignError';
  }
};

describe('canonicalPath', () => {
  it('decodes exactly once and keeps case', () => {
    expect(canonicalPath('/v1/oqs-transit/decrypt/p%61yroll')).toBe('/v1/oqs-transit/decrypt/payroll');
    expect(canonicalPath('/v1/Keys/A%2Eb')).toBe('/v1/Keys/A.b');
    expect(canonicalPath('/v1/k%C3%A9y')).toBe('/v1/kéy');
    expect(canonicalPath('/')).toBe('/');
    // Idempotent: a canonical path is its own canonical form.
    for (const p of ['/v1/oqs-transit/keys/a.b_c-d', '/v1/sys/health'])
      expect(canonicalPath(canonicalPath(p))).toBe(canonicalPath(p));
  });

  it('refuses every non-canonical spelling with ERR_HTTP_BAD_PATH', () => {
    for (const p of [
      '',
      'v1/x',
      '//v1/x',
      '/v1//x',
      '/v1/x/',
      '/v1/./x',
      '/v1/../x',
      '/v1/%2e/x',
      '/v1/%2E%2e/x',
      '/v1/a%2fb',
      '/v1/a%2Fb',
      '/v1/a%252fb',
      '/v1/a%25',
      '/v1/a%5cb',
      '/v1/a\\b',
      '/v1/a;b',
      '/v1/a%3bb',
      '/v1/a%00',
      '/v1/a%0a',
      '/v1/a%7f',
      '/v1/a%',
      '/v1/a%zz',
      '/v1/a%2',
      '/v1/%ff',
      '/v1/a b',
      '/v1/ké',
    ])
      expect(
        codeOf(() => canonicalPath(p)),
        JSON.stringify(p),
      ).toBe(H.BAD_PATH);
  });
});

describe('request targets and Host values (node:http adapter)', () => {
  it('accepts origin-form targets with a canonical path; refuses absolute and asterisk forms', () => {
    expect(checkRequestTarget('/v1/sys/health?x=/../y')).toBe('/v1/sys/health?x=/../y');
    for (const t of ['http://evil/v1/x', '*', '', 'v1/x', '/v1//x?ok', '/v1/x/#'])
      expect(
        codeOf(() => checkRequestTarget(t)),
        t,
      ).toBe(H.BAD_PATH);
  });

  it('isValidHost: host[:port] only', () => {
    for (const h of ['localhost', '127.0.0.1:8200', '[::1]', '[::1]:80', 'a-b.example', 'example.com.:443'])
      expect(isValidHost(h), h).toBe(true);
    for (const h of [
      '',
      'a b',
      'x/v1/keys',
      'a@b',
      'a?b',
      'a#b',
      '[::1',
      'h:99999',
      'h:',
      'h:port',
      '%41',
      '-a',
      'a\\b',
    ])
      expect(isValidHost(h), h).toBe(false);
  });
});

describe('bodies and fields', () => {
  const req = (body: BodyInit | null, headers: Record<string, string> = {}) =>
    new Request('http://t/', { method: 'POST', body, headers });

  it('reads a JSON object; empty is {}; refuses arrays, scalars, bad JSON and deep nesting', async () => {
    expect(await readJsonBody(req('{"a":1}'), { maxBytes: 100 })).toEqual({ a: 1 });
    expect(await readJsonBody(req(null), { maxBytes: 100 })).toEqual({});
    for (const b of [
      '[1]',
      '1',
      '"s"',
      'null',
      '{',
      '[[[[[{}]]]]]'.replace('{}', '{"a":' + '['.repeat(40) + ']'.repeat(40) + '}'),
    ]) {
      const e = await readJsonBody(req(b), { maxBytes: 1000 }).catch((x: unknown) => x);
      expect((e as QsignError).code, b.slice(0, 20)).toBe(H.BAD_BODY);
    }
  });

  it('refuses a body over the limit from Content-Length, and while streaming when it lies or is absent', async () => {
    const e1 = await readJsonBody(req('{}', { 'content-length': '1000' }), { maxBytes: 10 }).catch((x) => x);
    expect(e1.code).toBe(H.BODY_TOO_LARGE);
    const e2 = await readJsonBody(req('{"a":"' + 'x'.repeat(100) + '"}'), { maxBytes: 10 }).catch((x) => x);
    expect(e2.code).toBe(H.BODY_TOO_LARGE);
  });

  it('field() reads own properties only', () => {
    const body = JSON.parse('{"__proto__":"p","type":"t"}');
    expect(field(body, 'type')).toBe('t');
    expect(field(body, '__proto__')).toBe('p');
    expect(field(body, 'constructor')).toBe(undefined);
    expect(field(body, 'toString')).toBe(undefined);
  });
});

describe('request ids, tokens, errors', () => {
  it('request ids are random UUIDs', () => {
    const a = requestId();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(requestId()).not.toBe(a);
  });

  it('createTokenMatcher finds the entry, refuses unknown and short tokens', () => {
    const m = createTokenMatcher([
      { token: 'first-token-1', value: 1 },
      { token: 'second-token-2', value: 2 },
    ]);
    expect(m('first-token-1')).toBe(1);
    expect(m('second-token-2')).toBe(2);
    for (const t of [null, undefined, '', 'first-token-', 'first-token-1 ', 'FIRST-TOKEN-1'])
      expect(m(t)).toBe(undefined);
    expect(codeOf(() => createTokenMatcher([{ token: 'short', value: 0 }]))).toBe(H.CONFIG);
  });

  it("vaultErrorResponse: Vault's shape; kit codes keep their status; non-QsignErrors leak nothing", async () => {
    const r1 = vaultErrorResponse(new QsignError(H.BODY_TOO_LARGE, 'too big'), undefined, { withCode: true });
    expect([r1.status, await r1.json()]).toEqual([413, { errors: ['too big'], error_code: H.BODY_TOO_LARGE }]);
    const r2 = vaultErrorResponse(new Error('/etc/secret path'));
    expect([r2.status, await r2.json()]).toEqual([500, { errors: ['internal error'] }]);
  });
});
