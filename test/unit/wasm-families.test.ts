// Issue 23 item 2, a wasm module per family (src/wasm/loader.ts): an app instantiates only the modules
// of the families it calls; in Node the modules arrive synchronously, so each is instantiated on its
// first use; plain hashing runs on a loaded ML-KEM/ML-DSA module, else on the SHA-3-only one; explicit
// sources (init({ wasm })) serve the families their exports name, and a module for the wrong family is
// refused with a typed error.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { init, backend, ml_kem768, ml_dsa44, sha3_256 } from '../../src/index.js';
import { xwing } from '../../src/hybrid/index.js';
import { getExports, loadedFamilies } from '../../src/wasm/loader.js';

const wasm = (file: string) => readFileSync(new URL(`../../wasm/${file}`, import.meta.url));
/** How many module instances serve the loaded families (SHA-3 shares ML-KEM's or ML-DSA's). */
const instances = () => new Set(loadedFamilies().map((f) => getExports(f))).size;
const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => 'no error',
    (e: { code?: string }) => e.code,
  );

describe('wasm module per family: loading', () => {
  it('init() instantiates nothing where modules arrive synchronously; an ML-KEM-only app loads only ML-KEM', async () => {
    await init({ force: true });
    expect(loadedFamilies()).toEqual([]);
    ml_kem768.keygen(new Uint8Array(64));
    // The ML-KEM module also serves plain hashing: no SHA-3 module is loaded.
    expect(loadedFamilies()).toEqual(['ml-kem', 'sha3']);
    sha3_256(new Uint8Array(3));
    expect(getExports('sha3')).toBe(getExports('ml-kem'));
    expect(instances()).toBe(1);
  });

  it('init() reads and compiles no module where they arrive synchronously (found: it compiled all four)', async () => {
    const Real = WebAssembly.Module;
    let compiled = 0;
    class Counting extends Real {
      constructor(bytes: BufferSource) {
        super(bytes);
        compiled++;
      }
    }
    WebAssembly.Module = Counting;
    try {
      await init({ force: true });
    } finally {
      WebAssembly.Module = Real;
    }
    expect(compiled).toBe(0);
  });

  it('an ML-DSA-only app loads only ML-DSA; a hash-only app only the SHA-3 module', async () => {
    await init({ force: true });
    const { publicKey, secretKey } = ml_dsa44.keygen(new Uint8Array(32));
    expect(ml_dsa44.verify(ml_dsa44.sign(new Uint8Array(1), secretKey), new Uint8Array(1), publicKey)).toBe(true);
    expect(loadedFamilies()).toEqual(['ml-dsa', 'sha3']);
    expect(instances()).toBe(1);
    await init({ force: true });
    expect(sha3_256(new Uint8Array(0)).length).toBe(32);
    expect(loadedFamilies()).toEqual(['sha3']);
    const own = getExports('sha3') as unknown as Record<string, unknown>;
    expect([typeof own.qs_keccak_oneshot, typeof own.qs_mlkem_keypair, typeof own.qs_mldsa_keypair]).toEqual([
      'function',
      'undefined',
      'undefined',
    ]);
  });

  it('a hybrid app naming its families loads ML-KEM and X25519 (hashing on ML-KEM), in the one build init() chose', async () => {
    await init({ force: true, families: ['ml-kem', 'x25519'] });
    expect(loadedFamilies()).toEqual(['ml-kem', 'x25519', 'sha3']);
    const { publicKey, secretKey } = xwing.keygen(new Uint8Array(32));
    const { cipherText, sharedSecret } = xwing.encapsulate(publicKey);
    expect(xwing.decapsulate(cipherText, secretKey)).toEqual(sharedSecret);
    expect(loadedFamilies()).toEqual(['ml-kem', 'x25519', 'sha3']);
    expect(instances()).toBe(2);
    const simd = backend() === 'simd128';
    // Every module runs the same build: the SIMD one has v128 code, which the scalar one lacks.
    for (const f of ['ml-kem', 'x25519'] as const) {
      const file = `qsign-${f.replace('-', '')}-${simd ? 'simd' : 'scalar'}.wasm`;
      expect(getExports(f).memory.buffer.byteLength).toBe(
        (new WebAssembly.Instance(new WebAssembly.Module(wasm(file))).exports.memory as WebAssembly.Memory).buffer
          .byteLength,
      );
    }
  });

  it("selfTest: 'eager' instantiates and tests every family in init()", async () => {
    await init({ force: true, selfTest: 'eager' });
    expect(loadedFamilies()).toEqual(['ml-kem', 'ml-dsa', 'x25519', 'sha3']);
    expect(instances()).toBe(3);
  });

  it('init({ wasm }) takes one module (serving the families it exports) or a record by family', async () => {
    await init({ force: true, simd: false, wasm: wasm('qsign-mldsa-scalar.wasm') });
    expect(loadedFamilies()).toEqual(['ml-dsa', 'sha3']);
    expect(ml_dsa44.keygen(new Uint8Array(32)).publicKey.length).toBe(1312);
    await init({ force: true, simd: false, wasm: { 'ml-kem': { scalar: wasm('qsign-mlkem-scalar.wasm') } } });
    expect(loadedFamilies()).toEqual(['ml-kem', 'sha3']);
    expect(ml_kem768.keygen(new Uint8Array(64)).publicKey.length).toBe(1184);
  });

  it('a module given for the wrong family, or bytes that are not wasm, fail with ERR_WASM_LOAD_FAILED and keep the working instances', async () => {
    await init({ force: true });
    ml_kem768.keygen(new Uint8Array(64));
    expect(await codeOf(init({ force: true, wasm: { 'ml-kem': wasm('qsign-mldsa-simd.wasm') } }))).toBe(
      'ERR_WASM_LOAD_FAILED',
    );
    expect(await codeOf(init({ force: true, wasm: { 'ml-dsa': new Uint8Array([0, 97, 115, 109]) } }))).toBe(
      'ERR_WASM_LOAD_FAILED',
    );
    expect(loadedFamilies()).toEqual(['ml-kem', 'sha3']);
    expect(ml_kem768.keygen(new Uint8Array(64)).publicKey.length).toBe(1184);
  });

  it('getExports of something that is not a family is a typed error', async () => {
    await init();
    expect(() => getExports('ml-kem-768' as never)).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });
});
