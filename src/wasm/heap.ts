import { QsignError } from '../errors.js';
import type { QsignExports, WasmFamily } from './exports.js';

/**
 * Scoped scratch memory in the wasm heap. Every call into wasm copies its
 * inputs in and outputs out through one of these scopes, and the scope wipes
 * every byte it handed out when it ends, thrown or not, so secrets do not
 * outlive the call that needed them.
 */
/** What a heap scope needs from a module (the core and the SLH-DSA module both have it). */
export type HeapExports = Pick<QsignExports, 'memory' | 'qs_malloc' | 'qs_free'>;

export interface Heap<X extends HeapExports = QsignExports> {
  readonly x: X;
  /** Reserves `len` zeroed bytes; returns the pointer. */
  alloc(len: number): number;
  /** Copies `bytes` in; returns the pointer. */
  put(bytes: Uint8Array): number;
  /** Copies `len` bytes out of wasm memory into a new array. */
  read(ptr: number, len: number): Uint8Array;
  /** A view of current wasm memory (do not keep it past the scope). */
  view(): Uint8Array;
}

/** Size of the scratch arena; bounds every single call's I/O. */
export const ARENA_BYTES = 512 * 1024;

interface Arena<X extends HeapExports = QsignExports> {
  x: X;
  base: number;
  top: number;
  /** A view of `x.memory`, kept across calls: see {@link memoryOf}. */
  view: Uint8Array;
}

/**
 * Each family module (ML-KEM, ML-DSA, X25519, SHA-3: src/wasm/loader.ts) has
 * its own memory and so its own arena; a module serving several families
 * (SHA-3 runs on the ML-KEM or ML-DSA module when one is loaded) shares one
 * arena object among them, so nested scopes see one `top`.
 */
const arenas: Partial<Record<WasmFamily, Arena>> = {};
let provide: ((family: WasmFamily) => void) | undefined;

/**
 * Reserves the arena in a fresh instance, before anything else allocates:
 * memory nobody has used yet is zero, as scopes expect, except for the
 * allocator's own free-list words at the start of the block (emmalloc leaves
 * ~24 bytes there), which the first page wipe clears. Wiping all 512 KiB
 * would fault in every page up front: ~2 ms of cold start for nothing.
 */
export function reserveArena(x: QsignExports): number {
  const base = x.qs_malloc(ARENA_BYTES);
  if (base === 0) throw new QsignError('ERR_OUT_OF_MEMORY', 'could not reserve the wasm scratch arena');
  u8(x).fill(0, base, base + 4096);
  return base;
}

/** A module's arena at `base` (from {@link reserveArena}), scopes handing out `x`; attach it with {@link attachArena}. */
export function newArena(x: QsignExports, base: number): object {
  return { x, base, top: base, view: u8(x) } satisfies Arena;
}

/** Makes `arena` (from {@link newArena}) the one scopes of `family` use; `undefined` detaches. */
export function attachArena(family: WasmFamily, arena: object | undefined): void {
  if (arena === undefined) delete arenas[family];
  else arenas[family] = arena as Arena;
}

/** Registered by the loader: instantiates a family's module on first use (or throws why it cannot). */
export function onMissingArena(fn: (family: WasmFamily) => void): void {
  provide = fn;
}

function u8(x: HeapExports): Uint8Array {
  return new Uint8Array(x.memory.buffer);
}

/**
 * The arena's view of its module's memory. A scope touches memory five to
 * eight times per call (put, alloc, read, the wipe); a fresh view each time
 * (the `memory.buffer` getter and a typed array) was ~0.5 µs of an ~19 µs
 * ML-KEM-768 key pair. Growing the memory (malloc inside a call) detaches
 * the old buffer, whose views then read as 0 bytes long: only then is a new
 * view taken.
 */
function memoryOf(a: Arena<HeapExports>): Uint8Array {
  if (a.view.byteLength === 0) a.view = u8(a.x);
  return a.view;
}

function arenaOf(family: WasmFamily): Arena {
  if (!arenas[family]) provide?.(family);
  const a = arenas[family];
  if (!a) throw new QsignError('ERR_NOT_INITIALIZED', 'qsign-pqc is not initialized: call `await init()` once before using the primitives');
  return a;
}

/** Runs `fn` with a heap scope in the module of `family` (loading it on first use); see {@link Heap}. Scopes nest. */
export function withHeap<T>(family: WasmFamily, fn: (h: Heap) => T): T {
  return scope(arenaOf(family), ARENA_BYTES, fn);
}

/** The exports of the module serving `family`, loading it on first use. */
export function familyExports(family: WasmFamily): QsignExports {
  return arenaOf(family).x;
}

/**
 * Like {@link withHeap}, but on a block of its own taken from the C heap of
 * `x` and freed (wiped) afterwards: for work that may start while a caller's
 * scope already fills the shared arena (the self-tests run on first use,
 * from inside the caller's call).
 */
export function withOwnHeap<T, X extends HeapExports = QsignExports>(x: X, bytes: number, fn: (h: Heap<X>) => T): T {
  const base = x.qs_malloc(bytes);
  if (base === 0) throw new QsignError('ERR_OUT_OF_MEMORY', `could not reserve ${bytes} bytes of wasm memory`);
  try {
    return scope({ x, base, top: base, view: u8(x) }, bytes, fn);
  } finally {
    x.qs_free(base);
  }
}

/**
 * One scope's handle: methods on a prototype rather than a fresh set of
 * closures per call, since every wasm call opens a scope.
 */
class Scope<X extends HeapExports> implements Heap<X> {
  readonly x: X;
  constructor(
    private readonly a: Arena<X>,
    private readonly end: number,
  ) {
    this.x = a.x;
  }

  alloc(len: number): number {
    const a = this.a;
    const ptr = (a.top + 15) & ~15;
    if (ptr + len > this.end) {
      throw new QsignError(
        'ERR_INPUT_TOO_LARGE',
        `input of ${len} bytes does not fit the ${this.end - a.base}-byte wasm scratch area; use the streaming API for large data`,
      );
    }
    a.top = ptr + len;
    memoryOf(a).fill(0, ptr, ptr + len);
    return ptr;
  }

  put(bytes: Uint8Array): number {
    const ptr = this.alloc(bytes.length);
    memoryOf(this.a).set(bytes, ptr);
    return ptr;
  }

  read(ptr: number, len: number): Uint8Array {
    return memoryOf(this.a).slice(ptr, ptr + len);
  }

  view(): Uint8Array {
    return memoryOf(this.a);
  }
}

function scope<T, X extends HeapExports>(a: Arena<X>, size: number, fn: (h: Heap<X>) => T): T {
  const start = a.top;
  try {
    return fn(new Scope(a, a.base + size));
  } finally {
    memoryOf(a).fill(0, start, a.top);
    a.top = start;
  }
}
