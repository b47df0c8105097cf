/**
 * IndexedDB store for browsers (and any runtime with `indexedDB`), plus a
 * master key that lives in the same database as a *non-extractable* Web
 * Crypto key: page script can seal and unseal with it but can never read its
 * bytes, so an XSS or a copied profile database does not leak it as data.
 *
 * Each compare-and-swap is one readwrite transaction (get, compare, put);
 * IndexedDB serializes readwrite transactions on the same object store, so
 * two tabs cannot both win.
 */
import { transitError, TransitErrorCodes } from '../errors.js';
import { masterKeyFromCryptoKey, transitSubtle, type MasterKey } from '../master-key.js';
import type { StoredRecord, TransitStore } from '../store.js';

const KEYS = 'keys';
const META = 'meta';

function req<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
}

/**
 * A transit store in the browser's IndexedDB that also keeps the database's own non-extractable master key.
 *
 * @example
 * ```ts
 * const store = await openIndexedDbStore('my-app-keys');
 * const keyring = new Keyring({ store, masterKey: await store.masterKey() });
 * ```
 */
export interface IndexedDbStore extends TransitStore {
  /** The database's master key, created (non-extractable) on first use. */
  masterKey(): Promise<MasterKey>;
}

/** Opens (creating if needed) the IndexedDB database `dbName`. */
export async function openIndexedDbStore(
  dbName = 'qsign-transit',
  factory: IDBFactory | undefined = globalThis.indexedDB,
): Promise<IndexedDbStore> {
  if (!factory) throw transitError(TransitErrorCodes.STORAGE, 'IndexedDB is not available in this runtime');
  const open = factory.open(dbName, 1);
  open.onupgradeneeded = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains(KEYS)) db.createObjectStore(KEYS);
    if (!db.objectStoreNames.contains(META)) db.createObjectStore(META);
  };
  let db: IDBDatabase;
  try {
    db = await req(open);
  } catch (e) {
    throw transitError(TransitErrorCodes.STORAGE, `cannot open IndexedDB database ${dbName}`, e);
  }

  // Runs `fn` in one transaction and resolves after it commits.
  async function inTx<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => Promise<T>, store = KEYS): Promise<T> {
    const tx = db.transaction(store, mode);
    const committed = done(tx);
    const out = await fn(tx.objectStore(store));
    await committed;
    return out;
  }

  return {
    async get(name) {
      const r = await inTx('readonly', (s) => req(s.get(name) as IDBRequest<StoredRecord | undefined>));
      return r && { json: r.json, revision: r.revision };
    },
    async list() {
      return ((await inTx('readonly', (s) => req(s.getAllKeys()))) as string[]).map(String).sort();
    },
    put(name, json, expectedRevision) {
      return inTx('readwrite', async (s) => {
        const cur = (await req(s.get(name))) as StoredRecord | undefined;
        if (cur?.revision !== expectedRevision) return undefined;
        const revision = (cur?.revision ?? 0) + 1;
        await req(s.put({ json, revision }, name));
        return revision;
      });
    },
    delete(name, expectedRevision) {
      return inTx('readwrite', async (s) => {
        const cur = (await req(s.get(name))) as StoredRecord | undefined;
        if (cur?.revision !== expectedRevision) return false;
        await req(s.delete(name));
        return true;
      });
    },
    async masterKey() {
      const existing = await inTx('readonly', (s) => req(s.get('master') as IDBRequest<CryptoKey | undefined>), META);
      if (existing) return masterKeyFromCryptoKey(existing);
      // generateKey cannot run inside an IndexedDB transaction (it would auto-commit),
      // so make a candidate first and keep whichever key another tab stored first.
      const candidate = (await transitSubtle().generateKey({ name: 'AES-GCM', length: 256 }, false, [
        'encrypt',
        'decrypt',
      ])) as CryptoKey;
      const key = await inTx(
        'readwrite',
        async (s) => {
          const cur = (await req(s.get('master'))) as CryptoKey | undefined;
          if (cur) return cur;
          await req(s.add(candidate, 'master'));
          return candidate;
        },
        META,
      );
      return masterKeyFromCryptoKey(key);
    },
    close() {
      db.close();
    },
  };
}
