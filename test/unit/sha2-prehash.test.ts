import { sha224, sha256, sha384, sha512, sha512_224, sha512_256 } from '@noble/hashes/sha2.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Sha2Name } from '../../src/hash/sha2.js';

/*
 * The pre-hash SHA-2 that replaced @noble/hashes/sha2 on the root import path
 * (issue 23 cold start): the runtime's node:crypto where it is synchronous, noble
 * loaded by init() elsewhere. Both must give noble's digests for every name.
 */
const NOBLE: Record<Sha2Name, (m: Uint8Array) => Uint8Array> = {
  'SHA2-224': sha224,
  'SHA2-256': sha256,
  'SHA2-384': sha384,
  'SHA2-512': sha512,
  'SHA2-512/224': sha512_224,
  'SHA2-512/256': sha512_256,
};
const MESSAGES = [
  new Uint8Array(0),
  new Uint8Array([0x61, 0x62, 0x63]),
  Uint8Array.from({ length: 1000 }, (_, i) => i),
];

async function fresh(): Promise<typeof import('../../src/hash/sha2.js')> {
  vi.resetModules();
  return import('../../src/hash/sha2.js');
}

describe('SHA-2 pre-hash off the root import path', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('runtime node:crypto path gives noble digests, as plain Uint8Arrays, without init', async () => {
    const { sha2 } = await fresh();
    for (const [name, ref] of Object.entries(NOBLE))
      for (const m of MESSAGES) {
        const d = sha2(name as Sha2Name, m);
        expect(Object.getPrototypeOf(d)).toBe(Uint8Array.prototype);
        expect(d).toEqual(ref(m));
      }
  });

  it('without a synchronous runtime hash (browsers): typed error before init, noble digests after loadSha2', async () => {
    vi.stubGlobal('process', { ...process, getBuiltinModule: undefined });
    const { sha2, loadSha2 } = await fresh();
    expect(() => sha2('SHA2-256', MESSAGES[1]!)).toThrow(expect.objectContaining({ code: 'ERR_NOT_INITIALIZED' }));
    await loadSha2();
    for (const [name, ref] of Object.entries(NOBLE))
      for (const m of MESSAGES) expect(sha2(name as Sha2Name, m)).toEqual(ref(m));
  });

  it('Workers (process.getBuiltinModule under nodejs_compat) take noble through init', async () => {
    vi.stubGlobal('navigator', { userAgent: 'Cloudflare-Workers' });
    const { sha2, loadSha2 } = await fresh();
    expect(() => sha2('SHA2-512', MESSAGES[1]!)).toThrow(expect.objectContaining({ code: 'ERR_NOT_INITIALIZED' }));
    await loadSha2();
    expect(sha2('SHA2-512', MESSAGES[2]!)).toEqual(sha512(MESSAGES[2]!));
  });
});
