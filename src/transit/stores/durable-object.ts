/**
 * Cloudflare Durable Object stores. Run the keyring *inside* a Durable Object (see examples/edge-transit): the
 * object is the single writer for its keys, and each compare-and-swap runs in `storage.transaction()`, so it stays
 * atomic even when requests interleave at `await` points. `durableObjectStore` keeps every key in one object;
 * `keyObjectStore` + `durableObjectIndex` shard one object per key with a small index object for the key list.
 *
 * Typed structurally (no @cloudflare/workers-types dependency): anything with
 * the DurableObjectStorage methods below works, including test doubles.
 */
import { transitError, TransitErrorCodes } from '../errors.js';
import type { StoredRecord, TransitStore } from '../store.js';

/** The part of `DurableObjectStorage` this store uses. */
export interface DurableObjectStorageLike {
  /** The value stored under `key`, or undefined. */
  get<T>(key: string): Promise<T | undefined>;
  /** Every entry whose key starts with `prefix`, in key order. */
  list<T>(opts: { prefix: string }): Promise<Map<string, T>>;
  /** Runs `fn` atomically: its reads and writes commit together or not at all. */
  transaction<T>(fn: (txn: DurableObjectTransactionLike) => Promise<T>): Promise<T>;
}

/**
 * The part of a Durable Object storage transaction this store uses (`state.storage.transaction(txn => …)`).
 *
 * @example
 * ```ts
 * await state.storage.transaction(async (txn: DurableObjectTransactionLike) => {
 *   const n = (await txn.get<number>('count')) ?? 0;
 *   await txn.put('count', n + 1);
 * });
 * ```
 */
export interface DurableObjectTransactionLike {
  /** The value stored under `key` as this transaction sees it. */
  get<T>(key: string): Promise<T | undefined>;
  /** Stores `value` under `key` when the transaction commits. */
  put<T>(key: string, value: T): Promise<void>;
  /** Removes `key`; true when it existed. */
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

// ---- one Durable Object per key ------------------------------------------------

/**
 * The index of a sharded deployment (one Durable Object per key plus one index object): the list of key names,
 * and the store entries every key's object shares (names starting with `_`: the BYOK wrapping key, the audit
 * key), which must be one value for the whole mount.
 */
export interface TransitIndex {
  /** Records a key name; called before the key is created, so the list never misses a created key. */
  add(name: string): Promise<void>;
  /** Forgets a key name; called after the key was deleted. */
  remove(name: string): Promise<void>;
  /** All key names, sorted. */
  list(): Promise<string[]>;
  /** The shared entries. */
  shared: Pick<TransitStore, 'get' | 'put' | 'delete'>;
}

const INDEX_PREFIX = 'transit-index:';
const isSharedEntry = (name: string) => name.startsWith('_');

/** The index kept in the index object's storage. */
export function durableObjectIndex(storage: DurableObjectStorageLike): TransitIndex {
  const shared = durableObjectStore(storage);
  return {
    add: (name) => storage.transaction(async (txn) => txn.put(INDEX_PREFIX + name, 1)),
    remove: (name) => storage.transaction(async (txn) => void (await txn.delete(INDEX_PREFIX + name))),
    async list() {
      return [...(await storage.list<number>({ prefix: INDEX_PREFIX })).keys()]
        .map((k) => k.slice(INDEX_PREFIX.length))
        .sort();
    },
    shared,
  };
}

/**
 * The store of one key's Durable Object: its key record in its own storage (so requests for different keys run
 * in different objects, and requests for one key are serialized by its object, every write a compare-and-swap in
 * `storage.transaction()`), the key list and the shared entries in the index.
 */
export function keyObjectStore(storage: DurableObjectStorageLike, index: TransitIndex): TransitStore {
  const local = durableObjectStore(storage);
  return {
    get: (name) => (isSharedEntry(name) ? index.shared.get(name) : local.get(name)),
    list: () => index.list(),
    async put(name, json, expectedRevision) {
      if (isSharedEntry(name)) return index.shared.put(name, json, expectedRevision);
      if (expectedRevision === undefined) await index.add(name);
      return local.put(name, json, expectedRevision);
    },
    async delete(name, expectedRevision) {
      if (isSharedEntry(name)) return index.shared.delete(name, expectedRevision);
      const deleted = await local.delete(name, expectedRevision);
      if (deleted) await index.remove(name);
      return deleted;
    },
  };
}

/**
 * The store of the index object itself, for the requests that name no key (`LIST keys`, `wrapping_key`, `hash`,
 * `random`): it lists the index and holds the shared entries, and holds no key (a key created here would be
 * invisible to its own object).
 */
export function indexObjectStore(index: TransitIndex): TransitStore {
  // Reached by a request that names no key but would write one: `restore` without a name.
  const noKeys = (name: string) =>
    transitError(
      TransitErrorCodes.INVALID_REQUEST,
      `each key lives in its own object here: name the key in the request path (restore/${name})`,
    );
  return {
    get: async (name) => (isSharedEntry(name) ? index.shared.get(name) : undefined),
    list: () => index.list(),
    put: async (name, json, rev) => {
      if (!isSharedEntry(name)) throw noKeys(name);
      return index.shared.put(name, json, rev);
    },
    delete: async (name, rev) => (isSharedEntry(name) ? index.shared.delete(name, rev) : false),
  };
}

/** Path prefix of the index object's internal requests; the Worker forwards only `/v1/…` paths from clients. */
export const INDEX_RPC_PREFIX = '/__qsign-index/';

/** A {@link TransitIndex} that calls the index object through its stub (`fetch`). */
export function transitIndexClient(stub: { fetch(req: Request): Promise<Response> }): TransitIndex {
  const call = async (op: string, args: Record<string, unknown>): Promise<unknown> => {
    const res = await stub.fetch(
      new Request(`https://transit-index${INDEX_RPC_PREFIX}${op}`, { method: 'POST', body: JSON.stringify(args) }),
    );
    if (!res.ok) throw transitError(TransitErrorCodes.STORAGE, `index object: ${op} failed (${res.status})`);
    return ((await res.json()) as { result: unknown }).result;
  };
  return {
    add: async (name) => void (await call('add', { name })),
    remove: async (name) => void (await call('remove', { name })),
    list: async () => (await call('list', {})) as string[],
    shared: {
      get: async (name) => ((await call('get', { name })) as StoredRecord | null) ?? undefined,
      put: async (name, json, expectedRevision) =>
        ((await call('put', { name, json, expectedRevision: expectedRevision ?? null })) as number | null) ?? undefined,
      delete: async (name, expectedRevision) => (await call('delete', { name, expectedRevision })) as boolean,
    },
  };
}

/**
 * Answers {@link transitIndexClient}'s requests in the index object; `undefined` for any other request. Only
 * objects of the same namespace reach this (the Worker never forwards these paths).
 */
export async function serveTransitIndex(index: TransitIndex, req: Request): Promise<Response | undefined> {
  const path = new URL(req.url).pathname;
  if (!path.startsWith(INDEX_RPC_PREFIX) || req.method !== 'POST') return undefined;
  const op = path.slice(INDEX_RPC_PREFIX.length);
  const a = (await req.json()) as { name: string; json: string; expectedRevision: number | null };
  const name = String(a.name);
  let result: unknown;
  if (op === 'add' && !isSharedEntry(name)) result = await index.add(name);
  else if (op === 'remove' && !isSharedEntry(name)) result = await index.remove(name);
  else if (op === 'list') result = await index.list();
  else if (op === 'get' && isSharedEntry(name)) result = (await index.shared.get(name)) ?? null;
  else if (op === 'put' && isSharedEntry(name))
    result = (await index.shared.put(name, String(a.json), a.expectedRevision ?? undefined)) ?? null;
  else if (op === 'delete' && isSharedEntry(name)) result = await index.shared.delete(name, Number(a.expectedRevision));
  else return new Response('unknown index operation', { status: 400 });
  return new Response(JSON.stringify({ result: result ?? null }), { headers: { 'content-type': 'application/json' } });
}
