/*
 * Issue 18 item 14 (C robustness), seen from TypeScript on both wasm builds:
 *  - the Keccak sponge refuses calls out of order in C (absorb or finalize
 *    after finalize, squeeze before it) with QS_ERR_INVALID_STATE, and the
 *    refused call leaves the output stream untouched;
 *  - the codes C returns for that and for the ML-DSA attempt cap become
 *    coded QsignErrors through the one status table (src/wasm/status.ts).
 * The C side of both (and the randomness-failure wipe) is covered natively by
 * test/native/keccak_state_test.c, mldsa_attempt_cap_test.c and
 * mldsa_randomness_wipe_test.c.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { shake256 as nobleShake256 } from '@noble/hashes/sha3.js';
import { checkStatus } from '../../src/wasm/status.js';
import { QsignError } from '../../src/errors.js';
import type { QsignExports } from '../../src/wasm/exports.js';

const SHAKE256 = 2;
const QS_ERR_SIGN_ATTEMPTS = -8;
const QS_ERR_INVALID_STATE = -9;

async function instance(file: string): Promise<QsignExports> {
  const bytes = readFileSync(new URL(`../../wasm/${file}`, import.meta.url));
  const { instance } = await WebAssembly.instantiate(bytes, {});
  const x = instance.exports as unknown as QsignExports;
  x._initialize();
  return x;
}

const msg = new TextEncoder().encode('keccak state machine');

// Every module that carries the Keccak exports (ML-KEM, ML-DSA, SHA-3 alone).
for (const file of ['mlkem', 'mldsa', 'sha3'].flatMap((m) => [`qsign-${m}-simd.wasm`, `qsign-${m}-scalar.wasm`])) {
  describe(`issue 18 item 14: Keccak state machine enforced in C (${file})`, () => {
    it('absorb and finalize after finalize/squeeze return QS_ERR_INVALID_STATE and change nothing', async () => {
      const x = await instance(file);
      const want = nobleShake256(msg, { dkLen: 300 });
      const st = x.qs_keccak_new(SHAKE256);
      const inPtr = x.qs_malloc(msg.length);
      const outPtr = x.qs_malloc(300);
      new Uint8Array(x.memory.buffer).set(msg, inPtr);
      expect(x.qs_keccak_absorb(st, inPtr, msg.length)).toBe(0);
      expect(x.qs_keccak_finalize(st)).toBe(0);
      expect(x.qs_keccak_squeeze(st, outPtr, 10)).toBe(0);
      expect(x.qs_keccak_absorb(st, inPtr, msg.length)).toBe(QS_ERR_INVALID_STATE);
      expect(x.qs_keccak_finalize(st)).toBe(QS_ERR_INVALID_STATE);
      expect(x.qs_keccak_squeeze(st, outPtr + 10, 290)).toBe(0);
      expect(new Uint8Array(x.memory.buffer, outPtr, 300)).toEqual(want);
      x.qs_keccak_free(st);
    });

    it('squeeze before finalize returns QS_ERR_INVALID_STATE and writes nothing', async () => {
      const x = await instance(file);
      const st = x.qs_keccak_new(SHAKE256);
      const outPtr = x.qs_malloc(32);
      new Uint8Array(x.memory.buffer, outPtr, 32).fill(0xa5);
      expect(x.qs_keccak_squeeze(st, outPtr, 32)).toBe(QS_ERR_INVALID_STATE);
      expect(new Uint8Array(x.memory.buffer, outPtr, 32)).toEqual(new Uint8Array(32).fill(0xa5));
      x.qs_keccak_free(st);
    });
  });
}

describe('issue 18 item 14: the new C codes surface as coded QsignErrors', () => {
  it('the ML-DSA attempt cap is ERR_SIGN_ATTEMPTS_EXHAUSTED', () => {
    const e = (() => {
      try {
        checkStatus(QS_ERR_SIGN_ATTEMPTS, 'ML-DSA-65 sign');
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(QsignError);
    expect((e as QsignError).code).toBe('ERR_SIGN_ATTEMPTS_EXHAUSTED');
    expect((e as QsignError).message).toMatch(/^ML-DSA-65 sign: .*814/);
  });

  it('a Keccak call out of order is ERR_INVALID_STATE', () => {
    expect(() => checkStatus(QS_ERR_INVALID_STATE, 'SHAKE256 update')).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_STATE' }),
    );
  });
});
