// Transit in every runtime: the keyring on the memory store, the HTTP handler
// as a plain fetch function, and the stream framing. Web APIs only.
import { describe, it, expect } from '../helpers/harness.js';
import {
  Keyring,
  memoryStore,
  generateMasterKey,
  masterKeyFromBytes,
  createTransitHandler,
  TransitClient,
  TransitErrorCodes,
  toBase64,
  fromBase64,
} from '../../src/transit/index.js';

const te = new TextEncoder();
const td = new TextDecoder();

async function keyring(): Promise<Keyring> {
  return new Keyring({ store: memoryStore(), masterKey: (await generateMasterKey()).masterKey });
}

async function collect(s: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const r = s.getReader();
  for (;;) {
    const x = await r.read();
    if (x.done) break;
    parts.push(x.value);
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function streamOf(data: Uint8Array, piece: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(c) {
      if (at >= data.length) c.close();
      else {
        c.enqueue(data.slice(at, at + piece));
        at += piece;
      }
    },
  });
}

describe('transit', () => {
  it('create → encrypt → decrypt for ML-KEM-768 (kyber768), ML-KEM-1024 and X-Wing', async () => {
    const kr = await keyring();
    for (const [type, canonical] of [
      ['kyber768', 'ml-kem-768'],
      ['ml-kem-1024', 'ml-kem-1024'],
      ['xwing', 'xwing'],
    ]) {
      const info = await kr.createKey(`k-${type}`, { type });
      expect(info.type).toBe(canonical);
      const { ciphertext } = await kr.encrypt(`k-${type}`, te.encode('conformance'), {
        associatedData: te.encode('ad'),
      });
      expect(ciphertext.slice(0, 9)).toBe('vault:v1:');
      expect(
        td.decode((await kr.decrypt(`k-${type}`, ciphertext, { associatedData: te.encode('ad') })).plaintext),
      ).toBe('conformance');
      await expect(kr.decrypt(`k-${type}`, ciphertext)).rejects(TransitErrorCodes.DECRYPTION_FAILED);
    }
  });

  it('rotate: v2 for new ciphertexts, v1 still decrypts, rewrap, min_decryption_version refuses v1', async () => {
    const kr = await keyring();
    await kr.createKey('rot');
    const v1 = (await kr.encrypt('rot', te.encode('one'))).ciphertext;
    expect((await kr.rotateKey('rot')).latest_version).toBe(2);
    expect((await kr.encrypt('rot', te.encode('two'))).ciphertext.slice(0, 9)).toBe('vault:v2:');
    expect(td.decode((await kr.decrypt('rot', v1)).plaintext)).toBe('one');
    const re = await kr.rewrap('rot', v1);
    expect(re.keyVersion).toBe(2);
    await kr.configKey('rot', { min_decryption_version: 2 });
    await expect(kr.decrypt('rot', v1)).rejects(TransitErrorCodes.VERSION_DISALLOWED);
    expect(td.decode((await kr.decrypt('rot', re.ciphertext)).plaintext)).toBe('one');
  });

  it('sign/verify with ML-DSA-65 across a rotation', async () => {
    const kr = await keyring();
    await kr.createKey('sig', { type: 'ml-dsa-65' });
    const s1 = await kr.sign('sig', te.encode('msg'));
    await kr.rotateKey('sig');
    const s2 = await kr.sign('sig', te.encode('msg'));
    expect(s2.keyVersion).toBe(2);
    expect(await kr.verify('sig', te.encode('msg'), s1.signature)).toBeTrue();
    expect(await kr.verify('sig', te.encode('msg'), s2.signature)).toBeTrue();
    expect(await kr.verify('sig', te.encode('msG'), s2.signature)).toBeFalse();
  });

  it('sign/verify with SLH-DSA-SHA2-128f (its own wasm module) across a rotation, with a context', async () => {
    const kr = await keyring();
    expect((await kr.createKey('slh', { type: 'slh-dsa-sha2-128f' })).type).toBe('slh-dsa-sha2-128f');
    const ctx = te.encode('conformance');
    const s1 = await kr.sign('slh', te.encode('msg'), { context: ctx });
    expect(fromBase64(s1.signature.slice(9)).length).toBe(17088);
    await kr.rotateKey('slh');
    const s2 = await kr.sign('slh', te.encode('msg'), { context: ctx });
    expect(s2.keyVersion).toBe(2);
    expect(await kr.verify('slh', te.encode('msg'), s1.signature, { context: ctx })).toBeTrue();
    expect(await kr.verify('slh', te.encode('msg'), s2.signature, { context: ctx })).toBeTrue();
    expect(await kr.verify('slh', te.encode('msg'), s2.signature)).toBeFalse();
    expect(await kr.verify('slh', te.encode('msG'), s2.signature, { context: ctx })).toBeFalse();
    await expect(kr.encrypt('slh', te.encode('x'))).rejects(TransitErrorCodes.UNSUPPORTED_OPERATION);
  });

  it('errors: unknown key, bad ciphertext, flipped byte', async () => {
    const kr = await keyring();
    await expect(kr.encrypt('nonexistent-key', te.encode('x'))).rejects(TransitErrorCodes.KEY_NOT_FOUND);
    await kr.createKey('e');
    await expect(kr.decrypt('e', 'vault:v1:corrupted...')).rejects(TransitErrorCodes.INVALID_CIPHERTEXT);
    const { ciphertext } = await kr.encrypt('e', te.encode('x'));
    const body = fromBase64(ciphertext.slice(9));
    body[100]! ^= 1;
    await expect(kr.decrypt('e', `vault:v1:${toBase64(body)}`)).rejects(TransitErrorCodes.DECRYPTION_FAILED);
  });

  it('deterministic envelope (docs/envelope.md ML-KEM-768 vector prefix)', async () => {
    let c = 0;
    const random = (n: number) => {
      const base = c++ === 0 ? 0 : 0x80;
      return Uint8Array.from({ length: n }, (_, i) => (base + i) & 0xff);
    };
    const kr = new Keyring({ store: memoryStore(), masterKey: await masterKeyFromBytes(new Uint8Array(32)), random });
    await kr.createKey('vector-key', { type: 'ml-kem-768' });
    const { ciphertext } = await kr.encrypt('vector-key', te.encode('hello transit'), {
      associatedData: te.encode('aad'),
    });
    expect(ciphertext.slice(0, 61)).toBe('vault:v1:AQBBAAEAAgTB5DvYITnkYAqof93AeT98FH4Ot9zMN38BnSLBbs3L');
  });

  it('stream envelope round-trips and detects truncation', async () => {
    const kr = await keyring();
    await kr.createKey('s');
    const data = Uint8Array.from({ length: 10_000 }, (_, i) => i & 0xff);
    const ct = await collect(await kr.encryptStream('s', streamOf(data, 999), { chunkSize: 1024 }));
    expect(await collect(await kr.decryptStream('s', streamOf(ct, 700)))).toEqual(data);
    await expect(kr.decryptStream('s', streamOf(ct.subarray(0, ct.length - 30), 700)).then(collect)).rejects(
      TransitErrorCodes.STREAM_CORRUPT,
    );
  });

  it('HTTP handler + TransitClient as a fetch function: Vault JSON, 403 without token', async () => {
    const kr = await keyring();
    const handler = createTransitHandler({
      keyring: kr,
      auth: { tokens: [{ token: 'conformance-token', policies: ['root'] }] },
    });
    const f = ((u: string | URL | Request, init?: RequestInit) => handler(new Request(u, init))) as typeof fetch;
    const client = new TransitClient({ address: 'http://local', token: 'conformance-token', fetch: f });
    await client.createKey('web');
    const { ciphertext } = await client.encrypt('web', te.encode('over http'));
    expect(td.decode((await client.decrypt('web', ciphertext)).plaintext)).toBe('over http');
    const res = await handler(new Request('http://local/v1/oqs-transit/keys/web'));
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ errors: ['permission denied'] });
    const missing = await handler(
      new Request('http://local/v1/oqs-transit/encrypt/none', {
        method: 'POST',
        headers: { 'x-vault-token': 'conformance-token' },
        body: JSON.stringify({ plaintext: 'eA==' }),
      }),
    );
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ errors: ['encryption key not found'] });
  });
});
