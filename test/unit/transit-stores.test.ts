import { describe, it, expect } from 'vitest';
import {
  Keyring,
  memoryStore,
  durableObjectStore,
  durableObjectIndex,
  keyObjectStore,
  generateMasterKey,
  type TransitStore,
} from '../../src/transit/index.js';
import { fakeDoStorage } from '../helpers/fake-do-storage.js';

const stores: [string, () => TransitStore][] = [
  ['memory', () => memoryStore()],
  ['durable object', () => durableObjectStore(fakeDoStorage())],
  // One object per key: every key's object shares one index (here all keys in one storage, as the contract needs).
  ['durable object per key', () => keyObjectStore(fakeDoStorage(), durableObjectIndex(fakeDoStorage()))],
];

for (const [label, make] of stores) {
  describe(`TransitStore contract: ${label}`, () => {
    it('compare-and-swap put/delete, sorted list', async () => {
      const s = make();
      expect(await s.get('a')).toBe(undefined);
      expect(await s.put('b', 'B1', undefined)).toBe(1);
      expect(await s.put('a', 'A1', undefined)).toBe(1);
      expect(await s.put('a', 'A2', undefined)).toBe(undefined);
      expect(await s.put('a', 'A2', 2)).toBe(undefined);
      expect(await s.put('a', 'A2', 1)).toBe(2);
      expect(await s.get('a')).toEqual({ json: 'A2', revision: 2 });
      expect(await s.list()).toEqual(['a', 'b']);
      expect(await s.delete('a', 1)).toBe(false);
      expect(await s.delete('a', 2)).toBe(true);
      expect(await s.list()).toEqual(['b']);
    });

    it('concurrent writers: exactly one CAS wins per revision', async () => {
      const s = make();
      await s.put('k', 'v0', undefined);
      const wins = await Promise.all(Array.from({ length: 10 }, (_, i) => s.put('k', `v${i + 1}`, 1)));
      expect(wins.filter((w) => w === 2)).toHaveLength(1);
      expect((await s.get('k'))!.revision).toBe(2);
    });

    it('keyring on it: parallel rotations are all kept and ciphertexts decrypt', async () => {
      const store = make();
      const { masterKey } = await generateMasterKey();
      const a = new Keyring({ store, masterKey }),
        b = new Keyring({ store, masterKey });
      await a.createKey('k');
      const ct1 = (await a.encrypt('k', new Uint8Array([1]))).ciphertext;
      await Promise.all([a.rotateKey('k'), b.rotateKey('k'), a.rotateKey('k')]);
      expect((await b.readKey('k')).latest_version).toBe(4);
      expect((await b.decrypt('k', ct1)).plaintext).toEqual(new Uint8Array([1]));
      expect((await b.encrypt('k', new Uint8Array([2]))).keyVersion).toBe(4);
    });
  });
}
