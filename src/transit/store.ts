/**
 * The storage contract. A store keeps one JSON document per key name with a
 * revision counter; every write is a compare-and-swap on that revision. That
 * single primitive gives the guarantees transit needs on every backend:
 * - atomic updates: a rotate writes the whole new document or nothing, so a
 *   crash leaves the old or the new keyring, never a mix;
 * - no lost updates between processes sharing one store (two servers on one
 *   SQLite file, Durable Object replicas): the loser re-reads and retries.
 *
 * Stores never see secret key material in the clear: the keyring seals it
 * with the master key before calling `put`.
 */

/** One key's stored document and its revision, as a {@link TransitStore} hands it back. */
export interface StoredRecord {
  /** The key document (JSON text, secrets already sealed). */
  json: string;
  /** Increases by one on every successful write. */
  revision: number;
}

/**
 * The storage contract every transit store implements: one JSON document per key name, each write a
 * compare-and-swap on its revision. Implement it to keep keys somewhere new.
 *
 * @example
 * ```ts
 * const store: TransitStore = memoryStore();
 * const rev = await store.put('app', '{"v":1}', undefined); // 1: created
 * await store.put('app', '{"v":2}', 0); // undefined: revision 0 is stale, nothing written
 * const { json, revision } = (await store.get('app'))!; // '{"v":1}', 1
 * ```
 */
export interface TransitStore {
  /** The document and revision stored under `name`, or undefined when there is none. */
  get(name: string): Promise<StoredRecord | undefined>;
  /** All key names, sorted. */
  list(): Promise<string[]>;
  /**
   * Writes `json` if the current revision equals `expectedRevision`
   * (`undefined` = the key must not exist yet). Resolves to the new revision,
   * or `undefined` when another writer got there first.
   */
  put(name: string, json: string, expectedRevision: number | undefined): Promise<number | undefined>;
  /** Deletes if the revision matches; false on conflict or absence. */
  delete(name: string, expectedRevision: number): Promise<boolean>;
  /** Releases connections or file handles (stores that hold none omit it). */
  close?(): void | Promise<void>;
}
