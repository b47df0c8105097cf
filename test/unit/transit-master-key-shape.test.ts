// docs/transit.md (issue 25): generateMasterKey() returns { key, masterKey };
// passing that pair (or anything that is not a MasterKey) as `masterKey` must
// fail at construction with a coded error saying what to pass, not with a raw
// TypeError on the first createKey (a 500 over HTTP).
import { describe, it, expect } from 'vitest';
import { Keyring, memoryStore, generateMasterKey, masterKeyFromBytes } from '../../src/transit/index.js';
import { QsignError } from '../../src/errors.js';

describe('Keyring masterKey option', () => {
  it('refuses the { key, masterKey } pair of generateMasterKey() with ERR_TRANSIT_INVALID_REQUEST', async () => {
    const pair = await generateMasterKey();
    let err: unknown;
    try {
      new Keyring({ store: memoryStore(), masterKey: pair as never });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(QsignError);
    expect((err as QsignError).code).toBe('ERR_TRANSIT_INVALID_REQUEST');
    expect((err as QsignError).message).toMatch(/generateMasterKey\(\)\.masterKey/);
  });

  it('refuses raw bytes and undefined too', () => {
    for (const bad of [new Uint8Array(32), undefined, {}]) {
      expect(() => new Keyring({ store: memoryStore(), masterKey: bad as never })).toThrow(
        expect.objectContaining({ code: 'ERR_TRANSIT_INVALID_REQUEST' }),
      );
    }
  });

  it('accepts both documented forms', async () => {
    for (const masterKey of [(await generateMasterKey()).masterKey, await masterKeyFromBytes(new Uint8Array(32))]) {
      const k = new Keyring({ store: memoryStore(), masterKey });
      await k.createKey('a');
      const { ciphertext } = await k.encrypt('a', new Uint8Array([1]));
      expect((await k.decrypt('a', ciphertext)).plaintext).toEqual(new Uint8Array([1]));
    }
  });
});
