/*
 * Regression tests for the transit findings of the security review (issue 18): items 2, 4, 8, 10, 11, and the
 * HTTP half of item 5 (the PKI handler). Each test reproduces the attack as the review did it.
 */
import { describe, it, expect } from 'vitest';
import {
  Keyring,
  memoryStore,
  durableObjectStore,
  generateMasterKey,
  masterKeyFromBytes,
  createTransitHandler,
  AuditLog,
  memoryAuditSink,
  TransitErrorCodes as C,
  toBase64,
  type TransitStore,
  type AuthConfig,
} from '../../src/transit/index.js';
import { createPkiHandler } from '../../src/x509/index.js';
import { QsignError } from '../../src/errors.js';
import { ml_kem768 } from '../../src/kem/index.js';
import { ml_dsa44 } from '../../src/sig/index.js';
import { init } from '../../src/index.js';
import { fakeDoStorage } from '../helpers/fake-do-storage.js';
import { newWrappingKey } from '../../src/transit/byok.js';
import { constants, createCipheriv, createPublicKey, publicEncrypt, randomBytes as nodeRandom } from 'node:crypto';

await init();
const te = new TextEncoder();
const ROOT = 'root-token-0123456789';
const NOPAY = 'nopay-token-0123456789';
const b64 = (s: string) => toBase64(te.encode(s));
/**
 * One master key and BYOK wrapping key for every deployment (an RSA-4096 key generation each would be slow), and
 * a valid import ciphertext for it: a route that leaked past the policy would import, not fail validation.
 */
const SHARED_MASTER = (await generateMasterKey()).masterKey;
const WRAPPING_ENTRY = await newWrappingKey(SHARED_MASTER);
const IMPORT_CIPHERTEXT = await (async () => {
  const k = new Keyring({ store: memoryStore(), masterKey: SHARED_MASTER });
  await k.store.put('_wrapping-key', WRAPPING_ENTRY, undefined);
  const eph = nodeRandom(32);
  const rsa = publicEncrypt(
    { key: createPublicKey(await k.wrappingKey()), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    eph,
  );
  const kwp = createCipheriv('id-aes256-wrap-pad', eph, Buffer.from('A65959A6', 'hex'));
  return Buffer.concat([rsa, kwp.update(nodeRandom(64)), kwp.final()]).toString('base64');
})();

/** Every transit route on key `payroll` (a KEM key) or `payroll-sig` (an ML-DSA key), with a method and a body. */
interface RouteCase {
  method: string;
  path: string;
  body?: unknown;
}

async function deployment() {
  const store = memoryStore();
  const keyring = new Keyring({ store, masterKey: SHARED_MASTER });
  await store.put('_wrapping-key', WRAPPING_ENTRY, undefined);
  // Exportable, so a leaked export route would hand out key material (a 200), not a refusal.
  await keyring.createKey('payroll', { type: 'ml-kem-768', deletion_allowed: true, exportable: true });
  await keyring.createKey('payroll-sig', { type: 'ml-dsa-44', deletion_allowed: true, exportable: true });
  await keyring.createKey('open', { type: 'ml-kem-768' });
  const { ciphertext } = await keyring.encrypt('payroll', te.encode('salary: 1 000 000'));
  const { signature } = await keyring.sign('payroll-sig', te.encode('m'));
  const backup = await keyring.backup('payroll');
  const { hmac } = await keyring.hmac('payroll', te.encode('m'));
  const routes: RouteCase[] = [
    { method: 'GET', path: 'keys/payroll' },
    { method: 'POST', path: 'keys/payroll', body: {} },
    { method: 'PUT', path: 'keys/payroll', body: {} },
    { method: 'DELETE', path: 'keys/payroll' },
    { method: 'POST', path: 'keys/payroll/config', body: { deletion_allowed: true } },
    { method: 'POST', path: 'keys/payroll/rotate', body: {} },
    { method: 'POST', path: 'keys/payroll/trim', body: { min_available_version: 1 } },
    { method: 'POST', path: 'encrypt/payroll', body: { plaintext: b64('x') } },
    { method: 'PUT', path: 'encrypt/payroll', body: { plaintext: b64('x') } },
    { method: 'POST', path: 'decrypt/payroll', body: { ciphertext } },
    { method: 'POST', path: 'rewrap/payroll', body: { ciphertext } },
    { method: 'POST', path: 'datakey/plaintext/payroll', body: {} },
    { method: 'POST', path: 'datakey/wrapped/payroll', body: {} },
    { method: 'POST', path: 'sign/payroll-sig', body: { input: b64('m') } },
    { method: 'POST', path: 'sign/payroll-sig/sha2-256', body: { input: b64('m') } },
    { method: 'POST', path: 'verify/payroll-sig', body: { input: b64('m'), signature } },
    { method: 'GET', path: 'export/public-key/payroll' },
    { method: 'GET', path: 'export/public-key/payroll/1' },
    { method: 'GET', path: 'backup/payroll' },
    { method: 'POST', path: 'restore/payroll', body: { backup, force: true } },
    // Issue 22: the Vault endpoints added later, key-specific and not.
    { method: 'POST', path: 'hmac/payroll', body: { input: b64('m') } },
    { method: 'POST', path: 'hmac/payroll/sha3-256', body: { input: b64('m') } },
    { method: 'POST', path: 'verify/payroll', body: { input: b64('m'), hmac } },
    { method: 'POST', path: 'verify/payroll/sha2-256', body: { input: b64('m'), hmac } },
    { method: 'GET', path: 'export/encryption-key/payroll' },
    { method: 'GET', path: 'export/hmac-key/payroll/1' },
    { method: 'GET', path: 'export/signing-key/payroll-sig/latest' },
    { method: 'POST', path: 'keys/payroll-new/import', body: { ciphertext: IMPORT_CIPHERTEXT } },
    { method: 'GET', path: 'wrapping_key' },
    { method: 'POST', path: 'hash', body: { input: b64('m') } },
    { method: 'POST', path: 'hash/sha3-512', body: { input: b64('m') } },
    { method: 'POST', path: 'random', body: {} },
    { method: 'POST', path: 'random/48', body: {} },
    { method: 'POST', path: 'random/platform/48', body: {} },
  ];
  // One policy: everything under the mount, except each route above, which is denied exactly (docs/transit.md shape).
  const auth: AuthConfig = {
    tokens: [
      { token: ROOT, policies: ['root'] },
      { token: NOPAY, policies: ['nopay'] },
    ],
    policies: {
      nopay: [
        { path: 'oqs-transit/*', capabilities: ['create', 'read', 'update', 'delete', 'list'] },
        ...routes.map((r) => ({ path: `oqs-transit/${r.path}`, capabilities: ['deny' as const] })),
      ],
    },
  };
  const handler = createTransitHandler({ keyring, auth });
  const call = async (method: string, rawPath: string, body?: unknown, token = NOPAY) => {
    const res = await handler(
      new Request(`http://transit.test${rawPath}`, {
        method,
        headers: { 'x-vault-token': token },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
    return { status: res.status, text: await res.text() };
  };
  return { keyring, store, routes, call };
}

/** Spellings of `/v1/oqs-transit/<route>` a lax router might take for the same resource. */
function spellings(route: string): string[] {
  const parts = route.split('/');
  const last = parts.length - 1;
  const withSeg = (i: number, f: (s: string) => string) => parts.map((s, j) => (j === i ? f(s) : s)).join('/');
  return [
    `/v1/oqs-transit/${route}/`,
    `/v1/oqs-transit/${route}//`,
    `/v1/oqs-transit//${route}`,
    `/v1//oqs-transit/${route}`,
    `//v1/oqs-transit/${route}`,
    `/v1/oqs-transit/${parts.join('//')}`,
    `/v1/oqs-transit/./${route}`,
    `/v1/oqs-transit/${route}/.`,
    `/v1/oqs-transit/x/../${route}`,
    `/v1/oqs-transit/%2e/${route}`,
    `/v1/oqs-transit/%2E%2E/oqs-transit/${route}`,
    `/v1/oqs-transit/${parts.join('%2f')}`,
    `/v1/oqs-transit/${parts.join('%2F')}`,
    `/v1/oqs-transit/${parts.join('%252f')}`,
    `/v1/oqs-transit/${withSeg(last, (s) => s.replace('p', '%70'))}`,
    `/v1/oqs-transit/${withSeg(last, (s) => s.replace('p', '%2570'))}`,
    `/v1/oqs-transit/${withSeg(0, (s) => s.replace(/^./, (c) => `%${c.charCodeAt(0).toString(16)}`))}`,
    `/v1/OQS-TRANSIT/${route}`,
    `/v1/oqs-transit/${withSeg(0, (s) => s.toUpperCase())}`,
    `/v1/oqs-transit/${route}%00`,
    `/v1/oqs-transit/${route}%20`,
    `/v1/oqs-transit/${route};x`,
    `/v1/oqs-transit/${parts.join('\\')}`,
  ];
}

describe('item 2: policy deny over path spellings', () => {
  it('policy deny cannot be bypassed by path spelling (every route, method and spelling)', async () => {
    const { routes, call, keyring } = await deployment();
    const leaks: string[] = [];
    for (const r of routes) {
      // The deny applies to the canonical spelling (a 403 from the policy, not a 404 from the router).
      const denied = await call(r.method, `/v1/oqs-transit/${r.path}`, r.body);
      expect(denied.status, `${r.method} ${r.path}`).toBe(403);
    }
    // Every route path × every method × every spelling, each with the route's own body.
    const paths = new Map(routes.map((r) => [r.path, r.body]));
    for (const [path, body] of paths) {
      for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'LIST', 'PATCH']) {
        const withBody = method === 'GET' || method === 'HEAD' ? undefined : body;
        for (const p of spellings(path)) {
          const res = await call(method, p, withBody);
          if (res.status < 300) leaks.push(`${method} ${p} → ${res.status} ${res.text.slice(0, 60)}`);
          expect(res.status, `${method} ${p}`).not.toBe(500);
        }
      }
    }
    expect(leaks).toEqual([]);
    // The destructive routes left the keys as they were.
    expect((await keyring.readKey('payroll')).latest_version).toBe(1);
    expect(await keyring.listKeys()).toEqual(['open', 'payroll', 'payroll-sig']);
  });

  it('the issue-22 routes in the deny table are live: each answers 2xx for a token the policy allows', async () => {
    const { routes, call, keyring } = await deployment();
    const start = routes.findIndex((r) => r.path === 'hmac/payroll');
    expect(start).toBeGreaterThan(0);
    for (const r of routes.slice(start)) {
      const res = await call(r.method, `/v1/oqs-transit/${r.path}`, r.body, ROOT);
      expect(res.status, `${r.method} ${r.path}: ${res.text.slice(0, 80)}`).toBeLessThan(300);
    }
    expect(await keyring.listKeys()).toContain('payroll-new');
  });

  it('paths are case-sensitive as in Vault: another case names another key, never the denied one', async () => {
    const { call, keyring } = await deployment();
    const { ciphertext } = await keyring.encrypt('payroll', te.encode('salary'));
    expect((await call('POST', '/v1/oqs-transit/decrypt/PAYROLL', { ciphertext })).status).toBe(404);
    expect((await call('POST', '/v1/oqs-transit/decrypt/Payroll', { ciphertext })).status).toBe(404);
    expect((await call('DELETE', '/v1/oqs-transit/keys/PAYROLL')).status).toBe(404);
    expect((await call('GET', '/v1/oqs-transit/backup/PAYROLL')).status).toBe(404);
    expect(await keyring.listKeys()).toEqual(['open', 'payroll', 'payroll-sig']);
  });

  it('the canonical spelling still works for the allowed key and for root', async () => {
    const { call } = await deployment();
    expect((await call('POST', '/v1/oqs-transit/encrypt/open', { plaintext: b64('x') })).status).toBe(200);
    expect((await call('POST', '/v1/oqs-transit/encrypt/payroll', { plaintext: b64('x') }, ROOT)).status).toBe(200);
    expect((await call('GET', '/v1/oqs-transit/keys?list=true')).status).toBe(200);
    expect((await call('LIST', '/v1/oqs-transit/keys')).status).toBe(200);
  });

  it('non-canonical spellings are refused with 400 before routing, with a coded error', async () => {
    const { call } = await deployment();
    for (const p of [
      '/v1/oqs-transit/encrypt/open/',
      '/v1/oqs-transit//encrypt/open',
      '/v1/oqs-transit/encrypt%2fopen',
      '/v1/oqs-transit/encrypt/op%2570en',
    ]) {
      const res = await call('POST', p, { plaintext: b64('x') }, ROOT);
      expect(res.status, p).toBe(400);
      expect(JSON.parse(res.text).errors[0], p).toMatch(/path/);
    }
  });
});

describe('item 3 in fetch runtimes that build req.url from the Host header (Deno.serve)', () => {
  it('the Host header cannot rewrite the routed path, whichever runtime built the URL', async () => {
    const keyring = new Keyring({ store: memoryStore(), masterKey: (await generateMasterKey()).masterKey });
    const handler = createTransitHandler({ keyring, auth: { tokens: [{ token: ROOT, policies: ['root'] }] } });
    // What Deno.serve hands over for `POST /v1/sys/health` with `Host: x/v1/oqs-transit/keys/hosty?`.
    const host = 'x/v1/oqs-transit/keys/hosty?';
    const res = await handler(
      new Request(`http://${host}/v1/sys/health`, {
        method: 'POST',
        headers: { host, 'x-vault-token': ROOT },
        body: '{}',
      }),
    );
    expect(res.status).toBe(400);
    expect(await keyring.listKeys()).toEqual([]);
    const pki = createPkiHandler({ token: 'pki-token-0123456789' });
    const r2 = await pki(
      new Request('http://x/v1/oqs-pki/roles/r?/v1/oqs-pki/cert/ca', {
        method: 'POST',
        headers: { host: 'x/v1/oqs-pki/roles/r?', 'x-vault-token': 'pki-token-0123456789' },
        body: '{}',
      }),
    );
    expect(r2.status).toBe(400);
  });
});

/** Stores every TransitStore implementation the keyring runs on in Node unit tests (SQLite: test/e2e). */
const stores: [string, () => TransitStore][] = [
  ['memory', () => memoryStore()],
  ['durable object', () => durableObjectStore(fakeDoStorage())],
];

/** The stored key document as an attacker with store access sees it. */
interface KeyDoc {
  [field: string]: unknown;
  versions: Record<string, { public_key: string; sealed: string }>;
}

/** Rewrites the stored JSON of `name` without the master key, as anyone with write access to the store can. */
async function tamper(store: TransitStore, name: string, f: (rec: KeyDoc) => void): Promise<void> {
  const row = (await store.get(name))!;
  const rec = JSON.parse(row.json);
  f(rec.record ?? rec);
  expect(await store.put(name, JSON.stringify(rec), row.revision)).toBe(row.revision + 1);
}

const refusedAsTampered = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(QsignError);
  expect((e as QsignError).code).toBe(C.RECORD_TAMPERED);
};

for (const [label, make] of stores) {
  describe(`item 4: key records are authenticated (${label} store)`, () => {
    it('a public key written into a KEM record is refused, not encrypted to', async () => {
      const store = make();
      const keyring = new Keyring({ store, masterKey: (await generateMasterKey()).masterKey });
      await keyring.createKey('k');
      const attacker = ml_kem768.keygen();
      await tamper(store, 'k', (r) => (r.versions['1'].public_key = toBase64(attacker.publicKey)));
      await refusedAsTampered(keyring.encrypt('k', te.encode('secret')));
      await refusedAsTampered(keyring.readKey('k'));
    });

    it("an attacker's ML-DSA public key in a record does not make verify answer valid", async () => {
      const store = make();
      const keyring = new Keyring({ store, masterKey: (await generateMasterKey()).masterKey });
      await keyring.createKey('s', { type: 'ml-dsa-44' });
      const attacker = ml_dsa44.keygen();
      const forged = `vault:v1:${toBase64(ml_dsa44.sign(te.encode('pay mallory'), attacker.secretKey))}`;
      await tamper(store, 's', (r) => (r.versions['1'].public_key = toBase64(attacker.publicKey)));
      await refusedAsTampered(keyring.verify('s', te.encode('pay mallory'), forged));
    });

    it('policy fields (deletion_allowed, exportable, min_decryption_version, auto_rotate_period) are covered', async () => {
      const store = make();
      const keyring = new Keyring({ store, masterKey: (await generateMasterKey()).masterKey });
      await keyring.createKey('p');
      await keyring.rotateKey('p');
      await keyring.configKey('p', { min_decryption_version: 2 });
      const edits: ((r: KeyDoc) => void)[] = [
        (r) => (r.deletion_allowed = true),
        (r) => (r.exportable = true),
        (r) => (r.min_decryption_version = 1),
        (r) => (r.auto_rotate_period = 7200),
        (r) => (r.latest_version = 1),
        (r) => delete r.versions['2'],
        (r) => (r.type = 'ml-kem-1024'),
      ];
      for (const edit of edits) {
        const clean = (await store.get('p'))!;
        await tamper(store, 'p', edit);
        await refusedAsTampered(keyring.readKey('p'));
        await refusedAsTampered(keyring.deleteKey('p'));
        await refusedAsTampered(keyring.configKey('p', { deletion_allowed: false }));
        const now = (await store.get('p'))!;
        expect(await store.put('p', clean.json, now.revision)).toBe(now.revision + 1);
        expect((await keyring.readKey('p')).min_decryption_version).toBe(2);
      }
    });

    it('a record copied under another name is refused (the MAC is bound to the name)', async () => {
      const store = make();
      const keyring = new Keyring({ store, masterKey: (await generateMasterKey()).masterKey });
      await keyring.createKey('a');
      await keyring.createKey('b');
      const a = (await store.get('a'))!;
      const b = (await store.get('b'))!;
      await store.put('b', a.json, b.revision);
      await refusedAsTampered(keyring.readKey('b'));
      expect((await keyring.readKey('a')).name).toBe('a');
    });

    it('a record from another master key is refused', async () => {
      const store = make();
      await new Keyring({ store, masterKey: await masterKeyFromBytes(new Uint8Array(32).fill(1)) }).createKey('k');
      const other = new Keyring({ store, masterKey: await masterKeyFromBytes(new Uint8Array(32).fill(2)) });
      await refusedAsTampered(other.readKey('k'));
    });
  });
}

describe('item 4: refusal reaches the audit log; format-1 records migrate', () => {
  it('a tampered record is refused over HTTP with its code in the audit log', async () => {
    const store = memoryStore();
    const keyring = new Keyring({ store, masterKey: (await generateMasterKey()).masterKey });
    await keyring.createKey('k');
    await tamper(store, 'k', (r) => (r.exportable = true));
    const sink = memoryAuditSink();
    const handler = createTransitHandler({
      keyring,
      auth: { tokens: [{ token: ROOT, policies: ['root'] }] },
      audit: new AuditLog(sink),
    });
    const res = await handler(
      new Request('http://t/v1/oqs-transit/encrypt/k', {
        method: 'POST',
        headers: { 'x-vault-token': ROOT },
        body: JSON.stringify({ plaintext: b64('x') }),
      }),
    );
    expect(res.status).toBe(500);
    expect((await res.json()).errors).toEqual(['key record failed its integrity check']);
    const response = JSON.parse(sink.lines.at(-1)!);
    expect(response.error_code).toBe(C.RECORD_TAMPERED);
  });

  it('an unauthenticated format-1 record is migrated on first load when its public keys match its sealed seeds', async () => {
    const store = memoryStore();
    const masterKey = await masterKeyFromBytes(new Uint8Array(32).fill(9));
    const keyring = new Keyring({ store, masterKey });
    await keyring.createKey('legacy', { deletion_allowed: true });
    const { ciphertext } = await keyring.encrypt('legacy', te.encode('kept'));
    // Downgrade the stored record to the pre-MAC shape (format 1, plain JSON).
    const row = (await store.get('legacy'))!;
    const inner = JSON.parse(row.json).record;
    inner.format = 1;
    await store.put('legacy', JSON.stringify(inner), row.revision);
    const fresh = new Keyring({ store, masterKey });
    expect(new TextDecoder().decode((await fresh.decrypt('legacy', ciphertext)).plaintext)).toBe('kept');
    expect(JSON.parse((await store.get('legacy'))!.json).format).toBe(2);
  });

  it('a format-1 record whose public key does not come from its sealed seed is refused, not migrated', async () => {
    const store = memoryStore();
    const masterKey = await masterKeyFromBytes(new Uint8Array(32).fill(9));
    await new Keyring({ store, masterKey }).createKey('legacy');
    const row = (await store.get('legacy'))!;
    const inner = JSON.parse(row.json).record;
    inner.format = 1;
    inner.versions['1'].public_key = toBase64(ml_kem768.keygen().publicKey);
    await store.put('legacy', JSON.stringify(inner), row.revision);
    await refusedAsTampered(new Keyring({ store, masterKey }).encrypt('legacy', te.encode('x')));
  });
});

describe('item 8: user-supplied names are not looked up on prototypes', () => {
  it('__proto__ / constructor as key type, route or alias is a 400, not a 500', async () => {
    const keyring = new Keyring({ store: memoryStore(), masterKey: (await generateMasterKey()).masterKey });
    const handler = createTransitHandler({ keyring, auth: { tokens: [{ token: ROOT, policies: ['root'] }] } });
    const send = (method: string, path: string, body?: unknown) =>
      handler(
        new Request(`http://t${path}`, {
          method,
          headers: { 'x-vault-token': ROOT },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
      ).then((r) => r.status);
    for (const t of ['__proto__', 'constructor', 'toString', 'hasOwnProperty'])
      expect(await send('POST', `/v1/oqs-transit/keys/k-${t.length}`, { type: t }), t).toBe(400);
    await keyring.createKey('real');
    for (const op of ['constructor', '__proto__', 'toString', 'valueOf'])
      expect(await send('POST', `/v1/oqs-transit/${op}/real`, {}), op).toBe(404);
    expect(await send('POST', '/v1/oqs-transit/keys/new', { type: 'ml-dsa', parameter_set: 'constructor' })).toBe(400);
  });

  it('a policy or token named after an Object.prototype member grants nothing', async () => {
    const keyring = new Keyring({ store: memoryStore(), masterKey: (await generateMasterKey()).masterKey });
    const handler = createTransitHandler({
      keyring,
      auth: { tokens: [{ token: 'proto-token-0123', policies: ['constructor', '__proto__', 'toString'] }] },
    });
    const res = await handler(
      new Request('http://t/v1/oqs-transit/keys/x', {
        method: 'POST',
        headers: { 'x-vault-token': 'proto-token-0123' },
      }),
    );
    expect(res.status).toBe(403);
  });
});

describe('item 8: the client', () => {
  it('TransitClient maps a server message named after an Object.prototype member to a string code', async () => {
    const { TransitClient } = await import('../../src/transit/index.js');
    for (const message of ['constructor', 'toString', '__proto__']) {
      const client = new TransitClient({
        address: 'http://t',
        token: ROOT,
        fetch: async () => new Response(JSON.stringify({ errors: [message] }), { status: 400 }),
      });
      const e = await client.encrypt('k', te.encode('x')).catch((x: unknown) => x);
      expect(e, message).toBeInstanceOf(QsignError);
      expect((e as QsignError).code, message).toBe(C.INVALID_REQUEST);
    }
  });
});

describe('item 10: auto_rotate_period', () => {
  it('auto_rotate_period below one hour is refused with Vault’s error; 0 disables', async () => {
    const keyring = new Keyring({ store: memoryStore(), masterKey: (await generateMasterKey()).masterKey });
    for (const p of [1, '1s', '59m', 3599, '59m59s']) {
      const e = await keyring.createKey(`k${String(p).length}${typeof p}`, { auto_rotate_period: p }).catch((x) => x);
      expect(e, String(p)).toBeInstanceOf(QsignError);
      expect(e.message).toBe('auto rotate period must be 0 to disable or at least an hour');
    }
    await keyring.createKey('k', { auto_rotate_period: '1h' });
    expect((await keyring.readKey('k')).auto_rotate_period).toBe(3600);
    await expect(keyring.configKey('k', { auto_rotate_period: 1 })).rejects.toThrow(/at least an hour/);
    expect((await keyring.configKey('k', { auto_rotate_period: 0 })).auto_rotate_period).toBe(0);
  });
});

describe('item 11: audit log', () => {
  it('audit entries carry only HMACs of request values, error messages included', async () => {
    const keyring = new Keyring({ store: memoryStore(), masterKey: (await generateMasterKey()).masterKey });
    const sink = memoryAuditSink();
    const handler = createTransitHandler({
      keyring,
      auth: { tokens: [{ token: ROOT, policies: ['root'] }] },
      audit: new AuditLog(sink),
    });
    const MARK = 'PlaintextMarker';
    const send = (path: string, body: unknown) =>
      handler(
        new Request(`http://t${path}`, {
          method: 'POST',
          headers: { 'x-vault-token': ROOT },
          body: JSON.stringify(body),
        }),
      );
    await send('/v1/oqs-transit/keys/a', { type: `${MARK}1` });
    await send('/v1/oqs-transit/keys/b', { auto_rotate_period: `${MARK}2` });
    await send('/v1/oqs-transit/keys/c', { type: 'ml-dsa', parameter_set: `${MARK}3` });
    await send('/v1/oqs-transit/keys/d', { type: 'ml-kem-768', exportable: `${MARK}4` });
    await keyring.createKey('e');
    await send('/v1/oqs-transit/encrypt/e', { plaintext: `${MARK}5!` });
    await send('/v1/oqs-transit/encrypt/e', { batch_input: [{ plaintext: `${MARK}6!` }] });
    const log = sink.lines.join('\n');
    expect(sink.lines.length).toBeGreaterThanOrEqual(12);
    expect(log).not.toContain(MARK);
  });

  it('audit HMACs compare across restarts: the audit key is persisted, sealed under the master key', async () => {
    const store = memoryStore();
    const masterKey = await masterKeyFromBytes(new Uint8Array(32).fill(5));
    const first = await AuditLog.fromKeyring(memoryAuditSink(), new Keyring({ store, masterKey }));
    const second = await AuditLog.fromKeyring(memoryAuditSink(), new Keyring({ store, masterKey }));
    expect(second.hash('some token')).toBe(first.hash('some token'));
    // Sealed, not stored in the clear, and not listed as a transit key.
    const other = await AuditLog.fromKeyring(
      memoryAuditSink(),
      new Keyring({ store, masterKey: await masterKeyFromBytes(new Uint8Array(32).fill(6)) }),
    ).catch((e: unknown) => e);
    expect(other).toBeInstanceOf(QsignError);
    expect(await new Keyring({ store, masterKey }).listKeys()).toEqual([]);
  });
});

describe('item 5 (HTTP half): the PKI handler', () => {
  it('the PKI handler refuses bodies over the shared body limit without buffering them', async () => {
    const h = createPkiHandler({ token: 'pki-token-0123456789', limits: { maxBodyBytes: 1024 * 1024 } });
    let sent = 0;
    const chunk = new Uint8Array(64 * 1024).fill(0x20);
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent >= 200 * 1024 * 1024) return c.close();
        sent += chunk.length;
        c.enqueue(chunk);
      },
    });
    const res = await h(
      new Request('http://t/v1/oqs-pki/roles/r', {
        method: 'POST',
        headers: { 'x-vault-token': 'pki-token-0123456789' },
        body,
        duplex: 'half',
      } as RequestInit),
    );
    expect(res.status).toBe(413);
    expect(sent).toBeLessThan(4 * 1024 * 1024);
  });

  it('the PKI handler serves nothing without a token unless the development flag asks for it', async () => {
    expect(() => createPkiHandler({})).toThrow(QsignError);
    const dev = createPkiHandler({ allowUnauthenticated: true });
    expect((await dev(new Request('http://t/v1/oqs-pki/cert/ca'))).status).not.toBe(403);
    const prod = createPkiHandler({ token: 'pki-token-0123456789' });
    expect((await prod(new Request('http://t/v1/oqs-pki/cert/ca'))).status).toBe(403);
  });

  it('the PKI handler routes on the canonical path: a trailing or doubled slash is refused, not collapsed', async () => {
    const h = createPkiHandler({ token: 'pki-token-0123456789' });
    for (const p of ['/v1/oqs-pki/roles/r/', '/v1/oqs-pki//roles/r', '/v1/oqs-pki/roles%2fr']) {
      const res = await h(
        new Request(`http://t${p}`, {
          method: 'POST',
          headers: { 'x-vault-token': 'pki-token-0123456789' },
          body: '{}',
        }),
      );
      expect(res.status, p).toBe(400);
    }
  });
});
