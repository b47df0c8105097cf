/*
 * The Vault Transit endpoints added for issue 22 (hmac, verify with hmac, hash, random, wrapping_key,
 * keys/:name/import, export of key material), driven over HTTP with Vault's documented requests and checked
 * against an independent implementation (node:crypto / OpenSSL) wherever one exists: the client side of BYOK
 * wraps with OpenSSL's RSA-OAEP and AES-KWP, HMACs and hashes are recomputed with node:crypto.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import {
  constants,
  createCipheriv,
  createHash,
  createHmac,
  createPublicKey,
  publicEncrypt,
  randomBytes as nodeRandom,
} from 'node:crypto';
import {
  Keyring,
  memoryStore,
  masterKeyFromBytes,
  createTransitHandler,
  memoryAuditSink,
  TransitClient,
  TransitErrorCodes as C,
} from '../../src/transit/index.js';
import { serveNode } from '../../src/transit/node/server.js';
import { transitHmac, TRANSIT_HASH_ALGORITHMS } from '../../src/transit/digest.js';
import { slh_dsa_shake_128f } from '@noble/post-quantum/slh-dsa.js';

const TOKEN = 'vault-endpoints-root-token';
/** Response JSON as the tests read it (untyped wire data). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type VaultJson = any;
const b64 = (b: Uint8Array | string) => Buffer.from(b).toString('base64');
const nodeName = (alg: string) => alg.replace('sha2-', 'sha').replace('sha3-', 'sha3-');
let url: string;
let close: () => Promise<void>;
let keyring: Keyring;
const audit = memoryAuditSink();

/** One Vault API request (the shapes of Vault's Transit API docs); resolves to status and JSON. */
async function vault(method: string, path: string, body?: unknown): Promise<{ status: number; json: VaultJson }> {
  const res = await fetch(`${url}/v1/oqs-transit/${path}`, {
    method,
    headers: { 'X-Vault-Token': TOKEN, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

/** Vault's BYOK wrapping, done with OpenSSL through node:crypto: RSA-OAEP(ephemeral) ‖ AES-KWP(ephemeral, key). */
function wrapForImport(publicKeyPem: string, material: Uint8Array, hash = 'sha256'): string {
  const ephemeral = nodeRandom(32);
  const wrappedEphemeral = publicEncrypt(
    { key: createPublicKey(publicKeyPem), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash },
    ephemeral,
  );
  const kwp = createCipheriv('id-aes256-wrap-pad', ephemeral, Buffer.from('A65959A6', 'hex'));
  const wrappedKey = Buffer.concat([kwp.update(material), kwp.final()]);
  return Buffer.concat([wrappedEphemeral, wrappedKey]).toString('base64');
}

beforeAll(async () => {
  keyring = new Keyring({ store: memoryStore(), masterKey: await masterKeyFromBytes(new Uint8Array(32).fill(11)) });
  const srv = await serveNode(
    createTransitHandler({ keyring, auth: { tokens: [{ token: TOKEN, policies: ['root'] }] }, audit }),
    { port: 0 },
  );
  url = srv.url;
  close = srv.close;
});
afterAll(async () => close?.());

describe('Vault Transit endpoints over HTTP', () => {
  it('HMAC (RFC 2104) with every Vault algorithm equals node:crypto', async () => {
    const key = nodeRandom(200); // longer than the SHA-2-256 and SHA-3 blocks: the key is hashed first
    const short = nodeRandom(32);
    const msg = nodeRandom(1000);
    for (const alg of TRANSIT_HASH_ALGORITHMS)
      for (const k of [key, short])
        expect(Buffer.from(await transitHmac(alg, k, msg)).toString('hex'), alg).toBe(
          createHmac(nodeName(alg), k).update(msg).digest('hex'),
        );
  });

  it('hmac/:name[/:algorithm], batch_input, and verify/:name with hmac, on hmac and KEM keys', async () => {
    expect((await vault('POST', 'keys/mac', { type: 'hmac', key_size: 48, exportable: true })).status).toBe(200);
    const info = (await vault('GET', 'keys/mac')).json.data;
    expect(info).toMatchObject({ type: 'hmac', key_size: 48, supports_encryption: false, supports_signing: false });
    const input = b64('hello hmac');
    const one = await vault('POST', 'hmac/mac', { input });
    expect(one.status).toBe(200);
    expect(one.json.data.hmac).toMatch(/^vault:v1:[A-Za-z0-9+/]+=*$/);
    // The exported HMAC key recomputes it with node:crypto, for sha2-256 (default) and sha3-384 in the URL.
    const hmacKey = Buffer.from((await vault('GET', 'export/hmac-key/mac/1')).json.data.keys['1'], 'base64');
    expect(hmacKey.length).toBe(48);
    expect(one.json.data.hmac).toBe(`vault:v1:${createHmac('sha256', hmacKey).update('hello hmac').digest('base64')}`);
    const sha3 = await vault('POST', 'hmac/mac/sha3-384', { input });
    expect(sha3.json.data.hmac).toBe(
      `vault:v1:${createHmac('sha3-384', hmacKey).update('hello hmac').digest('base64')}`,
    );
    // verify: the URL algorithm, hash_algorithm in the body, a wrong HMAC is valid:false.
    expect((await vault('POST', 'verify/mac', { input, hmac: one.json.data.hmac })).json.data).toEqual({ valid: true });
    expect((await vault('POST', 'verify/mac/sha3-384', { input, hmac: sha3.json.data.hmac })).json.data.valid).toBe(
      true,
    );
    expect(
      (await vault('POST', 'verify/mac', { input, hmac: sha3.json.data.hmac, hash_algorithm: 'sha3-384' })).json.data
        .valid,
    ).toBe(true);
    expect((await vault('POST', 'verify/mac', { input: b64('other'), hmac: one.json.data.hmac })).json.data.valid).toBe(
      false,
    );
    // Batches keep order and references.
    const batch = await vault('POST', 'hmac/mac', {
      batch_input: [
        { input: b64('a'), reference: 'r1' },
        { input: b64('b'), reference: 'r2' },
      ],
    });
    expect(batch.status).toBe(200);
    expect(batch.json.data.batch_results.map((r: VaultJson) => r.reference)).toEqual(['r1', 'r2']);
    const vb = await vault('POST', 'verify/mac', {
      batch_input: batch.json.data.batch_results.map((r: VaultJson, i: number) => ({
        input: b64(i === 0 ? 'a' : 'x'),
        hmac: r.hmac,
        reference: r.reference,
      })),
      partial_failure_response_code: 207,
    });
    expect(vb.json.data.batch_results.map((r: VaultJson) => r.valid)).toEqual([true, false]);
    // Rotation: new HMACs name v2, old ones still verify; min_decryption_version then refuses them (Vault's text).
    await vault('POST', 'keys/mac/rotate', {});
    const v2 = (await vault('POST', 'hmac/mac', { input })).json.data.hmac;
    expect(v2.startsWith('vault:v2:')).toBe(true);
    expect((await vault('POST', 'verify/mac', { input, hmac: one.json.data.hmac })).json.data.valid).toBe(true);
    await vault('POST', 'keys/mac/config', { min_decryption_version: 2 });
    expect(await vault('POST', 'verify/mac', { input, hmac: one.json.data.hmac })).toMatchObject({
      status: 400,
      json: { errors: ['cannot verify HMAC: version is too old (disallowed by policy)'] },
    });
    // A KEM key has HMAC keys too (derived from each version's seed), not its seed bytes.
    await vault('POST', 'keys/kem', { type: 'ml-kem-768', exportable: true });
    const kemMac = (await vault('POST', 'hmac/kem', { input })).json.data.hmac;
    expect((await vault('POST', 'verify/kem', { input, hmac: kemMac })).json.data.valid).toBe(true);
    const seed = (await vault('GET', 'export/encryption-key/kem/1')).json.data.keys['1'];
    expect(kemMac).not.toBe(
      `vault:v1:${createHmac('sha256', Buffer.from(seed, 'base64')).update('hello hmac').digest('base64')}`,
    );
    // Vault's error texts.
    expect((await vault('POST', 'hmac/mac', {})).json.errors).toEqual(['missing input for HMAC']);
    expect((await vault('POST', 'hmac/mac', { input, algorithm: 'md5' })).json.errors).toEqual([
      'unsupported algorithm md5',
    ]);
    expect((await vault('POST', 'verify/mac', { input, hmac: 'v1:abc' })).json.errors).toEqual([
      'invalid HMAC to verify: no prefix',
    ]);
    expect((await vault('POST', 'verify/mac', { input, hmac: 'vault:v9:AAAA' })).json.errors).toEqual([
      'invalid HMAC: version is too new',
    ]);
    expect((await vault('POST', 'hmac/missing', { input })).status).toBe(404);
    // hmac keys do not encrypt or sign.
    expect((await vault('POST', 'encrypt/mac', { plaintext: input })).status).toBe(400);
    expect((await vault('POST', 'sign/mac', { input })).status).toBe(400);
    // Unknown algorithm segments do not route.
    expect((await vault('POST', 'hmac/mac/md5', { input })).status).toBe(404);
  });

  it('hash[/:algorithm] with format hex and base64 equals node:crypto', async () => {
    const input = nodeRandom(300);
    for (const alg of TRANSIT_HASH_ALGORITHMS) {
      const hex = await vault('POST', `hash/${alg}`, { input: b64(input) });
      expect(hex.json.data.sum, alg).toBe(createHash(nodeName(alg)).update(input).digest('hex'));
      const viaBody = await vault('POST', 'hash', { input: b64(input), algorithm: alg, format: 'base64' });
      expect(viaBody.json.data.sum, alg).toBe(createHash(nodeName(alg)).update(input).digest('base64'));
    }
    // Default sha2-256 / hex; Vault's errors.
    expect((await vault('POST', 'hash', { input: b64('abc') })).json.data.sum).toBe(
      createHash('sha256').update('abc').digest('hex'),
    );
    expect((await vault('POST', 'hash', { input: b64('abc'), format: 'raw' })).json.errors).toEqual([
      'unsupported encoding format raw; must be "hex" or "base64"',
    ]);
    expect((await vault('POST', 'hash', { input: b64('abc'), algorithm: 'sha1' })).json.errors).toEqual([
      'unsupported algorithm sha1',
    ]);
    expect((await vault('POST', 'hash/md5', { input: b64('abc') })).status).toBe(404);
  });

  it('random[/:source][/:bytes]: lengths, formats, sources and limits', async () => {
    const r1 = await vault('POST', 'random', {});
    expect(Buffer.from(r1.json.data.random_bytes, 'base64').length).toBe(32);
    expect((await vault('POST', 'random/64', { format: 'hex' })).json.data.random_bytes).toMatch(/^[0-9a-f]{128}$/);
    expect(Buffer.from((await vault('POST', 'random/all/16', {})).json.data.random_bytes, 'base64').length).toBe(16);
    expect(Buffer.from((await vault('POST', 'random', { bytes: 7 })).json.data.random_bytes, 'base64').length).toBe(7);
    const seal = await vault('POST', 'random/seal', {});
    expect(seal.json.warnings).toEqual(['no seal/entropy augmentation available, using platform entropy source']);
    expect((await vault('POST', 'random', {})).json.data.random_bytes).not.toBe(r1.json.data.random_bytes);
    expect((await vault('POST', 'random', { bytes: 200_000 })).json.errors).toEqual([
      '"bytes" should be less than 131072',
    ]);
    expect((await vault('POST', 'random', { format: 'raw' })).json.errors).toEqual([
      'unsupported encoding format "raw"; must be "hex" or "base64"',
    ]);
    expect((await vault('POST', 'random', { source: 'hsm' })).json.errors).toEqual([
      'unsupported entropy source "hsm"; must be "platform" or "seal", or "all"',
    ]);
    // Only canonical decimal byte counts and known sources route.
    for (const p of ['random/032', 'random/1e3', 'random/hsm', 'random/all/x', 'random/16/all'])
      expect((await vault('POST', p, {})).status, p).toBe(404);
  });

  it('BYOK: wrapping_key, keys/:name/import wrapped with OpenSSL, export/:type/:name[/:version] round trip', async () => {
    const pem = (await vault('GET', 'wrapping_key')).json.data.public_key as string;
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(createPublicKey(pem).asymmetricKeyDetails?.modulusLength).toBe(4096);
    expect((await vault('GET', 'wrapping_key')).json.data.public_key).toBe(pem); // stable (stored)
    // Export an exportable key's seeds, import them elsewhere: the same public key, the same HMACs.
    await vault('POST', 'keys/src', { type: 'ml-kem-768', exportable: true });
    const seed = Buffer.from((await vault('GET', 'export/encryption-key/src/latest')).json.data.keys['1'], 'base64');
    expect(seed.length).toBe(64);
    const imp = await vault('POST', 'keys/copy/import', {
      ciphertext: wrapForImport(pem, seed),
      type: 'ml-kem-768',
      exportable: true,
    });
    expect(imp.status).toBe(204);
    const src = (await vault('GET', 'keys/src')).json.data;
    const copy = (await vault('GET', 'keys/copy')).json.data;
    expect(copy.keys['1'].public_key).toBe(src.keys['1'].public_key);
    expect(copy).toMatchObject({ imported_key: true, imported_key_allow_rotation: false });
    expect((await vault('GET', 'export/encryption-key/copy/1')).json.data).toEqual({
      name: 'copy',
      type: 'ml-kem-768',
      keys: { '1': seed.toString('base64') },
    });
    const ct = (await vault('POST', 'encrypt/copy', { plaintext: b64('byok') })).json.data.ciphertext;
    expect(
      Buffer.from((await vault('POST', 'decrypt/copy', { ciphertext: ct })).json.data.plaintext, 'base64').toString(),
    ).toBe('byok');
    // Imported keys rotate only with allow_rotation (Vault's text).
    expect((await vault('POST', 'keys/copy/rotate', {})).json.errors).toEqual([
      'imported key copy does not allow rotation within Vault',
    ]);
    // ML-DSA and hmac keys import too; SHA-512 as the OAEP hash.
    const xi = nodeRandom(32);
    expect(
      (
        await vault('POST', 'keys/signer/import', {
          ciphertext: wrapForImport(pem, xi, 'sha512'),
          hash_function: 'SHA512',
          type: 'ml-dsa-65',
          allow_rotation: true,
          exportable: true,
        })
      ).status,
    ).toBe(204);
    expect((await vault('GET', 'export/signing-key/signer')).json.data.keys).toEqual({ '1': xi.toString('base64') });
    expect((await vault('POST', 'keys/signer/rotate', {})).json.data.latest_version).toBe(2);
    const macKey = nodeRandom(64);
    await vault('POST', 'keys/imac/import', { ciphertext: wrapForImport(pem, macKey), type: 'hmac' });
    expect((await vault('POST', 'hmac/imac', { input: b64('m') })).json.data.hmac).toBe(
      `vault:v1:${createHmac('sha256', macKey).update('m').digest('base64')}`,
    );
    // Refusals, with Vault's texts where Vault has one.
    const bad = async (path: string, body: unknown) => (await vault('POST', path, body)).json.errors?.[0];
    expect(await bad('keys/copy/import', { ciphertext: wrapForImport(pem, seed), type: 'ml-kem-768' })).toBe(
      'the import path cannot be used with an existing key; use import-version to rotate an existing imported key',
    );
    expect(await bad('keys/n1/import', { type: 'ml-kem-768' })).toBe(
      'one of the following fields, ciphertext xor public_key, has to be set',
    );
    expect(await bad('keys/n1/import', { ciphertext: b64(nodeRandom(100)) })).toBe('provided ciphertext is too short');
    expect(await bad('keys/n1/import', { ciphertext: wrapForImport(pem, seed, 'sha1') })).toMatch(
      /cannot decrypt the ephemeral key/,
    );
    expect(await bad('keys/n1/import', { ciphertext: wrapForImport(pem, seed), hash_function: 'MD5' })).toMatch(
      /^unknown hash function: MD5/,
    );
    expect(await bad('keys/n1/import', { ciphertext: wrapForImport(pem, nodeRandom(40)), type: 'ml-kem-768' })).toMatch(
      /must be its 64-byte seed/,
    );
    expect(await bad('keys/n1/import', { ciphertext: wrapForImport(pem, seed), auto_rotate_period: '24h' })).toBe(
      'allow_rotation must be set to true if auto-rotation is enabled',
    );
    const tampered = Buffer.from(wrapForImport(pem, seed), 'base64');
    tampered[tampered.length - 1]! ^= 1;
    expect(await bad('keys/n1/import', { ciphertext: tampered.toString('base64') })).toMatch(
      /cannot unwrap the key material/,
    );
    expect((await vault('GET', 'keys/n1')).status).toBe(404);
    // Export refusals (Vault's texts).
    await vault('POST', 'keys/private', { type: 'ml-kem-768' });
    const exp = async (path: string) => (await vault('GET', path)).json.errors?.[0];
    expect(await exp('export/encryption-key/private')).toBe('private key material is not exportable');
    expect(await exp('export/signing-key/src')).toBe('signing not supported for the key');
    expect(await exp('export/encryption-key/signer')).toBe('encryption not supported for the key');
    expect(await exp('export/encryption-key/src/7')).toBe('version does not exist or cannot be found');
    expect((await vault('GET', 'export/secret-key/src')).status).toBe(404);
    // Exported material never reaches the audit log in the clear.
    expect(audit.lines.join('\n')).not.toContain(seed.toString('base64'));
    expect(audit.lines.join('\n')).not.toContain(xi.toString('base64'));
  });

  it('BYOK SLH-DSA: a key made by @noble/post-quantum imported by its seed signs as noble does; export gives the seed back', async () => {
    const pem = (await vault('GET', 'wrapping_key')).json.data.public_key as string;
    const seed = new Uint8Array(nodeRandom(48));
    const theirs = slh_dsa_shake_128f.keygen(seed);
    const imp = await vault('POST', 'keys/slh-imported/import', {
      ciphertext: wrapForImport(pem, seed),
      type: 'slh-dsa-shake-128f',
      exportable: true,
    });
    expect(imp.status).toBe(204);
    const info = (await vault('GET', 'keys/slh-imported')).json.data;
    expect(info).toMatchObject({ type: 'slh-dsa-shake-128f', imported_key: true, supports_signing: true });
    expect(info.keys['1'].public_key).toBe(b64(theirs.publicKey));
    const sig = (await vault('POST', 'sign/slh-imported', { input: b64('byok'), context: b64('ctx') })).json.data;
    const raw = Buffer.from(sig.signature.slice('vault:v1:'.length), 'base64');
    expect(slh_dsa_shake_128f.verify(raw, Buffer.from('byok'), theirs.publicKey, { context: Buffer.from('ctx') })).toBe(
      true,
    );
    expect((await vault('GET', 'export/signing-key/slh-imported/1')).json.data.keys['1']).toBe(b64(seed));
    // A seed of another set's length (or an ML-DSA ξ) is refused with the length this set needs.
    const wrong = await vault('POST', 'keys/slh-wrong/import', {
      ciphertext: wrapForImport(pem, nodeRandom(32)),
      type: 'slh-dsa-shake-128f',
    });
    expect(wrong).toEqual({
      status: 400,
      json: { errors: ['key material for slh-dsa-shake-128f must be its 48-byte seed, not 32 bytes'] },
    });
  });

  it('TransitClient covers the new endpoints (hmac, verifyHmac, hash, random, wrappingKey, importKey, exportKey)', async () => {
    const c = new TransitClient({ address: url, token: TOKEN });
    await c.createKey('client-mac', { type: 'hmac', exportable: true });
    const m = await c.hmac('client-mac', Buffer.from('x'), { algorithm: 'sha3-256' });
    expect(await c.verifyHmac('client-mac', Buffer.from('x'), m, { algorithm: 'sha3-256' })).toBe(true);
    expect(await c.verifyHmac('client-mac', Buffer.from('y'), m, { algorithm: 'sha3-256' })).toBe(false);
    const key = Buffer.from((await c.exportKey('hmac-key', 'client-mac', 1)).keys['1']!, 'base64');
    expect(m).toBe(`vault:v1:${createHmac('sha3-256', key).update('x').digest('base64')}`);
    expect(Buffer.from(await c.hash(Buffer.from('abc'), { algorithm: 'sha2-384' })).toString('hex')).toBe(
      createHash('sha384').update('abc').digest('hex'),
    );
    expect((await c.random(40)).length).toBe(40);
    const seed = nodeRandom(32);
    await c.importKey('client-imported', wrapForImport(await c.wrappingKey(), seed), {
      type: 'xwing',
      exportable: true,
    });
    expect((await c.exportKey('encryption-key', 'client-imported')).keys).toEqual({ '1': seed.toString('base64') });
  });

  it('the wrapping key is authenticated: a public key swapped in the store is refused, not handed out', async () => {
    const store = memoryStore();
    const k = new Keyring({ store, masterKey: await masterKeyFromBytes(new Uint8Array(32).fill(12)) });
    const other = new Keyring({
      store: memoryStore(),
      masterKey: await masterKeyFromBytes(new Uint8Array(32).fill(12)),
    });
    await k.wrappingKey();
    await other.wrappingKey();
    const mine = (await store.get('_wrapping-key'))!;
    const theirs = JSON.parse((await other.store.get('_wrapping-key'))!.json);
    const doc = JSON.parse(mine.json);
    doc.spki = theirs.spki; // an attacker's public key next to our sealed private key
    expect(await store.put('_wrapping-key', JSON.stringify(doc), mine.revision)).toBe(mine.revision + 1);
    await expect(k.wrappingKey()).rejects.toMatchObject({ code: C.RECORD_TAMPERED });
    expect(await k.listKeys()).toEqual([]);
  });
});
