/*
 * Load test of the transit HTTP service on 127.0.0.1 only: the real node:http
 * adapter, a bounded mix (≤ LOAD_SECONDS s and ≤ LOAD_MAX requests, 32 in
 * flight) of valid and invalid requests. Valid requests must all succeed,
 * invalid ones must get their exact error status, and RSS and wasm memory
 * must stay flat (the second half of the run may not grow past the first).
 */
import { describe, it, expect, afterAll } from 'vitest';
import { init } from '../../src/index.js';
import { getExports } from '../../src/wasm/loader.js';
import { Keyring, memoryStore, generateMasterKey, createTransitHandler, toBase64 } from '../../src/transit/index.js';
import { serveNode } from '../../src/transit/node/server.js';
import { arenaTop } from '../unit/fuzz/invariants.js';

const LOAD_SECONDS = Number(process.env.QSIGN_LOAD_SECONDS ?? 6);
const LOAD_MAX = Math.min(20_000, Number(process.env.QSIGN_LOAD_MAX ?? 20_000));
const CONCURRENCY = 32;
const TOKEN = 'load-test-token-0123456789';

let close: (() => Promise<void>) | undefined;
afterAll(async () => {
  await close?.();
});

interface Case {
  name: string;
  method: string;
  path: string;
  body?: string;
  token?: string | null;
  headers?: Record<string, string>;
  expect: number;
  check?: (j: { data: Record<string, unknown> }) => void;
}

describe('transit service under load (127.0.0.1)', () => {
  it(`answers a bounded valid/invalid mix with the right statuses and flat memory`, async () => {
    await init();
    const keyring = new Keyring({ store: memoryStore(), masterKey: (await generateMasterKey()).masterKey });
    await keyring.createKey('enc', { type: 'kyber768' });
    await keyring.createKey('xw', { type: 'xwing' });
    await keyring.createKey('sig', { type: 'ml-dsa-44' });
    const handler = createTransitHandler({
      keyring,
      auth: { tokens: [{ token: TOKEN, policies: ['root'] }] },
      limits: { maxBodyBytes: 64 * 1024, maxBatchItems: 32 },
    });
    const srv = await serveNode(handler, { host: '127.0.0.1', port: 0 });
    close = srv.close;
    const base = srv.url.replace(/\/$/, '');
    expect(new URL(base).hostname).toBe('127.0.0.1');

    const pt = toBase64(new TextEncoder().encode('load test payload'));
    const ct = (await keyring.encrypt('enc', new TextEncoder().encode('load test payload'))).ciphertext;
    const sig = (await keyring.sign('sig', new TextEncoder().encode('load test payload'))).signature;
    const T = '/v1/oqs-transit';
    const cases: Case[] = [
      // valid
      {
        name: 'encrypt',
        method: 'POST',
        path: `${T}/encrypt/enc`,
        body: JSON.stringify({ plaintext: pt }),
        expect: 200,
        check: (j) => expect(j.data.ciphertext).toMatch(/^vault:v1:/),
      },
      {
        name: 'encrypt-xwing',
        method: 'POST',
        path: `${T}/encrypt/xw`,
        body: JSON.stringify({ plaintext: pt }),
        expect: 200,
      },
      {
        name: 'decrypt',
        method: 'POST',
        path: `${T}/decrypt/enc`,
        body: JSON.stringify({ ciphertext: ct }),
        expect: 200,
        check: (j) => expect(j.data.plaintext).toBe(pt),
      },
      {
        name: 'batch',
        method: 'POST',
        path: `${T}/encrypt/enc`,
        body: JSON.stringify({ batch_input: [{ plaintext: pt }, { plaintext: pt }, { plaintext: pt }] }),
        expect: 200,
        check: (j) => expect(j.data.batch_results as unknown[]).toHaveLength(3),
      },
      { name: 'sign', method: 'POST', path: `${T}/sign/sig`, body: JSON.stringify({ input: pt }), expect: 200 },
      {
        name: 'verify',
        method: 'POST',
        path: `${T}/verify/sig`,
        body: JSON.stringify({ input: pt, signature: sig }),
        expect: 200,
        check: (j) => expect(j.data.valid).toBe(true),
      },
      { name: 'read', method: 'GET', path: `${T}/keys/enc`, expect: 200 },
      { name: 'health', method: 'GET', path: '/v1/sys/health', token: null, expect: 200 },
      // invalid
      {
        name: 'no-token',
        method: 'POST',
        path: `${T}/encrypt/enc`,
        body: JSON.stringify({ plaintext: pt }),
        token: null,
        expect: 403,
      },
      {
        name: 'bad-token',
        method: 'POST',
        path: `${T}/encrypt/enc`,
        body: JSON.stringify({ plaintext: pt }),
        token: 'nope-nope-nope',
        expect: 403,
      },
      { name: 'bad-json', method: 'POST', path: `${T}/encrypt/enc`, body: '{"plaintext":', expect: 400 },
      {
        name: 'bad-base64',
        method: 'POST',
        path: `${T}/encrypt/enc`,
        body: JSON.stringify({ plaintext: '***' }),
        expect: 400,
      },
      {
        name: 'tampered-ct',
        method: 'POST',
        path: `${T}/decrypt/enc`,
        body: JSON.stringify({ ciphertext: ct.slice(0, -8) + 'AAAAAAA=' }),
        expect: 400,
      },
      {
        name: 'garbage-ct',
        method: 'POST',
        path: `${T}/decrypt/enc`,
        body: JSON.stringify({ ciphertext: 'vault:v1:AAAA' }),
        expect: 400,
      },
      {
        name: 'unknown-key',
        method: 'POST',
        path: `${T}/decrypt/missing`,
        body: JSON.stringify({ ciphertext: ct }),
        expect: 404,
      },
      { name: 'traversal', method: 'GET', path: `${T}/keys/..%2f..%2fsys`, expect: 400 },
      { name: 'wrong-method', method: 'GET', path: `${T}/encrypt/enc`, expect: 405 },
      { name: 'unknown-path', method: 'POST', path: `${T}/nothing/here/at/all`, body: '{}', expect: 404 },
      {
        name: 'too-big',
        method: 'POST',
        path: `${T}/encrypt/enc`,
        body: JSON.stringify({ plaintext: 'A'.repeat(70 * 1024) }),
        expect: 507,
      },
      {
        name: 'too-many-items',
        method: 'POST',
        path: `${T}/encrypt/enc`,
        body: JSON.stringify({ batch_input: Array.from({ length: 33 }, () => ({ plaintext: pt })) }),
        expect: 507,
      },
      {
        name: 'deep-json',
        method: 'POST',
        path: `${T}/encrypt/enc`,
        body: `{"plaintext":"${pt}","x":${'['.repeat(5000)}${']'.repeat(5000)}}`,
        expect: 400,
      },
      {
        name: 'huge-number',
        method: 'POST',
        path: `${T}/encrypt/enc`,
        body: `{"plaintext":"${pt}","key_version":${'9'.repeat(400)}}`,
        expect: 400,
      },
      {
        name: 'text-plain',
        method: 'POST',
        path: `${T}/encrypt/enc`,
        body: 'plaintext=aGk=',
        headers: { 'content-type': 'text/plain' },
        expect: 400,
      },
    ];

    if (process.env.QSIGN_LOAD_PROFILE) {
      for (const c of cases) {
        const t = performance.now();
        for (let i = 0; i < 3; i++) {
          const headers: Record<string, string> = { 'content-type': 'application/json', ...(c.headers ?? {}) };
          const token = c.token === undefined ? TOKEN : c.token;
          if (token) headers['x-vault-token'] = token;
          await (await fetch(base + c.path, { method: c.method, headers, body: c.body })).text();
        }
        console.log(`profile ${c.name}: ${((performance.now() - t) / 3).toFixed(1)} ms`);
      }
    }
    const mem = () => ({ rss: process.memoryUsage().rss, wasm: getExports('ml-kem').memory.buffer.byteLength });
    const wrong: string[] = [];
    const counts = new Map<string, number>();
    let sent = 0,
      rssMid = 0;
    const start = performance.now();
    const deadline = start + LOAD_SECONDS * 1000;
    const mem0 = mem();
    const top0 = arenaTop();

    async function worker(id: number): Promise<void> {
      for (let i = id; performance.now() < deadline && sent < LOAD_MAX; i += CONCURRENCY) {
        const c = cases[(sent++ * 7 + id) % cases.length]!;
        const headers: Record<string, string> = { ...(c.headers ?? {}) };
        const token = c.token === undefined ? TOKEN : c.token;
        if (token) headers['x-vault-token'] = token;
        if (c.body && !headers['content-type']) headers['content-type'] = 'application/json';
        try {
          const res = await fetch(base + c.path, { method: c.method, headers, body: c.body });
          const text = await res.text();
          if (res.status !== c.expect) {
            wrong.push(`${c.name}: ${res.status} ${text.slice(0, 120)}`);
            continue;
          }
          if (c.check) c.check(JSON.parse(text));
          counts.set(c.name, (counts.get(c.name) ?? 0) + 1);
        } catch (e) {
          wrong.push(`${c.name}: ${(e as Error).message}`);
        }
        if (!rssMid && performance.now() > start + (deadline - start) / 2) rssMid = process.memoryUsage().rss;
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => worker(i)));
    const secs = (performance.now() - start) / 1000;
    const mem1 = mem();
    console.log(
      `load: ${sent} requests in ${secs.toFixed(1)} s (${Math.round(sent / secs)} req/s), ${wrong.length} wrong; RSS ${(mem0.rss / 2 ** 20).toFixed(0)} → ${(rssMid / 2 ** 20).toFixed(0)} → ${(mem1.rss / 2 ** 20).toFixed(0)} MiB; wasm ${mem0.wasm} → ${mem1.wasm} B`,
    );
    expect(wrong.slice(0, 10)).toEqual([]);
    // The machine may be shared and slow; what matters is that every case ran, repeatedly.
    expect(sent).toBeGreaterThanOrEqual(cases.length * 2);
    expect(sent).toBeLessThanOrEqual(LOAD_MAX + CONCURRENCY);
    for (const c of cases) expect(counts.get(c.name) ?? 0, `case ${c.name} ran`).toBeGreaterThan(0);
    expect(mem1.wasm).toBe(mem0.wasm);
    expect(arenaTop()).toBe(top0);
    // Second half must not keep growing: allow GC noise, not a per-request leak.
    expect((mem1.rss - rssMid) / 2 ** 20).toBeLessThan(96);
  });
});
