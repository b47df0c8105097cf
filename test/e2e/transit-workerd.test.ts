/*
 * examples/edge-transit in real workerd: the Worker routes each request to the Durable Object of its key (one
 * object per key, plus an index object), whose keyring stores into Durable Object storage (in memory here).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, createCipheriv, createPublicKey, publicEncrypt, randomBytes as nodeRandom } from 'node:crypto';
import { slh_dsa_shake_128f } from '@noble/post-quantum/slh-dsa.js';
import { TransitClient, TransitErrorCodes as C } from '../../src/transit/index.js';
import { freePort } from '../helpers/ports.mjs';
import { startWorkerd, workerdConfig } from '../helpers/workerd.mjs';
// @ts-expect-error plain .mjs build script without types
import { bundleEdgeTransit } from '../../examples/edge-transit/build.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const TOKEN = 'workerd-root-token-42';
const te = new TextEncoder();
let dir: string;
let workerd: Awaited<ReturnType<typeof startWorkerd>> | undefined;
let url: string;

beforeAll(async () => {
  mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
  dir = mkdtempSync(join(root, 'node_modules', '.cache', 'qsign-transit-workerd-'));
  // The example's worker, wrapped so the test can read and write Durable Object storage as an attacker with
  // storage access would (routes that exist only in this test bundle, sent to the object named by ?object=).
  const entry = join(dir, 'test-entry.ts');
  writeFileSync(
    entry,
    `import worker, { TransitObject as Example } from ${JSON.stringify(join(root, 'examples/edge-transit/src/worker.ts'))};
export class TransitObject extends Example {
  constructor(state, env) { super(state, env); this.raw = state.storage; }
  async fetch(req) {
    const u = new URL(req.url);
    if (u.pathname === '/__test/storage') return Response.json([...(await this.raw.list()).keys()].sort());
    if (u.pathname !== '/__test/tamper') return super.fetch(req);
    const k = 'transit-key:' + u.searchParams.get('name');
    const row = await this.raw.get(k);
    const doc = JSON.parse(row.json);
    const rec = doc.record ?? doc; // format 2 (authenticated) or, before issue 18, the bare record
    rec.versions['1'].public_key = rec.versions[String(rec.latest_version)].public_key;
    await this.raw.put(k, { json: JSON.stringify(doc), revision: row.revision + 1 });
    return new Response('tampered');
  }
}
export default {
  fetch(req, env) {
    const u = new URL(req.url);
    if (u.pathname.startsWith('/__test/'))
      return env.TRANSIT.get(env.TRANSIT.idFromName(u.searchParams.get('object'))).fetch(req);
    return worker.fetch(req, env);
  },
};
`,
  );
  await bundleEdgeTransit(dir, entry);
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  workerd = await startWorkerd({
    dir,
    probeUrl: `${url}/v1/sys/health`,
    config: workerdConfig({
      dir,
      port,
      workers: [
        {
          name: 'transit',
          // worker.js and every wasm module the build copied beside it (one per family and build).
          modules: ['worker.js', ...readdirSync(dir).filter((n) => n.endsWith('.wasm'))].map((name) =>
            name.endsWith('.wasm') ? { name, wasm: join(dir, name) } : { name, esModule: join(dir, name) },
          ),
          // As the example's wrangler.toml: native ML-DSA/ML-KEM in crypto.subtle.
          compatibilityFlags: ['webcrypto_modern_algorithms'],
          bindings: [
            '(name = "TRANSIT", durableObjectNamespace = "TransitObject")',
            `(name = "QSIGN_MASTER_KEY", text = "${Buffer.alloc(32, 5).toString('base64')}")`,
            `(name = "QSIGN_TRANSIT_TOKEN", text = "${TOKEN}")`,
          ],
          extra: [
            'durableObjectNamespaces = [ (className = "TransitObject", uniqueKey = "qsign-transit-test") ]',
            'durableObjectStorage = (inMemory = void)',
          ],
        },
      ],
    }),
  });
}, 90_000);

afterAll(async () => {
  await workerd?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const storageOf = async (object: string): Promise<string[]> =>
  (await fetch(`${url}/__test/storage?object=${encodeURIComponent(object)}`)).json() as Promise<string[]>;
const vault = async (method: string, path: string, body?: unknown) => {
  const r = await fetch(`${url}/v1/oqs-transit/${path}`, {
    method,
    headers: { 'x-vault-token': TOKEN },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null };
};

describe('edge-transit in workerd (Durable Object store)', () => {
  it('create → encrypt → decrypt → rotate → rewrap → sign/verify; 403 and 404 as in Node', async () => {
    const client = new TransitClient({ address: url, token: TOKEN });
    expect((await client.createKey('edge', { type: 'xwing' })).type).toBe('xwing');
    const { ciphertext } = await client.encrypt('edge', te.encode('at the edge'));
    expect(ciphertext).toMatch(/^vault:v1:/);
    expect(new TextDecoder().decode((await client.decrypt('edge', ciphertext)).plaintext)).toBe('at the edge');
    expect((await client.rotateKey('edge')).latest_version).toBe(2);
    const rw = await client.rewrap('edge', ciphertext);
    expect(rw.keyVersion).toBe(2);
    await client.configKey('edge', { min_decryption_version: 2 });
    expect(
      await client.decrypt('edge', ciphertext).then(
        () => 'ok',
        (e) => e.code,
      ),
    ).toBe(C.VERSION_DISALLOWED);
    await client.createKey('edge-sig', { type: 'ml-dsa-44' });
    const s = await client.sign('edge-sig', te.encode('m'));
    expect(await client.verify('edge-sig', te.encode('m'), s.signature)).toBe(true);
    expect(await client.listKeys()).toEqual(['edge', 'edge-sig']);
    const parallel = await Promise.all(
      Array.from({ length: 20 }, (_, i) => client.encrypt('edge', te.encode(`p${i}`))),
    );
    const back = await Promise.all(parallel.map((p) => client.decrypt('edge', p.ciphertext)));
    back.forEach((b, i) => expect(new TextDecoder().decode(b.plaintext)).toBe(`p${i}`));
    const denied = await fetch(`${url}/v1/oqs-transit/keys/edge`);
    expect(denied.status).toBe(403);
    const missing = await fetch(`${url}/v1/oqs-transit/encrypt/nope`, {
      method: 'POST',
      headers: { 'x-vault-token': TOKEN },
      body: '{"plaintext":"eA=="}',
    });
    expect([missing.status, await missing.json()]).toEqual([404, { errors: ['encryption key not found'] }]);
  });

  it('a key record tampered with in Durable Object storage is refused, not used (issue 18, item 4)', async () => {
    const client = new TransitClient({ address: url, token: TOKEN });
    await client.createKey('edge-tamper', { type: 'ml-kem-768' });
    await client.rotateKey('edge-tamper');
    expect(await (await fetch(`${url}/__test/tamper?object=key:edge-tamper&name=edge-tamper`)).text()).toBe('tampered');
    const r = await fetch(`${url}/v1/oqs-transit/encrypt/edge-tamper`, {
      method: 'POST',
      headers: { 'x-vault-token': TOKEN },
      body: JSON.stringify({ plaintext: 'eA==', key_version: 1 }),
    });
    expect([r.status, await r.json()]).toEqual([500, { errors: ['key record failed its integrity check'] }]);
  });

  it('SLH-DSA in workerd: sign/verify with context in the key object, noble verifies; a tampered record is refused', async () => {
    const client = new TransitClient({ address: url, token: TOKEN });
    const info = await client.createKey('edge-slh', { type: 'slh-dsa-shake-128f' });
    expect(info).toMatchObject({ type: 'slh-dsa-shake-128f', supports_signing: true });
    const msg = te.encode('signed at the edge');
    const s = await client.sign('edge-slh', msg, { context: te.encode('edge') });
    const raw = Buffer.from(s.signature.slice('vault:v1:'.length), 'base64');
    const pk = Buffer.from(info.keys['1']!.public_key, 'base64');
    expect(slh_dsa_shake_128f.verify(raw, msg, pk, { context: te.encode('edge') })).toBe(true);
    expect(await client.verify('edge-slh', msg, s.signature, { context: te.encode('edge') })).toBe(true);
    expect(await client.verify('edge-slh', msg, s.signature)).toBe(false);
    await client.rotateKey('edge-slh');
    expect(await (await fetch(`${url}/__test/tamper?object=key:edge-slh&name=edge-slh`)).text()).toBe('tampered');
    await expect(client.verify('edge-slh', msg, s.signature, { context: te.encode('edge') })).rejects.toMatchObject({
      code: C.RECORD_TAMPERED,
    });
  });

  it('routes and authorizes on one canonical path in workerd too (issue 18, item 2)', async () => {
    for (const p of ['/v1/oqs-transit/keys/edge/', '/v1/oqs-transit//keys/edge', '/v1/oqs-transit/keys%2fedge']) {
      const r = await fetch(`${url}${p}`, { headers: { 'x-vault-token': TOKEN } });
      expect(r.status, p).toBe(400);
    }
  });
});

describe('edge-transit in workerd: one Durable Object per key', () => {
  it('each key lives in its own object; the index object lists them and holds nothing else', async () => {
    const client = new TransitClient({ address: url, token: TOKEN });
    await client.createKey('shard-a', { type: 'ml-kem-768' });
    await client.createKey('shard-b', { type: 'ml-dsa-44' });
    await client.createKey('shard-c', { type: 'xwing', deletion_allowed: true });
    expect(await storageOf('key:shard-a')).toEqual(['transit-key:shard-a']);
    expect(await storageOf('key:shard-b')).toEqual(['transit-key:shard-b']);
    expect(await storageOf('key:shard-c')).toEqual(['transit-key:shard-c']);
    const index = await storageOf('index');
    for (const k of ['shard-a', 'shard-b', 'shard-c']) expect(index).toContain(`transit-index:${k}`);
    expect(index.filter((k) => k.startsWith('transit-key:') && !k.startsWith('transit-key:_'))).toEqual([]);
    expect(await client.listKeys()).toEqual(expect.arrayContaining(['shard-a', 'shard-b', 'shard-c']));
    // Delete leaves the index too.
    await client.deleteKey('shard-c');
    expect(await client.listKeys()).not.toContain('shard-c');
    expect(await storageOf('key:shard-c')).toEqual([]);
    expect(await storageOf('index')).not.toContain('transit-index:shard-c');
  });

  it('eight keys in parallel, each with concurrent rotations and encrypts: nothing lost on any key', async () => {
    const client = new TransitClient({ address: url, token: TOKEN });
    const names = Array.from({ length: 8 }, (_, i) => `par-${i}`);
    await Promise.all(names.map((n) => client.createKey(n)));
    const acked: { name: string; pt: string; ct: string }[] = [];
    await Promise.all(
      names.flatMap((name) => [
        ...Array.from({ length: 3 }, () => client.rotateKey(name)),
        ...Array.from({ length: 5 }, async (_, j) => {
          const pt = `${name} ${j}`;
          acked.push({ name, pt, ct: (await client.encrypt(name, te.encode(pt))).ciphertext });
        }),
      ]),
    );
    for (const name of names) expect((await client.readKey(name)).latest_version, name).toBe(4);
    for (const a of acked) expect(new TextDecoder().decode((await client.decrypt(a.name, a.ct)).plaintext)).toBe(a.pt);
    expect(acked).toHaveLength(40);
  }, 180_000);

  it('BYOK across objects: the wrapping key (index) imports into a key object; hash and random answer', async () => {
    const pem = (await vault('GET', 'wrapping_key')).json.data.public_key as string;
    const eph = nodeRandom(32);
    const rsa = publicEncrypt(
      { key: createPublicKey(pem), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      eph,
    );
    const kwp = createCipheriv('id-aes256-wrap-pad', eph, Buffer.from('A65959A6', 'hex'));
    const macKey = nodeRandom(32);
    const ciphertext = Buffer.concat([rsa, kwp.update(macKey), kwp.final()]).toString('base64');
    expect((await vault('POST', 'keys/edge-imported/import', { ciphertext, type: 'hmac' })).status).toBe(204);
    expect(await storageOf('key:edge-imported')).toEqual(['transit-key:edge-imported']);
    const { hmac } = (await vault('POST', 'hmac/edge-imported', { input: 'bQ==' })).json.data;
    expect((await vault('POST', 'verify/edge-imported', { input: 'bQ==', hmac })).json.data.valid).toBe(true);
    expect((await vault('POST', 'hash/sha3-256', { input: 'YWJj' })).json.data.sum).toBe(
      '3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532',
    );
    expect((await vault('POST', 'random/16', { format: 'hex' })).json.data.random_bytes).toMatch(/^[0-9a-f]{32}$/);
  });

  it('restore needs the key name in the path; internal index paths are not reachable from outside', async () => {
    const client = new TransitClient({ address: url, token: TOKEN });
    await client.createKey('edge-backup');
    const backup = await client.backup('edge-backup');
    expect(await vault('POST', 'restore', { backup })).toMatchObject({
      status: 400,
      json: {
        errors: ['each key lives in its own object here: name the key in the request path (restore/edge-backup)'],
      },
    });
    expect((await vault('POST', 'restore/edge-restored', { backup })).status).toBe(200);
    expect(await client.listKeys()).toContain('edge-restored');
    for (const p of ['/__qsign-index/list', '/__qsign-index/add', '/v2/x'])
      expect((await fetch(`${url}${p}`, { method: 'POST', body: '{"name":"x"}' })).status, p).toBe(404);
    expect(await client.listKeys()).not.toContain('x');
  });
});
