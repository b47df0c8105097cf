import type { StoredRecord, TransitStore } from '../store.js';

/**
 * In-process store: tests, `--dev` servers and short-lived workers. Stores
 * strings, so callers can never mutate a stored document by reference.
 */
export class MemoryStore implements TransitStore {
  private readonly rows = new Map<string, StoredRecord>();

  async get(name: string): Promise<StoredRecord | undefined> {
    const r = this.rows.get(name);
    return r && { ...r };
  }

  async list(): Promise<string[]> {
    return [...this.rows.keys()].sort();
  }

  async put(name: string, json: string, expectedRevision: number | undefined): Promise<number | undefined> {
    const cur = this.rows.get(name);
    if (cur?.revision !== expectedRevision) return undefined;
    const revision = (cur?.revision ?? 0) + 1;
    this.rows.set(name, { json, revision });
    return revision;
  }

  async delete(name: string, expectedRevision: number): Promise<boolean> {
    if (this.rows.get(name)?.revision !== expectedRevision) return false;
    return this.rows.delete(name);
  }
}

/** Creates an empty in-memory store. */
export function memoryStore(): MemoryStore {
  return new MemoryStore();
}
