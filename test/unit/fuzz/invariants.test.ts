/*
 * The fuzz harness itself: each invariant must actually fire, or a green fuzz
 * run would mean nothing.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { init } from '../../../src/index.js';
import { QsignError } from '../../../src/errors.js';
import { getExports } from '../../../src/wasm/loader.js';
import { checkInput, decodeInput, encodeInput, largestFreeBlock, mutate, arenaWiped } from './invariants.js';

beforeAll(async () => {
  await init();
});

describe('fuzz harness', () => {
  it('accepts a normal result and a QsignError with a stable code', async () => {
    expect(await checkInput('_selftest', 1, (x) => x + 1)).toEqual({ ok: true, value: 2 });
    expect(
      await checkInput('_selftest', 1, () => {
        throw new QsignError('ERR_SOMETHING', 'x');
      }),
    ).toEqual({ ok: false, code: 'ERR_SOMETHING' });
  });
  it('rejects any other exception, an unstable code, a hang and a slow call', async () => {
    await expect(
      checkInput('_selftest', 1, () => {
        throw new TypeError('boom');
      }),
    ).rejects.toThrow(/other than QsignError/);
    await expect(checkInput('_selftest', 1, () => Promise.reject(new RangeError('x')))).rejects.toThrow(
      /other than QsignError/,
    );
    await expect(
      checkInput('_selftest', 1, () => {
        throw new QsignError('oops', 'x');
      }),
    ).rejects.toThrow(/unstable code/);
    await expect(checkInput('_selftest', 1, () => new Promise(() => undefined), 50)).rejects.toThrow(/hang/);
    await expect(
      checkInput(
        '_selftest',
        1,
        () => {
          const t = performance.now();
          while (performance.now() - t < 80);
        },
        50,
      ),
    ).rejects.toThrow(/took/);
  });
  it('sees a wasm heap leak and a dirty arena', () => {
    const x = getExports('ml-kem');
    const before = largestFreeBlock('ml-kem');
    const p = x.qs_malloc(before - 1024);
    expect(largestFreeBlock('ml-kem')).toBeLessThan(before);
    x.qs_free(p);
    // Freeing may coalesce into an even larger block than before; never smaller.
    expect(largestFreeBlock('ml-kem')).toBeGreaterThanOrEqual(before);
    expect(arenaWiped()).toBe(true);
  });
  it('round-trips corpus inputs and applies mutations', () => {
    const v = [new Uint8Array([1, 2, 3]), 'x', undefined, 5n, { a: [null] }];
    const back = decodeInput(encodeInput(v)) as unknown[];
    expect(back[0]).toEqual(new Uint8Array([1, 2, 3]));
    expect(back.slice(1)).toEqual(['x', undefined, 5n, { a: [null] }]);
    expect(mutate(new Uint8Array([1, 2, 3]), [{ op: 'flip', at: 0, bit: 0 }])).toEqual(new Uint8Array([0, 2, 3]));
    expect(mutate(new Uint8Array([1, 2, 3]), [{ op: 'truncate', at: 1 }])).toEqual(new Uint8Array([1]));
    expect(mutate(new Uint8Array([1, 2, 3]), [{ op: 'insert', at: 3, bytes: new Uint8Array([9]) }])).toEqual(
      new Uint8Array([1, 2, 3, 9]),
    );
  });
});
