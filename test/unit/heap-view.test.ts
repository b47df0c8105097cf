/*
 * Heap scopes keep one view of a module's memory across calls (issue 23, Node throughput: a fresh
 * `new Uint8Array(memory.buffer)` per put/alloc/read/wipe was a measurable share of an ML-KEM key pair).
 * The shipped modules have a fixed memory, but a module passed to init({ wasm }) may grow its memory
 * inside a call, which detaches the buffer every earlier view was on: the scope must then take a new
 * view, or its reads fail and, worse, its closing wipe does not reach the bytes it handed out.
 */
import { describe, expect, it } from 'vitest';
import { withOwnHeap, type HeapExports } from '../../src/wasm/heap.js';

/**
 * A real wasm module with a growable memory (1 page, at most 4): `qs_malloc` always answers 1024,
 * `qs_free` does nothing, `grow()` grows the memory by one page as a C malloc of a growable build would.
 */
const GROWABLE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  // types: (i32)->i32, (i32)->(), ()->i32
  0x01, 0x0e, 0x03, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x00, 0x01, 0x7f,
  // functions
  0x03, 0x04, 0x03, 0x00, 0x01, 0x02,
  // memory: min 1, max 4 pages
  0x05, 0x04, 0x01, 0x01, 0x01, 0x04,
  // exports: memory, qs_malloc, qs_free, grow
  0x07, 0x27, 0x04, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, 0x09, 0x71, 0x73, 0x5f, 0x6d, 0x61, 0x6c,
  0x6c, 0x6f, 0x63, 0x00, 0x00, 0x07, 0x71, 0x73, 0x5f, 0x66, 0x72, 0x65, 0x65, 0x00, 0x01, 0x04, 0x67, 0x72, 0x6f,
  0x77, 0x00, 0x02,
  // code: i32.const 1024 | (nothing) | i32.const 1; memory.grow
  0x0a, 0x11, 0x03, 0x05, 0x00, 0x41, 0x80, 0x08, 0x0b, 0x02, 0x00, 0x0b, 0x06, 0x00, 0x41, 0x01, 0x40, 0x00, 0x0b,
]);

type Growable = HeapExports & { grow(): number };

function growable(): Growable {
  return new WebAssembly.Instance(new WebAssembly.Module(GROWABLE), {}).exports as unknown as Growable;
}

describe('heap scopes: the cached memory view follows a memory that grows mid-scope', () => {
  it('reads, views and the closing wipe reach the grown memory', () => {
    const x = growable();
    let ptr = 0;
    const got = withOwnHeap(x, 4096, (h) => {
      ptr = h.alloc(4);
      h.view().set([1, 2, 3], ptr);
      expect(x.grow()).toBe(1); // detaches every view taken before
      expect(x.memory.buffer.byteLength).toBe(2 * 65536);
      h.view()[ptr + 3] = 4;
      return h.read(ptr, 4);
    });
    expect([...got]).toEqual([1, 2, 3, 4]);
    // The scope wiped what it handed out in the memory as it is now, not in the detached buffer.
    expect([...new Uint8Array(x.memory.buffer, ptr, 4)]).toEqual([0, 0, 0, 0]);
  });
});
