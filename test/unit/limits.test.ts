/*
 * Resource limits: wasm memory is fixed and stays flat over many mixed
 * operations; inputs above each layer's documented limit are refused with a
 * typed error before any work starts (docs/hardening.md lists the limits).
 *
 * QSIGN_SOAK_OPS sets the mixed-operation count (default 60 000 here; the
 * long run `npm run fuzz -- --soak` uses 1 000 000).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { init, ml_kem768, ml_dsa44, sha3_256, shake256 } from '../../src/index.js';
import { getExports } from '../../src/wasm/loader.js';
import { withHeap, ARENA_BYTES } from '../../src/wasm/heap.js';
import { xwing } from '../../src/hybrid/index.js';
import { compactVerify, jwtVerify, generateKeyPair, SignJWT, DEFAULT_MAX_TOKEN_SIZE } from '../../src/jose/index.js';
import { Certificate, Csr, decodePKCS8, decodeSPKI, pemDecodeAll } from '../../src/x509/index.js';
import { MAX_DER_BYTES } from '../../src/x509/der.js';
import { MAX_PEM_CHARS } from '../../src/x509/pem.js';
import {
  Keyring,
  memoryStore,
  generateMasterKey,
  createTransitHandler,
  encryptStream,
  decryptStream,
} from '../../src/transit/index.js';
import { QsignError } from '../../src/errors.js';
import { arenaTop, arenaWiped, largestFreeBlock } from './fuzz/invariants.js';

beforeAll(async () => {
  await init();
});
const te = new TextEncoder();

async function code(p: unknown): Promise<string> {
  try {
    await (typeof p === 'function' ? (p as () => unknown)() : p);
  } catch (e) {
    if (e instanceof QsignError) return e.code;
    throw e;
  }
  throw new Error('expected a QsignError');
}

describe('limits: wasm memory', () => {
  it('is fixed: memory.grow() is refused, the arena refuses oversize requests with ERR_INPUT_TOO_LARGE', async () => {
    const mem = getExports('ml-dsa').memory;
    const before = mem.buffer.byteLength;
    expect(before).toBe(4 * 1024 * 1024);
    expect(() => mem.grow(1)).toThrow(RangeError);
    expect(mem.buffer.byteLength).toBe(before);
    expect(await code(() => withHeap('ml-dsa', (h) => h.alloc(ARENA_BYTES + 1)))).toBe('ERR_INPUT_TOO_LARGE');
    // Large inputs still work where the API streams them through the arena in chunks.
    expect(sha3_256(new Uint8Array(3 * ARENA_BYTES)).length).toBe(32);
    const { publicKey, secretKey } = ml_dsa44.keygen(new Uint8Array(32).fill(1));
    const big = new Uint8Array(2 * ARENA_BYTES).fill(7);
    expect(ml_dsa44.verify(ml_dsa44.sign(big, secretKey), big, publicKey)).toBe(true);
  });

  const OPS = Number(process.env.QSIGN_SOAK_OPS ?? 60_000);
  it(`stays flat over ${OPS} mixed operations (hash, KEM, X-Wing, ML-DSA, streaming, bad inputs)`, () => {
    const x = getExports('ml-kem');
    const kp = ml_kem768.keygen(new Uint8Array(64).fill(2));
    const { cipherText } = ml_kem768.encapsulate(kp.publicKey);
    const xw = xwing.keygen(new Uint8Array(32).fill(3));
    const xwCt = xwing.encapsulate(xw.publicKey).cipherText;
    const dsa = ml_dsa44.keygen(new Uint8Array(32).fill(4));
    const sig = ml_dsa44.sign(te.encode('m'), dsa.secretKey);
    const msg = new Uint8Array(200).fill(9);
    const mem0 = x.memory.buffer.byteLength,
      top0 = arenaTop(),
      free0 = largestFreeBlock();
    const rss0 = process.memoryUsage().rss;
    let errors = 0;
    const t0 = performance.now();
    for (let i = 0; i < OPS; i++) {
      const r = i % 100;
      try {
        if (r < 55) sha3_256(msg);
        else if (r < 70) shake256(msg, { dkLen: 64 });
        else if (r < 75) {
          const h = shake256.create();
          h.update(msg);
          h.xof(100);
          h.destroy();
        } else if (r < 77) sha3_256.create().update(msg).digest();
        else if (r < 84) ml_kem768.decapsulate(cipherText, kp.secretKey);
        else if (r < 88) ml_kem768.encapsulate(kp.publicKey);
        else if (r < 90) xwing.decapsulate(xwCt, xw.secretKey);
        else if (r < 93) ml_dsa44.verify(sig, te.encode('m'), dsa.publicKey);
        else if (r === 93) ml_dsa44.sign(msg, dsa.secretKey);
        else if (r === 94) {
          const s = ml_dsa44.signer(dsa.secretKey);
          s.update(msg);
          if (i % 2) s.sign();
          else s.destroy();
        } else if (r === 95) ml_kem768.decapsulate(cipherText.subarray(1), kp.secretKey);
        else if (r === 96) ml_kem768.encapsulate(new Uint8Array(1184).fill(0xff));
        else if (r === 97) ml_dsa44.verify(sig.subarray(3), msg, dsa.publicKey);
        else if (r === 98) withHeap('ml-kem', (h) => h.alloc(ARENA_BYTES + 1));
        else ml_dsa44.sign(msg, new Uint8Array(5));
      } catch (e) {
        if (!(e instanceof QsignError)) throw e;
        errors++;
      }
      if (i % 10_000 === 9_999) {
        expect(x.memory.buffer.byteLength).toBe(mem0);
        expect(arenaTop()).toBe(top0);
      }
    }
    const ms = performance.now() - t0;
    expect(errors).toBeGreaterThan(0);
    expect(x.memory.buffer.byteLength).toBe(mem0);
    expect(arenaTop()).toBe(top0);
    expect(arenaWiped()).toBe(true);
    expect(largestFreeBlock(), 'wasm heap must not leak').toBeGreaterThanOrEqual(free0);
    // JS heap may wobble with GC; a leak per operation would show as hundreds of MiB.
    const rssGrowth = (process.memoryUsage().rss - rss0) / 2 ** 20;
    expect(rssGrowth).toBeLessThan(128);
    console.log(
      `soak: ${OPS} ops in ${(ms / 1000).toFixed(1)} s (${Math.round(OPS / (ms / 1000))} ops/s), ${errors} typed errors, RSS Δ ${rssGrowth.toFixed(1)} MiB, wasm memory ${mem0} B flat`,
    );
  });
});

describe('limits: refused before work starts', () => {
  it(`JOSE: tokens over maxTokenSize (default ${DEFAULT_MAX_TOKEN_SIZE}) are refused without resolving a key`, async () => {
    const { privateKey, publicKey } = await generateKeyPair('ML-DSA-44');
    let resolved = 0;
    const resolver = async () => {
      resolved++;
      return publicKey;
    };
    const ok = await new SignJWT({ pad: 'x'.repeat(1000) }).setProtectedHeader({ alg: 'ML-DSA-44' }).sign(privateKey);
    expect((await jwtVerify(ok, resolver)).payload.pad).toHaveLength(1000);
    expect(resolved).toBe(1);
    const huge = `${ok.split('.')[0]}.${'A'.repeat(DEFAULT_MAX_TOKEN_SIZE)}.${ok.split('.')[2]}`;
    expect(await code(jwtVerify(huge, resolver))).toBe('ERR_JWS_INVALID');
    expect(await code(compactVerify(huge, resolver))).toBe('ERR_JWS_INVALID');
    expect(await code(compactVerify(ok, resolver, { maxTokenSize: 100 }))).toBe('ERR_JWS_INVALID');
    expect(resolved, 'the key resolver must not run for an oversize token').toBe(1);
  });

  it(`X.509: DER over ${MAX_DER_BYTES} bytes and PEM over ${MAX_PEM_CHARS} characters are refused`, () => {
    // A syntactically plausible SEQUENCE header so only the size can be the reason.
    const big = new Uint8Array(MAX_DER_BYTES + 8);
    big.set([0x30, 0x83, (MAX_DER_BYTES + 3) >> 16, ((MAX_DER_BYTES + 3) >> 8) & 0xff, (MAX_DER_BYTES + 3) & 0xff]);
    for (const f of [Certificate.parse, Csr.parse, decodeSPKI, decodePKCS8] as ((d: Uint8Array) => unknown)[]) {
      let err: unknown;
      try {
        f(big);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(QsignError);
      expect((err as Error).message).toMatch(/exceeds the 262144-byte limit/);
    }
    let err: unknown;
    const t0 = performance.now();
    try {
      pemDecodeAll('-----BEGIN CERTIFICATE-----\n' + 'A'.repeat(MAX_PEM_CHARS) + '\n-----END CERTIFICATE-----\n');
    } catch (e) {
      err = e;
    }
    expect((err as QsignError).code).toBe('ERR_PEM');
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('transit HTTP: body over maxBodyBytes (declared or streamed), batch over maxBatchItems, deep JSON, long key names', async () => {
    const keyring = new Keyring({ store: memoryStore(), masterKey: (await generateMasterKey()).masterKey });
    await keyring.createKey('k', { type: 'kyber768' });
    let encrypts = 0;
    const real = keyring.encrypt.bind(keyring);
    keyring.encrypt = (async (...a: Parameters<typeof real>) => {
      encrypts++;
      return real(...a);
    }) as typeof real;
    const handler = createTransitHandler({
      keyring,
      auth: { tokens: [{ token: 'limits-token-123', policies: ['root'] }] },
      limits: { maxBodyBytes: 4096, maxBatchItems: 8 },
    });
    const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
      handler(
        new Request(`http://127.0.0.1/v1/oqs-transit/${path}`, {
          method: 'POST',
          headers: { 'x-vault-token': 'limits-token-123', ...headers },
          body,
          duplex: 'half',
        } as RequestInit),
      );

    // Declared too large: refused from the header, the body is never pulled.
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled++;
        c.enqueue(new Uint8Array(1024));
      },
    });
    expect((await post('encrypt/k', endless, { 'content-length': '999999' })).status).toBe(507);
    expect(pulled).toBeLessThanOrEqual(1);
    // Undeclared and endless: reading stops just past the limit.
    let pulled2 = 0;
    const endless2 = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled2++;
        c.enqueue(new Uint8Array(1024));
      },
    });
    expect((await post('encrypt/k', endless2)).status).toBe(507);
    expect(pulled2).toBeLessThanOrEqual(8);
    // Batch: 9 items > 8 → 507 and not one item encrypted.
    const items = Array.from({ length: 9 }, () => ({ plaintext: 'aGk=' }));
    expect((await post('encrypt/k', JSON.stringify({ batch_input: items }))).status).toBe(507);
    expect(encrypts).toBe(0);
    expect((await post('encrypt/k', JSON.stringify({ batch_input: items.slice(1) }))).status).toBe(200);
    expect(encrypts).toBe(8);
    // Nesting over 32 levels → 400 before JSON.parse builds it.
    expect((await post('encrypt/k', `{"plaintext":"aGk=","x":${'['.repeat(33)}${']'.repeat(33)}}`)).status).toBe(400);
    expect((await post('encrypt/k', `{"plaintext":"aGk=","x":${'['.repeat(30)}${']'.repeat(30)}}`)).status).toBe(200);
    // Key names: 1–128 characters.
    expect((await post(`keys/${'a'.repeat(129)}`, '{"type":"kyber768"}')).status).toBe(400);
    expect(await code(keyring.encrypt('a'.repeat(129), new Uint8Array(1)))).toBe('ERR_TRANSIT_INVALID_REQUEST');
  });

  it('transit streams: chunkSize over 16 MiB refused; a frame longer than chunkSize is refused before it is buffered', async () => {
    const keyring = new Keyring({ store: memoryStore(), masterKey: (await generateMasterKey()).masterKey });
    await keyring.createKey('k', { type: 'kyber768' });
    const one = (b: Uint8Array) =>
      new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(b);
          c.close();
        },
      });
    expect(await code(encryptStream(keyring, 'k', one(new Uint8Array(1)), { chunkSize: 16 * 1024 * 1024 + 1 }))).toBe(
      'ERR_TRANSIT_INVALID_REQUEST',
    );
    const enc = new Uint8Array(
      await new Response(await encryptStream(keyring, 'k', one(new Uint8Array(100)), { chunkSize: 64 })).arrayBuffer(),
    );
    // First frame header sits after the 19-byte fixed header and the 1088-byte ML-KEM-768 enc.
    const at = 19 + 1088;
    const bad = enc.slice(0, at + 5);
    bad.set([0, 0xff, 0xff, 0xff, 0xf0], at);
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bad);
      },
      pull(c) {
        pulled++;
        c.enqueue(new Uint8Array(64 * 1024));
      },
    });
    const out = await decryptStream(keyring, 'k', endless);
    expect(
      await code(
        new Response(out).arrayBuffer().catch((e) => {
          throw e;
        }),
      ),
    ).toBe('ERR_TRANSIT_STREAM_CORRUPT');
    expect(pulled).toBeLessThanOrEqual(2);
  });
});
