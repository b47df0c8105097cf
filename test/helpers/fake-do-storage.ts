/**
 * An in-memory stand-in for Cloudflare's DurableObjectStorage (transactions serialized, rolled back on throw),
 * for unit tests of the Durable Object store contract; the real one runs in test/e2e/transit-workerd.test.ts.
 */
import type { DurableObjectStorageLike, DurableObjectTransactionLike } from '../../src/transit/index.js';

export function fakeDoStorage(): DurableObjectStorageLike & { data: Map<string, unknown> } {
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
