/*
 * Transit SLH-DSA keys (issue 21, item 4): `type: slh-dsa-<hash>-<set>` for all twelve FIPS 205 sets through the
 * keyring and the HTTP handler, records in every store kept authenticated, limits sized for SLH-DSA signatures, and
 * signatures that verify with @noble/post-quantum (and noble's with ours).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as noble from '@noble/post-quantum/slh-dsa.js';
import {
  Keyring,
  memoryStore,
  durableObjectStore,
  durableObjectIndex,
  keyObjectStore,
  openSqliteStore,
  generateMasterKey,
  masterKeyFromBytes,
  createTransitHandler,
  resolveKeyType,
  KEY_TYPES,
  TransitClient,
  TransitErrorCodes as C,
  toBase64,
  fromBase64,
  type TransitStore,
} from '../../src/transit/index.js';
import { algorithms, algorithmByJose, familyNames, sizeOf, algorithmByTransitType } from '../../src/registry.js';
import { init, SLH_DSA_MAX_MESSAGE } from '../../src/index.js';
import { QsignError } from '../../src/errors.js';
import { fakeDoStorage } from '../helpers/fake-do-storage.js';

const te = new TextEncoder();
const SETS = familyNames('SLH-DSA');
/** `slh-dsa-sha2-128s` → noble's `slh_dsa_sha2_128s`. */
const nobleOf = (type: string) =>
  (noble as unknown as Record<string, { verify: typeof noble.slh_dsa_sha2_128f.verify }>)[type.replace(/-/g, '_')]!;
const typeOf = (name: string) => name.toLowerCase();

async function newKeyring(store: TransitStore = memoryStore()): Promise<Keyring> {
  return new Keyring({ store, masterKey: (await generateMasterKey()).masterKey });
}

async function code(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return e instanceof QsignError ? e.code : `not a QsignError: ${e}`;
  }
  return undefined;
}

beforeAll(() => init());

describe('registry: transit key types of the SLH-DSA rows', () => {
  it('every SLH-DSA set has transit type slh-dsa-<hash>-<set> (lower case, like ml-dsa-65), HashSLH-DSA rows none', () => {
    for (const a of algorithms()) {
      if (a.family === 'SLH-DSA') expect(a.transitType).toBe(a.name.toLowerCase());
      if (a.family === 'HashSLH-DSA') expect(a.transitType).toBe(undefined);
    }
    expect(algorithmByTransitType('SLH-DSA-SHAKE-256f')?.transitType).toBe('slh-dsa-shake-256f');
    expect(algorithmByTransitType('sphincs+-sha2-128s-simple')?.transitType).toBe('slh-dsa-sha2-128s');
  });

  it('no JOSE/COSE identifiers for SLH-DSA: draft-ietf-cose-sphincs-plus only requests them (docs/slhdsa.md)', () => {
    for (const a of algorithms())
      if (a.family === 'SLH-DSA' || a.family === 'HashSLH-DSA')
        expect([a.name, a.jose, a.cose]).toEqual([a.name, undefined, undefined]);
    expect(algorithmByJose('SLH-DSA-SHA2-128s')).toBe(undefined);
    expect(algorithmByJose('ML-DSA-65')?.cose).toBe(-49);
  });

  it('resolveKeyType: the twelve types, any registry spelling, and type slh-dsa + parameter_set', () => {
    for (const n of SETS) {
      expect(resolveKeyType(typeOf(n))).toBe(typeOf(n));
      expect(resolveKeyType(n)).toBe(typeOf(n));
      expect(KEY_TYPES).toContain(typeOf(n));
    }
    expect(resolveKeyType('slh-dsa', 'sha2-128f')).toBe('slh-dsa-sha2-128f');
    expect(resolveKeyType('slh-dsa', 'SHAKE-256s')).toBe('slh-dsa-shake-256s');
    expect(resolveKeyType('SLH-DSA', 'slh-dsa-shake-192f')).toBe('slh-dsa-shake-192f');
    expect(() => resolveKeyType('slh-dsa', 'sha2-512s')).toThrow(/parameter_set "sha2-512s" for slh-dsa/);
    expect(() => resolveKeyType('slh-dsa')).toThrow(/slh-dsa needs a parameter_set/);
    // HashSLH-DSA names are not key types: a transit key signs pure SLH-DSA.
    expect(() => resolveKeyType('HashSLH-DSA-SHA2-128s-with-SHA256')).toThrow(/unsupported key type/);
  });
});

describe('transit keyring: SLH-DSA keys, all twelve sets', () => {
  it('create → sign → verify per set; raw signature has the registry size and verifies with @noble/post-quantum', async () => {
    const kr = await newKeyring();
    const msg = te.encode('firmware image v1.2.3');
    const ctx = te.encode('release');
    for (const n of SETS) {
      const type = typeOf(n);
      const info = await kr.createKey(type, { type });
      expect(info).toMatchObject({ type, supports_signing: true, supports_encryption: false, latest_version: 1 });
      const pk = fromBase64(info.keys['1']!.public_key);
      expect(pk.length, n).toBe(sizeOf(n, 'publicKey'));
      const { signature, keyVersion } = await kr.sign(type, msg, { context: ctx });
      expect(keyVersion).toBe(1);
      expect(signature.startsWith('vault:v1:')).toBe(true);
      const raw = fromBase64(signature.slice('vault:v1:'.length));
      expect(raw.length, n).toBe(sizeOf(n, 'signature'));
      expect(nobleOf(type).verify(raw, msg, pk, { context: ctx }), `${n} noble verifies ours`).toBe(true);
      expect(await kr.verify(type, msg, signature, { context: ctx })).toBe(true);
      expect(await kr.verify(type, msg, signature)).toBe(false);
      expect(await kr.verify(type, te.encode('firmware image v1.2.4'), signature, { context: ctx })).toBe(false);
    }
  }, 300_000);

  it("noble's signatures (fast sets) verify through transit: the exported seed gives noble the same key", async () => {
    const kr = await newKeyring();
    const msg = te.encode('signed by noble');
    for (const n of SETS.filter((s) => s.endsWith('f'))) {
      const type = typeOf(n);
      await kr.createKey(type, { type, exportable: true });
      const seed = fromBase64((await kr.exportKey('signing-key', type, 1)).keys['1']!);
      expect(seed.length, n).toBe(sizeOf(n, 'seed'));
      const nk = (noble as unknown as Record<string, typeof noble.slh_dsa_sha2_128f>)[type.replace(/-/g, '_')]!.keygen(
        seed,
      );
      expect(toBase64(nk.publicKey)).toBe((await kr.exportPublicKeys(type, 1)).keys['1']);
      const sig = (noble as unknown as Record<string, typeof noble.slh_dsa_sha2_128f>)[type.replace(/-/g, '_')]!.sign(
        msg,
        nk.secretKey,
        { context: te.encode('c') },
      );
      expect(await kr.verify(type, msg, `vault:v1:${toBase64(sig)}`, { context: te.encode('c') }), n).toBe(true);
      expect(await kr.verify(type, msg, `vault:v1:${toBase64(sig)}`), n).toBe(false);
    }
  }, 300_000);

  it('rotation, min_encryption_version and min_decryption_version, trim: as for ML-DSA keys', async () => {
    const kr = await newKeyring();
    const type = 'slh-dsa-shake-128f';
    await kr.createKey('rot', { type });
    const m = te.encode('m');
    const s1 = await kr.sign('rot', m);
    expect((await kr.rotateKey('rot')).latest_version).toBe(2);
    const s2 = await kr.sign('rot', m);
    expect(s2.signature.startsWith('vault:v2:')).toBe(true);
    expect(await kr.verify('rot', m, s1.signature)).toBe(true);
    expect((await kr.sign('rot', m, { keyVersion: 1 })).keyVersion).toBe(1);
    await kr.configKey('rot', { min_decryption_version: 2, min_encryption_version: 2 });
    expect(await code(kr.verify('rot', m, s1.signature))).toBe(C.VERSION_DISALLOWED);
    expect(await code(kr.sign('rot', m, { keyVersion: 1 }))).toBe(C.INVALID_REQUEST);
    expect(await kr.verify('rot', m, s2.signature)).toBe(true);
    expect(await code(kr.verify('rot', m, 'vault:v3:AAAA'))).toBe(C.INVALID_CIPHERTEXT);
    await kr.trimKey('rot', 2);
    expect(Object.keys((await kr.readKey('rot')).keys)).toEqual(['2']);
  }, 60_000);

  it('bad input: typed errors (no encryption, bad signature text, wrong-length signature, input over the SLH-DSA limit)', async () => {
    const kr = await newKeyring();
    await kr.createKey('s', { type: 'slh-dsa-sha2-128f' });
    expect(await code(kr.encrypt('s', te.encode('x')))).toBe(C.UNSUPPORTED_OPERATION);
    expect(await code(kr.exportKey('encryption-key', 's'))).toBe(C.INVALID_REQUEST);
    expect(await code(kr.verify('s', te.encode('x'), 'vault:v1:not base64!'))).toBe(C.INVALID_CIPHERTEXT);
    expect(await code(kr.verify('s', te.encode('x'), 'sig'))).toBe(C.INVALID_CIPHERTEXT);
    expect(await kr.verify('s', te.encode('x'), `vault:v1:${toBase64(new Uint8Array(100))}`)).toBe(false);
    const big = new Uint8Array(SLH_DSA_MAX_MESSAGE);
    expect(await code(kr.sign('s', big))).toBe(C.LIMIT_EXCEEDED);
    expect(await code(kr.verify('s', big, `vault:v1:${toBase64(new Uint8Array(17088))}`))).toBe(C.LIMIT_EXCEEDED);
    expect(await code(kr.sign('s', te.encode('x'), { context: new Uint8Array(256) }))).toBe('ERR_INVALID_ARGUMENT');
    // The wrong seed length for an import is named in bytes of this set.
    await expect(kr.createKey('t', { type: 'slh-dsa', parameter_set: '128f' })).rejects.toThrow(/parameter_set/);
  }, 60_000);
});

describe('SLH-DSA key records in every store: round trip, and tampering detected', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qsign-slh-'));
  const stores: [string, () => Promise<TransitStore>][] = [
    ['memory', async () => memoryStore()],
    ['sqlite', async () => openSqliteStore(join(dir, `k${Math.random()}.db`))],
    ['durable object', async () => durableObjectStore(fakeDoStorage())],
    ['durable object per key', async () => keyObjectStore(fakeDoStorage(), durableObjectIndex(fakeDoStorage()))],
  ];
  for (const [label, make] of stores)
    it(`${label}: a second keyring on the store verifies; a changed public key or type is RECORD_TAMPERED`, async () => {
      const store = await make();
      const masterKey = await masterKeyFromBytes(new Uint8Array(32).fill(3));
      const a = new Keyring({ store, masterKey });
      await a.createKey('doc', { type: 'slh-dsa-sha2-192f' });
      const m = te.encode('m');
      const { signature } = await a.sign('doc', m);
      const b = new Keyring({ store, masterKey });
      expect((await b.readKey('doc')).type).toBe('slh-dsa-sha2-192f');
      expect(await b.verify('doc', m, signature)).toBe(true);
      const row = (await store.get('doc'))!;
      const doc = JSON.parse(row.json);
      expect(doc).toMatchObject({ format: 2, record: { type: 'slh-dsa-sha2-192f' } });
      // An attacker with store access swaps in their own public key (same set), or downgrades the set.
      const theirs = noble.slh_dsa_sha2_192f.keygen().publicKey;
      for (const change of [
        (d: typeof doc) => (d.record.versions['1'].public_key = toBase64(theirs)),
        (d: typeof doc) => (d.record.type = 'slh-dsa-sha2-128f'),
      ]) {
        const t = structuredClone(doc);
        change(t);
        const cur = (await store.get('doc'))!;
        expect(await store.put('doc', JSON.stringify(t), cur.revision)).toBe(cur.revision + 1);
        expect(await code(b.verify('doc', m, signature))).toBe(C.RECORD_TAMPERED);
        expect(await code(b.sign('doc', m))).toBe(C.RECORD_TAMPERED);
        await store.put('doc', row.json, cur.revision + 1);
        expect(await b.verify('doc', m, signature)).toBe(true);
      }
      await store.close?.();
    }, 60_000);
  it('cleanup', () => rmSync(dir, { recursive: true, force: true }));
});

describe('transit HTTP handler: SLH-DSA keys', () => {
  const TOKEN = 'slh-root-token-0123456789';
  async function setup(maxBodyBytes?: number) {
    const keyring = await newKeyring();
    const handler = createTransitHandler({
      keyring,
      auth: { tokens: [{ token: TOKEN, policies: ['root'] }] },
      limits: maxBodyBytes === undefined ? undefined : { maxBodyBytes },
    });
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await handler(
        new Request(`http://transit.test/v1/oqs-transit/${path}`, {
          method,
          headers: { 'x-vault-token': TOKEN },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
      );
      const text = await res.text();
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return { status: res.status, json: (text ? JSON.parse(text) : null) as any };
    };
    const f = ((u: string | URL | Request, init?: RequestInit) => handler(new Request(u, init))) as typeof fetch;
    return { call, client: new TransitClient({ address: 'http://transit.test', token: TOKEN, fetch: f }) };
  }

  it('POST keys/:name type slh-dsa-sha2-256f; sign/verify with context; a 49,856-byte signature fits the limits', async () => {
    const { call } = await setup();
    const created = await call('POST', 'keys/big', { type: 'slh-dsa-sha2-256f' });
    expect(created.status).toBe(200);
    expect(created.json.data).toMatchObject({ type: 'slh-dsa-sha2-256f', supports_signing: true });
    const vaultStyle = await call('POST', 'keys/vs', { type: 'slh-dsa', parameter_set: 'shake-128f' });
    expect(vaultStyle.json.data.type).toBe('slh-dsa-shake-128f');
    const input = toBase64(te.encode('payload'));
    const context = toBase64(te.encode('ctx'));
    const s = await call('POST', 'sign/big', { input, context });
    expect(s.status).toBe(200);
    const raw = fromBase64(s.json.data.signature.slice('vault:v1:'.length));
    expect(raw.length).toBe(49_856);
    const pk = fromBase64((await call('GET', 'export/public-key/big/1')).json.data.keys['1']);
    expect(noble.slh_dsa_sha2_256f.verify(raw, te.encode('payload'), pk, { context: te.encode('ctx') })).toBe(true);
    const ok = await call('POST', 'verify/big', { input, context, signature: s.json.data.signature });
    expect(ok.json.data).toEqual({ valid: true });
    // Vault's trailing /:hash_algorithm routes and is ignored, as for ML-DSA.
    expect(
      (await call('POST', 'verify/big/sha2-256', { input, context, signature: s.json.data.signature })).json.data,
    ).toEqual({ valid: true });
    expect((await call('POST', 'verify/big', { input, signature: s.json.data.signature })).json.data).toEqual({
      valid: false,
    });
  }, 60_000);

  it('bad input answers Vault-shaped errors: prehashed, bad base64, unknown parameter set, encrypt', async () => {
    const { call } = await setup();
    await call('POST', 'keys/k', { type: 'slh-dsa-shake-128f' });
    const pre = await call('POST', 'sign/k', { input: toBase64(new Uint8Array(32)), prehashed: true });
    expect(pre.status).toBe(400);
    expect(pre.json.errors[0]).toMatch(/prehashed input is not supported for ML-DSA or SLH-DSA keys/);
    expect((await call('POST', 'verify/k', { input: 'eA==', signature: 'vault:v1:@@@' })).status).toBe(400);
    const unknown = await call('POST', 'keys/u', { type: 'slh-dsa', parameter_set: 'sha2-100x' });
    expect(unknown.status).toBe(400);
    expect(unknown.json.errors[0]).toMatch(/parameter_set "sha2-100x" for slh-dsa/);
    const enc = await call('POST', 'encrypt/k', { plaintext: 'eA==' });
    expect(enc).toEqual({ status: 400, json: { errors: ['key type slh-dsa-shake-128f does not support encryption'] } });
  }, 60_000);

  it('batch sign: a batch whose signatures would exceed the body limit is refused up front (507)', async () => {
    // 64 KiB: room for one base64 SLH-DSA-256f signature (66,476 chars) is not there twice.
    const { call, client } = await setup(140_000);
    await client.createKey('f', { type: 'slh-dsa-sha2-256f' });
    const items = Array.from({ length: 3 }, () => ({ input: 'eA==' }));
    const tooMany = await call('POST', 'sign/f', { batch_input: items });
    expect(tooMany).toEqual({ status: 507, json: { errors: ['insufficient resources'] } });
    const two = await client.batch('sign', 'f', items.slice(0, 2));
    expect(two.status).toBe('ok');
    const v = await client.batch(
      'verify',
      'f',
      two.results.map((r) => ({ input: 'eA==', signature: String(r.signature) })),
    );
    expect(v.results.map((r) => r.valid)).toEqual([true, true]);
  }, 60_000);
});
