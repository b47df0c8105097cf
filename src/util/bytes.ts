import { QsignError } from '../errors.js';

/** Byte arrays accepted everywhere; the SDK never keeps a reference to them. */
export type Bytes = Uint8Array;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  return typeof value;
}

/**
 * Checks that `value` is a Uint8Array (of `length` bytes when given) and
 * returns it; otherwise throws ERR_INVALID_ARGUMENT naming the argument.
 */
export function ensureBytes(name: string, value: unknown, length?: number | readonly number[]): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new QsignError(
      'ERR_INVALID_ARGUMENT',
      `${name} must be a Uint8Array${lengthText(length)}, got ${describe(value)}`,
    );
  }
  if (length !== undefined) {
    const ok = typeof length === 'number' ? value.length === length : length.includes(value.length);
    if (!ok)
      throw new QsignError('ERR_INVALID_ARGUMENT', `${name} must be${lengthText(length)}, got ${value.length} bytes`);
  }
  return value;
}

function lengthText(length?: number | readonly number[]): string {
  if (length === undefined) return '';
  return typeof length === 'number' ? ` of ${length} bytes` : ` of ${length.join(' or ')} bytes`;
}

// crypto.getRandomValues costs ~4.5 µs per call in Node 20 whatever the size
// (measured), a twentieth of an ML-DSA-65 keygen and a tenth of an ML-KEM-768
// one, so draws of up to 256 bytes come from a pool. Each slice is wiped
// from the pool as it is handed out: no byte is handed out twice, and the pool
// holds only bytes nobody has been given. 4 KiB: a refill from the kernel
// (below) costs ~15 µs, ~0.25 µs per 64-byte draw (~1 % of an ML-KEM-768 key
// pair); 16 KiB measured ~0.1 µs but keeps four times as many future secrets in
// memory (a heap dump, a cloned VM).
const POOL_BYTES = 4096;
const POOLED_MAX = 256;
let pool: Uint8Array | undefined;
let poolAt = POOL_BYTES;

// A runtime entry's own source, tried before Web Crypto: Node's reads the kernel's generator (src/entries/node.ts
// randomSource; its first crypto.getRandomValues costs ~2.3 ms of a cold start). The loader passes it in on
// init(), so bundles for other runtimes carry none of it. A source that fails once is dropped: Web Crypto is
// always right.
let platformFill: ((buf: Uint8Array) => boolean) | undefined;

/** @internal The runtime entry's random source (init() passes `#wasm-source`'s randomSource()), or none. */
export function usePlatformRandom(fill: ((buf: Uint8Array) => boolean) | undefined): void {
  platformFill = fill;
}

// A Node.js startup snapshot (node --build-snapshot, a single executable's useSnapshot) keeps the heap as built:
// pool bytes left in it would be handed out again, identically, by every process started from it (the same keys
// and nonces). While one is being built nothing is pooled. v8.startupSnapshot.isBuildingSnapshot() would say so
// exactly, but loading node:v8 costs ~1.3 ms of a cold start; the build's own flags say it for next to nothing.
// Deno has no such snapshot and builds its Node layer on the first touch of globalThis.process (~13 ms): it is
// not asked.
const SNAPSHOT_BUILD_FLAGS = [
  '--build-snapshot',
  '--build-snapshot-config',
  '--experimental-sea-config',
  '--build-sea',
];
function buildingSnapshot(): boolean {
  const g = globalThis as { Deno?: unknown; process?: { execArgv?: readonly string[] } };
  if (g.Deno !== undefined) return false;
  // Compared as strings: a regular expression's first use costs ~60 µs (compiling it) in a cold start.
  return g.process?.execArgv?.some((flag) => SNAPSHOT_BUILD_FLAGS.includes(flag.split('=', 1)[0]!)) === true;
}

function fillRandom(buf: Uint8Array): void {
  if (platformFill?.(buf)) return;
  platformFill = undefined;
  // getRandomValues refuses more than 65536 bytes per call.
  for (let i = 0; i < buf.length; i += 65536)
    globalThis.crypto.getRandomValues(buf.subarray(i, Math.min(buf.length, i + 65536)));
}

/**
 * Cryptographically secure random bytes from the platform: Web Crypto, or after init() in Node.js on Linux the
 * kernel's generator Web Crypto draws on (src/entries/node.ts randomSource).
 */
export function randomBytes(n: number): Uint8Array {
  // Only a refill asks whether a snapshot is being built: while one is, the pool stays empty.
  if (n <= POOLED_MAX && (poolAt + n <= POOL_BYTES || !buildingSnapshot())) {
    pool ??= new Uint8Array(POOL_BYTES);
    if (poolAt + n > POOL_BYTES) {
      fillRandom(pool);
      poolAt = 0;
    }
    const out = pool.slice(poolAt, poolAt + n);
    pool.fill(0, poolAt, poolAt + n);
    poolAt += n;
    return out;
  }
  const out = new Uint8Array(n);
  fillRandom(out);
  return out;
}

/** Constant-time equality for equal-length inputs (length itself is not secret). */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Concatenates byte arrays into a new one. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const p of parts) len += p.length;
  const out = new Uint8Array(len);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Overwrites a buffer with zeros (best effort: JS engines may hold copies). */
export function wipe(...buffers: (Uint8Array | undefined)[]): void {
  for (const b of buffers) b?.fill(0);
}

const utf8Encoder = new TextEncoder();
/** UTF-8 bytes of a string, or the bytes themselves. */
export function utf8(value: string | Uint8Array): Uint8Array {
  return typeof value === 'string' ? utf8Encoder.encode(value) : value;
}

// The hex codec lives with the others in ./codec.ts; re-exported for the many importers of this file.
export { toHex, fromHex } from './codec.js';
