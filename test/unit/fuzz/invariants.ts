/*
 * The invariants every fuzz input must keep, and the glue that turns a
 * "target" (an arbitrary plus a function under test) into a vitest test that
 * first replays the regression corpus and then runs fast-check.
 *
 * Per input: the call returns normally or throws a QsignError with a stable
 * `ERR_*` code; it finishes within a time bound; wasm memory keeps its size;
 * the heap arena is back to empty and wiped. Per target: the largest block the
 * C allocator can still hand out is unchanged (so nothing leaked in the wasm
 * heap, e.g. a streaming state that was never freed).
 *
 * Environment (set by scripts/fuzz.mjs for long runs):
 *   QSIGN_FUZZ_SEED   fast-check seed (default: a fixed seed per target, so CI is deterministic)
 *   QSIGN_FUZZ_SCALE  multiplies every target's run count (default 1)
 *   QSIGN_FUZZ_WRITE  "1": write each failing input to test/unit/fuzz/corpus/<target>/
 */
import { it, expect } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { init } from '../../../src/index.js';
import { QsignError } from '../../../src/errors.js';
import { getExports, type WasmFamily } from '../../../src/wasm/loader.js';
import type { QsignExports } from '../../../src/wasm/exports.js';
import { withHeap, ARENA_BYTES } from '../../../src/wasm/heap.js';

export const CORPUS_DIR = fileURLToPath(new URL('./corpus/', import.meta.url));
const SCALE = Math.max(1, Number(process.env.QSIGN_FUZZ_SCALE ?? 1) || 1);
const WRITE = process.env.QSIGN_FUZZ_WRITE === '1';
const CODE_RE = /^ERR_[A-Z0-9_]+$/;

// ---------------------------------------------------------------- encoding
// Corpus files are JSON; bytes are {"$b64": "..."} so any input shape
// (bytes, strings, argv arrays, request descriptions) round-trips.
export function encodeInput(v: unknown): string {
  return JSON.stringify(
    v,
    (_k, x) => {
      if (x instanceof Uint8Array) return { $b64: Buffer.from(x).toString('base64') };
      if (typeof x === 'bigint') return { $big: x.toString() };
      if (x === undefined) return { $undef: true };
      if (typeof x === 'symbol') return { $sym: x.description ?? '' };
      return x;
    },
    1,
  );
}
export function decodeInput(s: string): unknown {
  return JSON.parse(s, (_k, x) => {
    if (x && typeof x === 'object' && !Array.isArray(x)) {
      if (typeof x.$b64 === 'string' && Object.keys(x).length === 1)
        return new Uint8Array(Buffer.from(x.$b64, 'base64'));
      if (typeof x.$big === 'string' && Object.keys(x).length === 1) return BigInt(x.$big);
      if (x.$undef === true && Object.keys(x).length === 1) return undefined;
      if (typeof x.$sym === 'string' && Object.keys(x).length === 1) return Symbol(x.$sym);
    }
    return x;
  });
}

// ---------------------------------------------------------------- probes
/**
 * Each family is a wasm module of its own (src/wasm/loader.ts): the probes look at every one (SHA-3 may
 * share the ML-KEM or ML-DSA module), instantiating them if a target has not yet.
 */
const PROBED: readonly WasmFamily[] = ['ml-kem', 'ml-dsa', 'x25519', 'sha3'];
function probedModules(): { family: WasmFamily; x: QsignExports }[] {
  const seen = new Set<QsignExports>();
  const out: { family: WasmFamily; x: QsignExports }[] = [];
  for (const family of PROBED) {
    const x = getExports(family);
    if (!seen.has(x)) out.push({ family, x });
    seen.add(x);
  }
  return out;
}

/** Pointers the next arena allocation of each module would get: equal before and after = arenas empty. */
export function arenaTop(): string {
  return probedModules()
    .map(({ family }) => `${family}:${withHeap(family, (h) => h.alloc(0))}`)
    .join(' ');
}

/** True when every module's whole free arena (from its current top) is zero: scopes wiped what they used. */
export function arenaWiped(): boolean {
  return probedModules().every(({ family, x }) => {
    const top = withHeap(family, (h) => h.alloc(0));
    // top is the arena base rounded up to 16, so the last <16 bytes may belong
    // to the allocator's next chunk header; stop short of them.
    const mem = new Uint8Array(x.memory.buffer, top, ARENA_BYTES - 16);
    for (let i = 0; i < mem.length; i++) if (mem[i] !== 0) return false;
    return true;
  });
}

/**
 * Largest block qs_malloc can hand out in `family`'s module (binary search, 64-byte granularity), or the
 * sum over every module when no family is named; a leak shrinks it.
 */
export function largestFreeBlock(family?: WasmFamily): number {
  if (family === undefined) return probedModules().reduce((n, m) => n + largestFreeBlock(m.family), 0);
  const x = getExports(family);
  const search = () => {
    let lo = 0,
      hi = x.memory.buffer.byteLength;
    while (hi - lo > 64) {
      const mid = Math.floor((lo + hi) / 2);
      const p = x.qs_malloc(mid);
      if (p !== 0) {
        x.qs_free(p);
        lo = mid;
      } else hi = mid;
    }
    return lo;
  };
  // Allocating and freeing a large block can let the allocator coalesce its
  // free space into a bigger block; search until the answer settles.
  let best = search();
  for (let i = 0; i < 4; i++) {
    const again = search();
    if (again <= best) break;
    best = again;
  }
  return best;
}

/** Bytes of linear memory over every module. */
export function memoryBytes(): number {
  return probedModules().reduce((n, { x }) => n + x.memory.buffer.byteLength, 0);
}

// ---------------------------------------------------------------- one input
export interface Violation {
  target: string;
  why: string;
  input: unknown;
  error?: unknown;
}

function record(v: Violation): string {
  const body = encodeInput(v.input);
  let where = '';
  // Targets named _… are the harness's own self-test; never save those.
  if (WRITE && !v.target.startsWith('_')) {
    const dir = join(CORPUS_DIR, v.target);
    mkdirSync(dir, { recursive: true });
    const name = createHash('sha256').update(body).digest('hex').slice(0, 16) + '.json';
    writeFileSync(join(dir, name), body + '\n');
    where = ` (saved to test/unit/fuzz/corpus/${v.target}/${name})`;
  }
  const err =
    v.error instanceof Error ? `${v.error.name}: ${v.error.message}\n${v.error.stack ?? ''}` : String(v.error ?? '');
  return `[${v.target}] ${v.why}${where}\ninput: ${body.slice(0, 2000)}\n${err}`;
}

/**
 * Runs `fn(input)` and checks the per-input invariants; throws an assertion
 * error describing the violation (and saves the input when QSIGN_FUZZ_WRITE=1).
 * Returns what fn returned, or the QsignError code it threw.
 */
export async function checkInput<T>(
  target: string,
  input: T,
  fn: (x: T) => unknown,
  timeoutMs = 2000,
): Promise<{ ok: boolean; code?: string; value?: unknown }> {
  const mem0 = memoryBytes();
  const top0 = arenaTop();
  const t0 = performance.now();
  let out: { ok: boolean; code?: string; value?: unknown };
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const value = await Promise.race([
      Promise.resolve().then(() => fn(input)),
      new Promise((_r, reject) => {
        timer = setTimeout(() => reject(new HangError(timeoutMs)), timeoutMs);
      }),
    ]);
    out = { ok: true, value };
  } catch (e) {
    if (e instanceof HangError)
      throw new Error(record({ target, why: `no answer within ${timeoutMs} ms (hang)`, input }));
    if (!(e instanceof QsignError))
      throw new Error(record({ target, why: 'threw something other than QsignError', input, error: e }));
    if (!CODE_RE.test(e.code))
      throw new Error(
        record({ target, why: `QsignError with unstable code ${JSON.stringify(e.code)}`, input, error: e }),
      );
    out = { ok: false, code: e.code };
  } finally {
    clearTimeout(timer);
  }
  const ms = performance.now() - t0;
  // A synchronous loop cannot be interrupted by the timer above; measure it instead.
  if (ms > timeoutMs) throw new Error(record({ target, why: `took ${ms.toFixed(0)} ms (> ${timeoutMs} ms)`, input }));
  if (memoryBytes() !== mem0)
    throw new Error(record({ target, why: `wasm memory changed size ${mem0} → ${memoryBytes()}`, input }));
  if (arenaTop() !== top0)
    throw new Error(record({ target, why: `heap arena not back to empty (top ${top0} → ${arenaTop()})`, input }));
  return out;
}
class HangError extends Error {
  constructor(ms: number) {
    super(`hang > ${ms} ms`);
  }
}

// ---------------------------------------------------------------- targets
export interface Target<T> {
  /** Corpus folder name and test name; [a-z0-9-]. */
  name: string;
  arb: fc.Arbitrary<T>;
  run: (input: T) => unknown;
  /** fast-check runs in the short deterministic run (× QSIGN_FUZZ_SCALE). */
  runs: number;
  timeoutMs?: number;
  /** Fixed seed for the short run. */
  seed: number;
  /** Optional extra check on every outcome (e.g. "a mutated token never verifies"). */
  expectOutcome?: (input: T, out: { ok: boolean; code?: string; value?: unknown }) => void;
}

/** Corpus inputs saved for `name` (test/unit/fuzz/corpus/<name>/*.json). */
export function corpusInputs(name: string): { file: string; input: unknown }[] {
  const dir = join(CORPUS_DIR, name);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ file: f, input: decodeInput(readFileSync(join(dir, f), 'utf8')) }));
}

/** Registers one vitest test for the target: corpus replay, fast-check run, leak probe. */
export function fuzz<T>(t: Target<T>, ready: () => Promise<unknown> = () => init()): void {
  const numRuns = t.runs * SCALE;
  it(`${t.name} (${numRuns} runs + corpus)`, async () => {
    await ready();
    const free0 = largestFreeBlock();
    const check = async (x: T) => {
      const out = await checkInput(t.name, x, t.run, t.timeoutMs);
      t.expectOutcome?.(x, out);
    };
    for (const { input } of corpusInputs(t.name)) await check(input as T);
    const seed = process.env.QSIGN_FUZZ_SEED ? Number(process.env.QSIGN_FUZZ_SEED) ^ hashName(t.name) : t.seed;
    await fc.assert(fc.asyncProperty(t.arb, check), { seed, numRuns, endOnFailure: true });
    expect(arenaWiped(), 'arena must be wiped after the run').toBe(true);
    // Any wasm heap block that outlives its call shows up as a smaller largest free block.
    expect(largestFreeBlock(), 'wasm heap leaked').toBeGreaterThanOrEqual(free0);
  });
}

function hashName(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h | 0;
}

// ---------------------------------------------------------------- mutators
/** One byte-level edit of a valid input (bit flip, byte set, insert, delete, truncate, extend, splice). */
export type Mutation =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'set'; at: number; v: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'delete'; at: number; n: number }
  | { op: 'truncate'; at: number }
  | { op: 'dup'; at: number; n: number };

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({
    op: fc.constant('set' as const),
    at: fc.nat(),
    v: fc.constantFrom(0, 0x7f, 0x80, 0xff, 0x30, 0x02, 0x81, 0x84),
  }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('dup' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 64 }) }),
);

export function mutate(src: Uint8Array, muts: readonly Mutation[]): Uint8Array {
  let b: Uint8Array = Uint8Array.from(src);
  for (const m of muts) {
    const at = b.length === 0 ? 0 : m.at % (b.length + (m.op === 'insert' ? 1 : 0));
    switch (m.op) {
      case 'flip':
        if (b.length) b[at] = b[at]! ^ (1 << m.bit);
        break;
      case 'set':
        if (b.length) b[at] = m.v;
        break;
      case 'insert':
        b = concat(b.subarray(0, at), m.bytes, b.subarray(at));
        break;
      case 'delete':
        b = concat(b.subarray(0, at), b.subarray(at + m.n));
        break;
      case 'truncate':
        b = b.slice(0, at);
        break;
      case 'dup':
        b = concat(b.subarray(0, at + m.n), b.subarray(at, at + m.n), b.subarray(at + m.n));
        break;
    }
  }
  return b;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Mutated copies of one of `seeds` (1–6 edits each). */
export function mutatedBytes(seeds: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(mutationArb, { minLength: 1, maxLength: 6 }))
    .map(([i, muts]) => mutate(seeds[i]!, muts));
}

const latin1 = new TextDecoder('latin1');
/** Mutated copies of ASCII strings (tokens, envelopes, PEM); edits work on bytes. */
export function mutatedStrings(seeds: readonly string[]): fc.Arbitrary<string> {
  const enc = seeds.map((s) => new TextEncoder().encode(s));
  return mutatedBytes(enc).map((b) => latin1.decode(b));
}

/** Bytes of interesting sizes: empty, tiny, around the lengths in `sizes`, random. */
export function sizedBytes(sizes: readonly number[]): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.uint8Array({ maxLength: 64 }),
    fc
      .constantFrom(...sizes)
      .chain((n) =>
        fc.integer({ min: Math.max(0, n - 2), max: n + 2 }).chain((m) => fc.uint8Array({ minLength: m, maxLength: m })),
      ),
  );
}

/** Any JS value a careless caller could pass where bytes are expected. */
export const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 40 }),
  fc.constant(new ArrayBuffer(8)),
  fc.constant([1, 2, 3]),
  fc.constant({ length: 32 }),
  fc.constant(new Uint16Array(16)),
  fc.constant(Symbol('x')),
  fc.bigInt(),
);
