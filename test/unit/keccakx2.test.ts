// The 2-way SHAKE (native/fips202/keccakx2.c and its SIMD128 twin): each lane
// must equal the one-way SHAKE of its own input, for every input length from
// empty through several blocks, on both builds.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { shake128, shake256 } from '@noble/hashes/sha3.js';

const RATE = { 1: 168, 2: 136 } as const;

// The modules that link the 2-way kernel (ML-KEM and ML-DSA expand their matrices with it).
for (const file of ['mlkem', 'mldsa'].flatMap((m) => [`qsign-${m}-simd.wasm`, `qsign-${m}-scalar.wasm`])) {
  describe(`2-way SHAKE on ${file}`, () => {
    it('both lanes equal one-way SHAKE128/256 for input lengths 0..600 and 1..3 output blocks', async () => {
      const bytes = readFileSync(fileURLToPath(new URL(`../../wasm/${file}`, import.meta.url)));
      const { instance } = await WebAssembly.instantiate(bytes, {});
      const x = instance.exports as unknown as {
        memory: WebAssembly.Memory;
        _initialize(): void;
        qs_malloc(n: number): number;
        qs_shake_x2(
          kind: number,
          in0: number,
          in1: number,
          len: number,
          out0: number,
          out1: number,
          nblocks: number,
        ): number;
      };
      x._initialize();
      const maxIn = 600,
        maxOut = 3 * 168;
      const in0 = x.qs_malloc(maxIn),
        in1 = x.qs_malloc(maxIn),
        out0 = x.qs_malloc(maxOut),
        out1 = x.qs_malloc(maxOut);
      let checked = 0;
      for (const kind of [1, 2] as const) {
        const ref = kind === 1 ? shake128 : shake256;
        for (let len = 0; len <= maxIn; len += len < 300 ? 1 : 37) {
          const a = Uint8Array.from({ length: len }, (_, i) => (i * 7 + len) & 0xff);
          const b = Uint8Array.from({ length: len }, (_, i) => (i * 13 + 5 * len + 1) & 0xff);
          const nblocks = 1 + (len % 3);
          const outLen = nblocks * RATE[kind];
          const mem = new Uint8Array(x.memory.buffer);
          mem.set(a, in0);
          mem.set(b, in1);
          expect(x.qs_shake_x2(kind, in0, in1, len, out0, out1, nblocks)).toBe(0);
          const got = new Uint8Array(x.memory.buffer);
          expect(Buffer.from(got.slice(out0, out0 + outLen)).toString('hex'), `lane 0, kind ${kind}, len ${len}`).toBe(
            Buffer.from(ref(a, { dkLen: outLen })).toString('hex'),
          );
          expect(Buffer.from(got.slice(out1, out1 + outLen)).toString('hex'), `lane 1, kind ${kind}, len ${len}`).toBe(
            Buffer.from(ref(b, { dkLen: outLen })).toString('hex'),
          );
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(600);
      expect(x.qs_shake_x2(3, in0, in1, 0, out0, out1, 1)).toBe(-5);
    });
  });
}
