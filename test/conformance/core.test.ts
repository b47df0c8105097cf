import { describe, it, expect } from '../helpers/harness.js';
import { init, backend, simdSupported, algorithms, findAlgorithm, isInitialized, QsignError } from '../../src/index.js';

describe('core', () => {
  it('init() is idempotent and concurrent callers share one promise', async () => {
    const a = init();
    const b = init();
    expect(a === b).toBeTrue();
    await Promise.all([a, b]);
    expect(isInitialized()).toBeTrue();
  });

  it('picks SIMD128 by default where the runtime validates it', async () => {
    await init();
    expect(backend()).toBe(simdSupported() ? 'simd128' : 'scalar');
  });

  it('init({ simd: false }) forces the scalar build, and SIMD can be restored', async () => {
    await init({ simd: false, force: true });
    expect(backend()).toBe('scalar');
    await init({ force: true });
    expect(backend()).toBe(simdSupported() ? 'simd128' : 'scalar');
  });

  it('a wasm source that is not wasm rejects with ERR_WASM_LOAD_FAILED and keeps the old instance', async () => {
    await init();
    const before = backend();
    await expect(init({ force: true, wasm: new Uint8Array([1, 2, 3]) })).rejects('ERR_WASM_LOAD_FAILED');
    expect(backend()).toBe(before);
    await init({ force: true });
  });

  it('algorithms() lists the FIPS sets with sizes and levels, and aliases resolve', () => {
    const names = algorithms().map((a) => a.name);
    for (const n of ['ML-KEM-512', 'ML-KEM-768', 'ML-KEM-1024', 'ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'])
      expect(names.includes(n)).toBeTrue();
    expect(findAlgorithm('kyber768')?.name).toBe('ML-KEM-768');
    expect(findAlgorithm('Dilithium3')?.name).toBe('ML-DSA-65');
    expect(findAlgorithm('ML-DSA-65')?.sizes.signature).toBe(3309);
    expect(findAlgorithm('nope')).toBe(undefined);
  });

  it('errors carry a stable code', () => {
    const e = new QsignError('ERR_X', 'msg');
    expect(e.code).toBe('ERR_X');
    expect(e instanceof Error).toBeTrue();
  });
});
