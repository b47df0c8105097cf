import { describe, it, expect } from 'vitest';
import { shake256 } from '@noble/hashes/sha3.js';
import {
  Keyring,
  memoryStore,
  generateMasterKey,
  createTransitHandler,
  createAuth,
  AuditLog,
  memoryAuditSink,
  TransitClient,
  TransitErrorCodes as C,
  toBase64,
  fromBase64,
  type TransitStore,
  type TransitHandlerOptions,
} from '../../src/transit/index.js';
import { QsignError } from '../../src/errors.js';

const te = new TextEncoder();
const ROOT = 'root-token-0123456789';
const APP = 'app-token-0123456789';
const READER = 'reader-token-0123456789';

async function setup(
  over: Partial<TransitHandlerOptions> & { store?: TransitStore; random?: (n: number) => Uint8Array } = {},
) {
  const store = over.store ?? memoryStore();
  const keyring = new Keyring({ store, masterKey: (await generateMasterKey()).masterKey, random: over.random });
  const sink = memoryAuditSink();
  const audit = new AuditLog(sink);
  const handler = createTransitHandler({
    keyring,
    audit,
    auth: over.auth ?? {
      tokens: [
        { token: ROOT, policies: ['root'] },
        { token: APP, policies: ['app'] },
        { token: READER, policies: ['reader'] },
      ],
      policies: {
        app: [
          { path: 'oqs-transit/encrypt/app-*', capabilities: ['update'] },
          { path: 'oqs-transit/decrypt/app-*', capabilities: ['update'] },
          { path: 'oqs-transit/decrypt/app-secret', capabilities: ['deny'] },
        ],
        reader: [
          { path: 'oqs-transit/keys/+', capabilities: ['read'] },
          { path: 'oqs-transit/keys', capabilities: ['list'] },
        ],
      },
    },
    limits: over.limits,
    mount: over.mount,
  });
  const call = async (method: string, path: string, body?: unknown, token: string | null = ROOT) => {
    const headers: Record<string, string> = {};
    if (token !== null) headers['x-vault-token'] = token;
    const res = await handler(
      new Request(`http://transit.test${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      }),
    );
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null };
  };
  return { keyring, handler, call, sink, audit, store };
}

const b64 = (s: string) => toBase64(te.encode(s));

describe('transit HTTP: seed flows', () => {
  it('§4.1/§8.1 over HTTP: create kyber768, encrypt, decrypt, rotate, rewrap, config, Vault JSON envelope', async () => {
    const { call } = await setup();
    const created = await call('POST', '/v1/oqs-transit/keys/my-key', { type: 'kyber768' });
    expect(created.status).toBe(200);
    expect(created.json.data.name).toBe('my-key');
    expect(created.json.data.latest_version).toBe(1);
    expect(Object.keys(created.json).sort()).toEqual([
      'auth',
      'data',
      'lease_duration',
      'lease_id',
      'renewable',
      'request_id',
      'warnings',
      'wrap_info',
    ]);
    const enc = await call('POST', '/v1/oqs-transit/encrypt/my-key', { plaintext: b64('document_data') });
    expect(enc.status).toBe(200);
    expect(enc.json.data.ciphertext).toMatch(/^vault:v1:/);
    expect(enc.json.data.key_version).toBe(1);
    const dec = await call('POST', '/v1/oqs-transit/decrypt/my-key', { ciphertext: enc.json.data.ciphertext });
    expect(dec.json.data.plaintext).toBe(b64('document_data'));
    const rot = await call('POST', '/v1/oqs-transit/keys/my-key/rotate', {});
    expect(rot.json.data.latest_version).toBe(2);
    const enc2 = await call('POST', '/v1/oqs-transit/encrypt/my-key', { plaintext: b64('new') });
    expect(enc2.json.data.ciphertext).toMatch(/^vault:v2:/);
    const rw = await call('POST', '/v1/oqs-transit/rewrap/my-key', { ciphertext: enc.json.data.ciphertext });
    expect(rw.json.data.ciphertext).toMatch(/^vault:v2:/);
    expect(rw.json.data.plaintext).toBe(undefined);
    const cfg = await call('POST', '/v1/oqs-transit/keys/my-key/config', { min_decryption_version: 2 });
    expect(cfg.json.data.min_decryption_version).toBe(2);
    const old = await call('POST', '/v1/oqs-transit/decrypt/my-key', { ciphertext: enc.json.data.ciphertext });
    expect(old).toEqual({ status: 400, json: { errors: ['key version no longer supported'] } });
    const viaRewrap = await call('POST', '/v1/oqs-transit/decrypt/my-key', { ciphertext: rw.json.data.ciphertext });
    expect(viaRewrap.json.data.plaintext).toBe(b64('document_data'));
    const read = await call('GET', '/v1/oqs-transit/keys/my-key');
    expect(Object.keys(read.json.data.keys)).toEqual(['1', '2']);
    expect(JSON.stringify(read.json)).not.toMatch(/sealed/);
    const list = await call('LIST', '/v1/oqs-transit/keys');
    expect(list.json.data.keys).toEqual(['my-key']);
    expect((await call('GET', '/v1/oqs-transit/keys?list=true')).json.data.keys).toEqual(['my-key']);
  });

  it('§10.1 sign/verify, datakey, export, backup/restore, trim, delete over HTTP', async () => {
    const { call } = await setup();
    await call('POST', '/v1/oqs-transit/keys/signing-key', { type: 'ml-dsa', parameter_set: '65' });
    const s = await call('POST', '/v1/oqs-transit/sign/signing-key', { input: b64('hash(document)') });
    expect(s.json.data.signature).toMatch(/^vault:v1:/);
    expect(
      (
        await call('POST', '/v1/oqs-transit/verify/signing-key', {
          input: b64('hash(document)'),
          signature: s.json.data.signature,
        })
      ).json.data.valid,
    ).toBe(true);
    expect(
      (
        await call('POST', '/v1/oqs-transit/verify/signing-key/sha2-256', {
          input: b64('other'),
          signature: s.json.data.signature,
        })
      ).json.data.valid,
    ).toBe(false);
    await call('POST', '/v1/oqs-transit/keys/data-key', {});
    const dk = await call('POST', '/v1/oqs-transit/datakey/plaintext/data-key', { bits: 128 });
    expect(fromBase64(dk.json.data.plaintext).length).toBe(16);
    const dkw = await call('POST', '/v1/oqs-transit/datakey/wrapped/data-key', {});
    expect(dkw.json.data.plaintext).toBe(undefined);
    expect(
      (await call('POST', '/v1/oqs-transit/decrypt/data-key', { ciphertext: dk.json.data.ciphertext })).json.data
        .plaintext,
    ).toBe(dk.json.data.plaintext);
    const exp = await call('GET', '/v1/oqs-transit/export/public-key/signing-key/1');
    expect(fromBase64(exp.json.data.keys['1']).length).toBe(1952);
    const bk = await call('GET', '/v1/oqs-transit/backup/data-key');
    expect(typeof bk.json.data.backup).toBe('string');
    expect((await call('DELETE', '/v1/oqs-transit/keys/data-key')).json).toEqual({
      errors: ['error deleting policy data-key: deletion is not allowed for this key'],
    });
    await call('POST', '/v1/oqs-transit/keys/data-key/config', { deletion_allowed: true });
    expect((await call('DELETE', '/v1/oqs-transit/keys/data-key')).status).toBe(204);
    expect((await call('GET', '/v1/oqs-transit/keys/data-key')).status).toBe(404);
    const rs = await call('POST', '/v1/oqs-transit/restore', { backup: bk.json.data.backup });
    expect(rs.json.data.name).toBe('data-key');
    expect(
      (await call('POST', '/v1/oqs-transit/decrypt/data-key', { ciphertext: dk.json.data.ciphertext })).json.data
        .plaintext,
    ).toBe(dk.json.data.plaintext);
    await call('POST', '/v1/oqs-transit/keys/data-key/rotate');
    await call('POST', '/v1/oqs-transit/keys/data-key/config', {
      min_decryption_version: 2,
      min_encryption_version: 2,
    });
    const tr = await call('POST', '/v1/oqs-transit/keys/data-key/trim', { min_available_version: 2 });
    expect(Object.keys(tr.json.data.keys)).toEqual(['2']);
  });
});

describe('transit HTTP: error mapping (seed §9.2)', () => {
  it('maps every error to its status and message', async () => {
    const { call } = await setup({ limits: { maxBodyBytes: 4096, maxBatchItems: 3 } });
    expect(await call('POST', '/v1/oqs-transit/encrypt/nonexistent-key', { plaintext: b64('x') })).toEqual({
      status: 404,
      json: { errors: ['encryption key not found'] },
    });
    await call('POST', '/v1/oqs-transit/keys/my-key', {});
    expect(await call('POST', '/v1/oqs-transit/decrypt/my-key', { ciphertext: 'vault:v1:corrupted...' })).toEqual({
      status: 400,
      json: { errors: ['invalid ciphertext format'] },
    });
    const { json } = await call('POST', '/v1/oqs-transit/encrypt/my-key', { plaintext: b64('x') });
    const body = fromBase64(json.data.ciphertext.slice(9));
    body[body.length - 1]! ^= 1;
    expect(await call('POST', '/v1/oqs-transit/decrypt/my-key', { ciphertext: `vault:v1:${toBase64(body)}` })).toEqual({
      status: 400,
      json: { errors: ['decryption failed'] },
    });
    expect(await call('POST', '/v1/oqs-transit/encrypt/my-key', { plaintext: toBase64(new Uint8Array(5000)) })).toEqual(
      { status: 507, json: { errors: ['insufficient resources'] } },
    );
    expect(await call('POST', '/v1/oqs-transit/encrypt/my-key', { batch_input: [{}, {}, {}, {}] })).toEqual({
      status: 507,
      json: { errors: ['insufficient resources'] },
    });
    expect((await call('POST', '/v1/oqs-transit/encrypt/my-key', { plaintext: 'not base64!' })).status).toBe(400);
    expect((await call('POST', '/v1/oqs-transit/encrypt/my-key', '{not json')).json.errors).toEqual([
      'request body is not valid JSON',
    ]);
    expect(await call('GET', '/v1/oqs-transit/nope/x')).toEqual({ status: 404, json: { errors: [] } });
    expect(await call('GET', '/v1/other-mount/keys/my-key')).toEqual({ status: 404, json: { errors: [] } });
    expect((await call('GET', '/v1/oqs-transit/encrypt/my-key')).status).toBe(405);
    expect((await call('POST', '/v1/oqs-transit/sign/my-key', { input: b64('x') })).status).toBe(400);
    const health = await call('GET', '/v1/sys/health', undefined, null);
    expect(health.status).toBe(200);
    expect(health.json.sealed).toBe(false);
  });

  it('refuses Vault key-derivation fields (context, nonce) instead of silently ignoring them', async () => {
    const { call } = await setup();
    await call('POST', '/v1/oqs-transit/keys/plain', {});
    const enc = await call('POST', '/v1/oqs-transit/encrypt/plain', { plaintext: b64('x'), context: b64('tenant-1') });
    expect(enc.status).toBe(400);
    expect(enc.json.errors[0]).toMatch(/context.*not supported/);
    const ok = await call('POST', '/v1/oqs-transit/encrypt/plain', { plaintext: b64('x') });
    const dec = await call('POST', '/v1/oqs-transit/decrypt/plain', {
      ciphertext: ok.json.data.ciphertext,
      nonce: b64('n'),
    });
    expect(dec.status).toBe(400);
    expect(dec.json.errors[0]).toMatch(/nonce.*not supported/);
  });

  it('a request past the deadline gets 504 request timeout', async () => {
    const inner = memoryStore();
    let slow = false;
    const store: TransitStore = {
      get: async (n) => {
        if (slow) await new Promise((r) => setTimeout(r, 300));
        return inner.get(n);
      },
      list: () => inner.list(),
      put: (a, b, c) => inner.put(a, b, c),
      delete: (a, b) => inner.delete(a, b),
    };
    const { call } = await setup({ store, limits: { timeoutMs: 100 } });
    await call('POST', '/v1/oqs-transit/keys/k', {});
    slow = true;
    const t0 = Date.now();
    expect(await call('POST', '/v1/oqs-transit/encrypt/k', { plaintext: b64('x') })).toEqual({
      status: 504,
      json: { errors: ['request timeout'] },
    });
    expect(Date.now() - t0).toBeLessThan(290);
  });

  it('batch: results in order, reference echoed, 400 on any failure unless partial_failure_response_code', async () => {
    const { call } = await setup();
    await call('POST', '/v1/oqs-transit/keys/b', {});
    const items = Array.from({ length: 5 }, (_, i) => ({ plaintext: b64(`item ${i}`), reference: `ref-${i}` }));
    const enc = await call('POST', '/v1/oqs-transit/encrypt/b', { batch_input: items });
    expect(enc.status).toBe(200);
    expect(enc.json.data.batch_results.map((r: { reference: string }) => r.reference)).toEqual([
      'ref-0',
      'ref-1',
      'ref-2',
      'ref-3',
      'ref-4',
    ]);
    const decItems = enc.json.data.batch_results.map((r: { ciphertext: string; reference: string }) => ({
      ciphertext: r.ciphertext,
      reference: r.reference,
    }));
    decItems[2].ciphertext = 'vault:v1:bad';
    const dec = await call('POST', '/v1/oqs-transit/decrypt/b', { batch_input: decItems });
    expect(dec.status).toBe(400);
    const res = dec.json.data.batch_results;
    expect(res[2]).toEqual({ error: 'invalid ciphertext format', reference: 'ref-2' });
    expect(res[4]).toEqual({ plaintext: b64('item 4'), reference: 'ref-4' });
    const partial = await call('POST', '/v1/oqs-transit/decrypt/b', {
      batch_input: decItems,
      partial_failure_response_code: 207,
    });
    expect(partial.status).toBe(207);
    const allBad = await call('POST', '/v1/oqs-transit/decrypt/b', {
      batch_input: [{ ciphertext: 'x' }],
      partial_failure_response_code: 207,
    });
    expect(allBad.status).toBe(400);
  });
});

describe('transit HTTP: auth and audit', () => {
  it('no token, wrong token, insufficient policy and deny → 403 permission denied', async () => {
    const { call } = await setup();
    await call('POST', '/v1/oqs-transit/keys/app-data', {});
    await call('POST', '/v1/oqs-transit/keys/app-secret', {});
    const denied = { status: 403, json: { errors: ['permission denied'] } };
    expect(await call('POST', '/v1/oqs-transit/encrypt/app-data', { plaintext: b64('x') }, null)).toEqual(denied);
    expect(
      await call('POST', '/v1/oqs-transit/encrypt/app-data', { plaintext: b64('x') }, 'wrong-token-0123456789'),
    ).toEqual(denied);
    expect(await call('POST', '/v1/oqs-transit/encrypt/app-data', { plaintext: b64('x') }, ROOT.slice(0, -1))).toEqual(
      denied,
    );
    expect(await call('POST', '/v1/oqs-transit/keys/app-data/rotate', {}, APP)).toEqual(denied);
    expect(await call('POST', '/v1/oqs-transit/encrypt/other', { plaintext: b64('x') }, APP)).toEqual(denied);
    const ok = await call('POST', '/v1/oqs-transit/encrypt/app-data', { plaintext: b64('x') }, APP);
    expect(ok.status).toBe(200);
    expect(
      (await call('POST', '/v1/oqs-transit/decrypt/app-data', { ciphertext: ok.json.data.ciphertext }, APP)).status,
    ).toBe(200);
    const sec = await call('POST', '/v1/oqs-transit/encrypt/app-secret', { plaintext: b64('x') }, APP);
    expect(sec.status).toBe(200);
    expect(
      await call('POST', '/v1/oqs-transit/decrypt/app-secret', { ciphertext: sec.json.data.ciphertext }, APP),
    ).toEqual(denied);
    expect((await call('GET', '/v1/oqs-transit/keys/app-data', undefined, READER)).status).toBe(200);
    expect(await call('GET', '/v1/oqs-transit/keys/app-data/extra', undefined, READER)).toEqual({
      status: 404,
      json: { errors: [] },
    });
    expect(await call('POST', '/v1/oqs-transit/keys/new-key', {}, READER)).toEqual(denied);
    expect((await call('LIST', '/v1/oqs-transit/keys', undefined, READER)).status).toBe(200);
  });

  it('policy globs: * is a prefix, + is one segment, deny wins', () => {
    const auth = createAuth({
      tokens: [{ token: 'tok-123456789', policies: ['p'] }],
      policies: {
        p: [
          { path: 'm/encrypt/*', capabilities: ['update'] },
          { path: 'm/keys/+/rotate', capabilities: ['update'] },
          { path: 'm/encrypt/blocked', capabilities: ['deny'] },
        ],
      },
    });
    expect(auth.check('tok-123456789', 'm/encrypt/a', 'update').allowed).toBe(true);
    expect(auth.check('tok-123456789', 'm/encrypt/a/b', 'update').allowed).toBe(true);
    expect(auth.check('tok-123456789', 'm/encrypt/a', 'read').allowed).toBe(false);
    expect(auth.check('tok-123456789', 'm/encrypt/blocked', 'update').allowed).toBe(false);
    expect(auth.check('tok-123456789', 'm/keys/x/rotate', 'update').allowed).toBe(true);
    expect(auth.check('tok-123456789', 'm/keys/x/y/rotate', 'update').allowed).toBe(false);
    expect(auth.check('tok-123456789', 'm/decrypt/a', 'update').allowed).toBe(false);
    expect(auth.check('tok-12345678', 'm/encrypt/a', 'update').allowed).toBe(false);
    expect(auth.check(undefined, 'm/encrypt/a', 'update').allowed).toBe(false);
    expect(() => createAuth({ tokens: [{ token: 'short', policies: [] }] })).toThrow();
  });

  it('audit log has every request and error, and no plaintext, key bytes or token', async () => {
    let i = 0;
    const drawn: Uint8Array[] = [];
    const random = (n: number) => {
      const b = shake256(te.encode(`audit-${i++}`), { dkLen: n });
      drawn.push(b.slice());
      return b;
    };
    const { call, sink, keyring, audit } = await setup({ random });
    const secret = 'TOP-SECRET-PAYLOAD-4242';
    await call('POST', '/v1/oqs-transit/keys/my-key', {});
    await call('POST', '/v1/oqs-transit/keys/sig', { type: 'ml-dsa-44' });
    const enc = await call('POST', '/v1/oqs-transit/encrypt/my-key', {
      plaintext: b64(secret),
      associated_data: b64('aad-value'),
    });
    await call('POST', '/v1/oqs-transit/decrypt/my-key', {
      ciphertext: enc.json.data.ciphertext,
      associated_data: b64('aad-value'),
    });
    await call('POST', '/v1/oqs-transit/decrypt/my-key', { ciphertext: enc.json.data.ciphertext }); // decryption failed
    await call('POST', '/v1/oqs-transit/sign/sig', { input: b64(secret) });
    const dk = await call('POST', '/v1/oqs-transit/datakey/plaintext/my-key', {});
    const bk = await call('GET', '/v1/oqs-transit/backup/my-key');
    await call('POST', '/v1/oqs-transit/encrypt/my-key', { plaintext: b64(secret) }, 'bad-token-xxxxxxxx');
    const pub = (await keyring.readKey('my-key')).keys['1']!.public_key;
    const log = sink.lines.join('\n');
    expect(sink.lines.length).toBe(18);
    for (const l of sink.lines) expect(typeof JSON.parse(l).request_id).toBe('string');
    const forbidden = [
      secret,
      b64(secret),
      enc.json.data.ciphertext,
      enc.json.data.ciphertext.slice(9, 60),
      dk.json.data.plaintext,
      bk.json.data.backup.slice(0, 40),
      ROOT,
      'bad-token-xxxxxxxx',
      pub.slice(0, 40),
      'aad-value',
      b64('aad-value'),
    ];
    for (const f of forbidden) expect(log.includes(f)).toBe(false);
    for (const d of drawn) {
      expect(log.includes(toBase64(d).slice(0, 24))).toBe(false);
      expect(log.includes(Buffer.from(d).toString('hex').slice(0, 32))).toBe(false);
    }
    const failures = sink.lines
      .map((l) => JSON.parse(l))
      .filter((r) => r.type === 'response' && r.error === 'decryption failed');
    expect(failures).toHaveLength(1);
    expect(failures[0].path).toBe('oqs-transit/decrypt/my-key');
    expect(failures[0].error_code).toBe(C.DECRYPTION_FAILED);
    expect(failures[0].status).toBe(400);
    // The HMAC lets an operator confirm a value without the log holding it.
    expect(log.includes(audit.hash(b64(secret)))).toBe(true);
    expect(log.includes(audit.hash(ROOT))).toBe(true);
    const denied = sink.lines.map((l) => JSON.parse(l)).filter((r) => r.status === 403);
    expect(denied).toHaveLength(1);
  });
});

describe('TransitClient', () => {
  it('has the Keyring methods and maps errors back to the library codes', async () => {
    const { handler } = await setup();
    const client = new TransitClient({
      address: 'http://transit.test/',
      token: ROOT,
      fetch: (async (u: string | URL | Request, init?: RequestInit) => handler(new Request(u, init))) as typeof fetch,
    });
    const info = await client.createKey('c', { type: 'xwing' });
    expect(info.type).toBe('xwing');
    const { ciphertext, keyVersion } = await client.encrypt('c', te.encode('via client'), {
      associatedData: te.encode('a'),
    });
    expect(keyVersion).toBe(1);
    expect((await client.decrypt('c', ciphertext, { associatedData: te.encode('a') })).plaintext).toEqual(
      te.encode('via client'),
    );
    expect((await client.rotateKey('c')).latest_version).toBe(2);
    expect((await client.rewrap('c', ciphertext, { associatedData: te.encode('a') })).keyVersion).toBe(2);
    await client.createKey('s', { type: 'ml-dsa-87' });
    const sig = await client.sign('s', te.encode('m'));
    expect(await client.verify('s', te.encode('m'), sig.signature)).toBe(true);
    expect(await client.verify('s', te.encode('n'), sig.signature)).toBe(false);
    expect(await client.listKeys()).toEqual(['c', 's']);
    const dk = await client.dataKey('c', 'plaintext');
    expect((await client.decrypt('c', dk.ciphertext)).plaintext).toEqual(dk.plaintext);
    const errCode = async (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (e) => (e as QsignError).code,
      );
    expect(await errCode(client.encrypt('missing', te.encode('x')))).toBe(C.KEY_NOT_FOUND);
    expect(await errCode(client.decrypt('c', 'vault:v1:!!'))).toBe(C.INVALID_CIPHERTEXT);
    expect(await errCode(client.decrypt('c', ciphertext))).toBe(C.DECRYPTION_FAILED);
    await client.configKey('c', { min_decryption_version: 2 });
    expect(await errCode(client.decrypt('c', ciphertext, { associatedData: te.encode('a') }))).toBe(
      C.VERSION_DISALLOWED,
    );
    const bad = new TransitClient({ address: 'http://transit.test', token: 'nope-nope-nope', fetch: client['f'] });
    expect(await errCode(bad.readKey('c'))).toBe(C.PERMISSION_DENIED);
    const batch = await client.batch('encrypt', 'c', [
      { plaintext: b64('1'), reference: 'a' },
      { plaintext: '!', reference: 'b' },
    ]);
    expect(batch.status).toBe('partial');
    expect(batch.results[0]!.reference).toBe('a');
    expect(batch.results[1]!.error).toBe('plaintext must be standard base64');
    expect(Object.keys((await client.exportPublicKeys('c')).keys)).toEqual(['1', '2']);
    const backup = await client.backup('c');
    expect((await client.restore(backup, { name: 'c-copy' })).latest_version).toBe(2);
    expect((await client.health()).initialized).toBe(true);
  });
});
