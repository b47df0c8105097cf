/**
 * Cloudflare Durable Object store. Run the keyring *inside* one Durable
 * Object (see examples/edge-transit): the object is the single writer for its
 * keys, and each compare-and-swap runs in `storage.transaction()`, so it stays
 * atomic even when requests interleave at `await` points.
 *
 * Typed structurally (no @cloudflare/workers-types dependency): anything with
 * the DurableObjectStorage methods below works, including test doubles.
 */
import type { StoredRecord, TransitStore } from '../store.js';

/** The part of `DurableObjectStorage` this store uses. */
export interface DurableObjectStorageLike {
  get<T>(key: string): Promise<T | undefined>;
  list<T>(opts: { prefix: string }): Promise<Map<string, T>>;
  transaction<T>(fn: (txn: DurableObjectTransactionLike) => Promise<T>): Promise<T>;
}

export interface DurableObjectTransactionLike {
  get<T>(key: string): Promise<T | undefined>;
  put<T>(key: string, value: T): Promise<void>;
  delete(key: string): Promise<boolean>;
}

const PREFIX = 'transit-key:';

/** A TransitStore on a Durable Object's storage. */
export function durableObjectStore(storage: DurableObjectStorageLike): TransitStore {
  return {
    async get(name) {
      const r = await storage.get<StoredRecord>(PREFIX + name);
      return r && { json: r.json, revision: r.revision };
    },
    async list() {
      return [...(await storage.list<StoredRecord>({ prefix: PREFIX })).keys()]
        .map((k) => k.slice(PREFIX.length))
        .sort();
    },
    put(name, json, expectedRevision) {
      return storage.transaction(async (txn) => {
        const cur = await txn.get<StoredRecord>(PREFIX + name);
        if (cur?.revision !== expectedRevision) return undefined;
        const revision = (cur?.revision ?? 0) + 1;
        await txn.put<StoredRecord>(PREFIX + name, { json, revision });
        return revision;
      });
    },
    delete(name, expectedRevision) {
      return storage.transaction(async (txn) => {
        const cur = await txn.get<StoredRecord>(PREFIX + name);
        if (cur?.revision !== expectedRevision) return false;
        return txn.delete(PREFIX + name);
      });
    },
  };
}
