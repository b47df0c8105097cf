import { describe, it, expect } from 'vitest';
import {
  Keyring,
  memoryStore,
  durableObjectStore,
  generateMasterKey,
  type TransitStore,
  type DurableObjectStorageLike,
  type DurableObjectTransactionLike,
} from '../../src/transit/index.js';

/** An in-memory stand-in for DurableObjectStorage: transactions are serialized and roll back on throw. */
function fakeDoStorage(): DurableObjectStorageLike & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  let chain: Promise<unknown> = Promise.resolve();
  return {
    data,
    async get<T>(k: string) {
      return structuredClone(data.get(k)) as T | undefined;
    },
    async list<T>({ prefix }: { prefix: string }) {
      return new Map([...data].filter(([k]) => k.startsWith(prefix)).sort()) as Map<string, T>;
    },
    transaction<T>(fn: (txn: DurableObjectTransactionLike) => Promise<T>): Promise<T> {
      const run = chain.then(async () => {
        const writes = new Map<string, unknown>();
        const txn: DurableObjectTransactionLike = {
          get: async <V>(k: string) => structuredClone(writes.has(k) ? writes.get(k) : data.get(k)) as V | undefined,
          put: async (k: string, v: unknown) => {
            await new Promise((r) => setTimeout(r, 0));
            writes.set(k, structuredClone(v));
          },
          delete: async (k: string) => {
            const had = data.has(k) || (writes.has(k) && writes.get(k) !== undefined);
            writes.set(k, undefined);
            return had;
          },
        };
        const out = await fn(txn);
        for (const [k, v] of writes)
          if (v === undefined) data.delete(k);
          else data.set(k, v);
        return out;
      });
      chain = run.catch(() => undefined);
      return run;
    },
  };
}

const stores: [string, () => TransitStore][] = [
  ['memory', () => memoryStore()],
  ['durable object', () => durableObjectStore(fakeDoStorage())],
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
