import { describe, it, expect } from 'vitest';
import { Keyring, memoryStore, generateMasterKey, TransitErrorCodes as C } from '../../src/transit/index.js';
import { QsignError } from '../../src/errors.js';

function source(data: Uint8Array, piece = 1000): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(c) {
      if (at >= data.length) {
        c.close();
        return;
      }
      c.enqueue(data.slice(at, at + piece));
      at += piece;
    },
  });
}
async function collect(s: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for (const r = s.getReader(); ;) {
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
async function code(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return e instanceof QsignError ? e.code : String(e);
  }
  return undefined;
}
function pattern(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 131 + (i >> 8)) & 0xff);
}

/** Splits an encrypted stream into header and frames (per docs/envelope.md). */
function frames(ct: Uint8Array, nenc: number) {
  const header = ct.subarray(0, 19 + nenc);
  const out: Uint8Array[] = [];
  let at = header.length;
  while (at < ct.length) {
    const len = new DataView(ct.buffer, ct.byteOffset + at + 1, 4).getUint32(0);
    out.push(ct.subarray(at, at + 5 + len));
    at += 5 + len;
  }
  return { header, frames: out };
}
const join = (...p: Uint8Array[]) => {
  const o = new Uint8Array(p.reduce((n, x) => n + x.length, 0));
  let a = 0;
  for (const x of p) {
    o.set(x, a);
    a += x.length;
  }
  return o;
};

describe('transit streaming envelopes', async () => {
  const keyring = new Keyring({ store: memoryStore(), masterKey: (await generateMasterKey()).masterKey });
  await keyring.createKey('files');
  await keyring.createKey('other');

  it('round-trips sizes around the chunk boundary (incl. empty) with associated data', async () => {
    for (const n of [0, 1, 4095, 4096, 4097, 3 * 4096, 100_000]) {
      const data = pattern(n);
      const aad = new TextEncoder().encode(`file-${n}`);
      const ct = await collect(
        await keyring.encryptStream('files', source(data, 777), { chunkSize: 4096, associatedData: aad }),
      );
      const frameCount = Math.max(1, Math.ceil(n / 4096) + (n > 0 && n % 4096 === 0 ? 0 : 0));
      expect(frames(ct, 1088).frames.length).toBe(n === 0 ? 1 : frameCount);
      expect(ct.length).toBe(19 + 1088 + n + frameCount * (5 + 16));
      expect(await collect(await keyring.decryptStream('files', source(ct, 1500), { associatedData: aad }))).toEqual(
        data,
      );
    }
  });

  it('detects truncation, reordering, duplication, trailing data, wrong key and wrong AAD', async () => {
    const data = pattern(5 * 4096 + 10);
    const ct = await collect(await keyring.encryptStream('files', source(data), { chunkSize: 4096 }));
    const { header, frames: f } = frames(ct, 1088);
    expect(f.length).toBe(6);
    const dec = async (bytes: Uint8Array, name = 'files', aad?: Uint8Array) =>
      collect(await keyring.decryptStream(name, source(bytes, 999), aad ? { associatedData: aad } : {}));
    expect(await dec(ct)).toEqual(data);
    expect(await code(dec(join(header, ...f.slice(0, 5))))).toBe(C.STREAM_CORRUPT); // last frame dropped
    expect(await code(dec(join(header, ...f.slice(0, 3))))).toBe(C.STREAM_CORRUPT);
    expect(await code(dec(ct.subarray(0, ct.length - 1)))).toBe(C.STREAM_CORRUPT); // cut inside the final frame
    expect(await code(dec(header))).toBe(C.STREAM_CORRUPT);
    expect(await code(dec(join(header, f[1]!, f[0]!, ...f.slice(2))))).toBe(C.DECRYPTION_FAILED); // reordered
    expect(await code(dec(join(header, f[0]!, f[0]!, ...f.slice(1))))).toBe(C.DECRYPTION_FAILED); // duplicated
    expect(await code(dec(join(ct, new Uint8Array([0]))))).toBe(C.STREAM_CORRUPT); // trailing byte
    const flipped = f[5]!.slice();
    flipped[0] = 0x00; // final flag cleared
    expect(await code(dec(join(header, ...f.slice(0, 5), flipped)))).toBe(C.DECRYPTION_FAILED);
    expect(await code(dec(ct, 'other'))).toBe(C.DECRYPTION_FAILED);
    expect(await code(dec(ct, 'files', new Uint8Array([1])))).toBe(C.DECRYPTION_FAILED);
    const badHeader = ct.slice();
    badHeader[0] = 0;
    expect(await code(dec(badHeader))).toBe(C.INVALID_CIPHERTEXT);
    // Every single-byte change in the fixed header or the first frame header fails.
    for (let i = 0; i < 19; i++) {
      const m = ct.slice();
      m[i]! ^= 0x10;
      expect(await code(dec(m))).not.toBe(undefined);
    }
  });

  it('respects key versions and policy like one-shot envelopes', async () => {
    await keyring.createKey('versioned');
    const v1 = await collect(await keyring.encryptStream('versioned', source(pattern(10))));
    await keyring.rotateKey('versioned');
    const v2 = await collect(await keyring.encryptStream('versioned', source(pattern(10))));
    expect(new DataView(v2.buffer, 11, 4).getUint32(0)).toBe(2);
    expect(await collect(await keyring.decryptStream('versioned', source(v1)))).toEqual(pattern(10));
    await keyring.configKey('versioned', { min_decryption_version: 2 });
    expect(await code(keyring.decryptStream('versioned', source(v1)))).toBe(C.VERSION_DISALLOWED);
    expect(await collect(await keyring.decryptStream('versioned', source(v2)))).toEqual(pattern(10));
  });

  it('memory stays flat: 64 MiB streams through with bounded buffering', async () => {
    const total = 64 * 1024 * 1024;
    const piece = pattern(1 << 20);
    let produced = 0;
    const input = new ReadableStream<Uint8Array>(
      {
        pull(c) {
          if (produced >= total) {
            c.close();
            return;
          }
          c.enqueue(piece);
          produced += piece.length;
        },
      },
      { highWaterMark: 0 },
    );
    const enc = await keyring.encryptStream('files', input, { chunkSize: 1 << 20 });
    const out = await keyring.decryptStream('files', enc);
    const before = process.memoryUsage().arrayBuffers;
    let peak = 0,
      got = 0;
    for (const r = out.getReader(); ;) {
      const x = await r.read();
      if (x.done) break;
      got += x.value.length;
      peak = Math.max(peak, process.memoryUsage().arrayBuffers - before);
    }
    expect(got).toBe(total);
    // A handful of 1 MiB chunks in flight, nowhere near the 64 MiB payload.
    expect(peak).toBeLessThan(40 * 1024 * 1024);
  });
});
