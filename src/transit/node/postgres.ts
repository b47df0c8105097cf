/**
 * PostgreSQL store: several `qsign transit serve` replicas on one database. Node-only (it lives under
 * `transit/node/` so browser and Worker bundles never see `pg`); `pg` is an optionalDependency, loaded on first use.
 *
 * Guarantees, all from the database rather than from any replica's memory:
 * - every write is one `UPDATE … WHERE name = $ AND revision = $` (or an `INSERT … ON CONFLICT DO NOTHING` for a
 *   new key): a compare-and-swap, so two replicas rotating at once never lose a version and never store two keys
 *   for one version: the loser's statement changes no row and the keyring re-reads and retries;
 * - a write is acknowledged only after PostgreSQL committed it (synchronous_commit is left on), so `kill -9` of a
 *   replica loses nothing it acknowledged;
 * - no record is cached: every keyring operation reads the row (one primary-key lookup), so a rotation
 *   acknowledged by one replica is used by every request any replica starts afterwards (staleness bound: zero).
 *   We chose this over LISTEN/NOTIFY or a TTL cache because a stale cache would also refuse to decrypt a
 *   ciphertext made with a version another replica just created; the read costs one loopback round trip
 *   (docs/performance.md measures it).
 *
 * Records are authenticated by the keyring (format 2, HMAC under a key derived from the master key) before they
 * reach this store, exactly as with SQLite: the database never sees a seed in the clear and cannot alter a record
 * undetected. Every replica must therefore be given the same master key.
 *
 * Schema: `qsign_transit_schema` holds the schema version; migrations run on open under a transaction-scoped
 * advisory lock, so replicas starting together migrate once.
 */
import { transitError, TransitErrorCodes } from '../errors.js';
import type { StoredRecord, TransitStore } from '../store.js';

/** The part of `pg`'s API this store uses (typed structurally: no @types/pg dependency). */
interface QueryResult {
  rows: Record<string, unknown>[];
  rowCount: number | null;
}
interface PoolClient {
  query(text: string, values?: unknown[]): Promise<QueryResult>;
  release(destroy?: boolean): void;
}
interface Pool {
  query(text: string, values?: unknown[]): Promise<QueryResult>;
  connect(): Promise<PoolClient>;
  end(): Promise<void>;
  on(event: 'error', fn: (e: Error) => void): void;
}
interface PgModule {
  Pool: new (cfg: Record<string, unknown>) => Pool;
}

/** Connection pool and timeouts of {@link openPostgresStore}; every field has a default. */
export interface PostgresStoreOptions {
  /** Connections per replica (default 10). */
  poolSize?: number;
  /** Milliseconds to wait for a connection (default 10000). */
  connectTimeoutMs?: number;
  /** Milliseconds one statement may run before PostgreSQL cancels it (default 30000). */
  statementTimeoutMs?: number;
}

/** The schema version this code writes; a database at a higher version was migrated by a newer qsign. */
export const POSTGRES_SCHEMA_VERSION = 1;

/** Migration n brings the schema from version n-1 to n. Append only; never edit a released one. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS qsign_transit_keys (
     name text PRIMARY KEY,
     revision bigint NOT NULL CHECK (revision > 0),
     record text NOT NULL
   )`,
];

/** Arbitrary constant naming the advisory lock that serializes migrations ('qsgn' in ASCII). */
const MIGRATION_LOCK = 0x7173676e;

/** A connection string with any password replaced, for error messages and logs. */
export function redactPostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

function storageError(what: string, e: unknown): Error {
  return transitError(TransitErrorCodes.STORAGE, `PostgreSQL ${what} failed: ${(e as Error).message}`, e);
}

async function migrate(pool: Pool): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    await c.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await c.query('CREATE TABLE IF NOT EXISTS qsign_transit_schema (version integer NOT NULL)');
    const r = await c.query('SELECT max(version) AS v FROM qsign_transit_schema');
    const have = Number(r.rows[0]?.v ?? 0);
    if (have > POSTGRES_SCHEMA_VERSION)
      throw transitError(
        TransitErrorCodes.STORAGE,
        `the database schema is version ${have}, newer than this qsign understands (${POSTGRES_SCHEMA_VERSION}); upgrade qsign`,
      );
    for (let v = have + 1; v <= POSTGRES_SCHEMA_VERSION; v++) {
      await c.query(MIGRATIONS[v - 1]!);
      await c.query('INSERT INTO qsign_transit_schema (version) VALUES ($1)', [v]);
    }
    await c.query('COMMIT');
  } catch (e) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    c.release();
  }
}

/**
 * Opens a PostgreSQL database as a TransitStore, creating or migrating the schema.
 *
 * @example
 * ```ts
 * import { Keyring, masterKeyFromBytes } from 'qsign-pqc/transit';
 * import { openPostgresStore } from 'qsign-pqc/transit/node';
 * const store = await openPostgresStore('postgres://qsign@db.internal/transit');
 * const keyring = new Keyring({ store, masterKey: await masterKeyFromBytes(sharedMasterKey) });
 * ```
 */
export async function openPostgresStore(url: string, opts: PostgresStoreOptions = {}): Promise<TransitStore> {
  let pg: PgModule;
  try {
    // A variable specifier keeps bundlers for browsers/workers from trying to resolve it.
    const mod = 'pg';
    const m = (await import(/* @vite-ignore */ mod)) as PgModule & { default?: PgModule };
    pg = m.default ?? m;
  } catch (e) {
    throw transitError(
      TransitErrorCodes.STORAGE,
      'the PostgreSQL store needs the optional dependency pg (npm install pg@8)',
      e,
    );
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
    statement_timeout: opts.statementTimeoutMs ?? 30_000,
    application_name: 'qsign-transit',
  });
  // An idle connection dropped by the server (restart, failover) must not crash the process; the pool reconnects.
  pool.on('error', () => undefined);
  try {
    await migrate(pool);
  } catch (e) {
    await pool.end().catch(() => undefined);
    if (e instanceof Error && 'code' in e && String((e as { code: unknown }).code).startsWith('ERR_')) throw e;
    throw transitError(
      TransitErrorCodes.STORAGE,
      `cannot open PostgreSQL store ${redactPostgresUrl(url)}: ${(e as Error).message}`,
      e,
    );
  }
  const q = async (what: string, text: string, values: unknown[]): Promise<QueryResult> => {
    try {
      return await pool.query(text, values);
    } catch (e) {
      throw storageError(what, e);
    }
  };
  return {
    async get(name): Promise<StoredRecord | undefined> {
      const r = await q('read', 'SELECT record, revision FROM qsign_transit_keys WHERE name = $1', [name]);
      const row = r.rows[0];
      return row && { json: String(row.record), revision: Number(row.revision) };
    },
    async list() {
      // COLLATE "C": the byte order every other store sorts in, whatever the database's locale.
      const r = await q('list', 'SELECT name FROM qsign_transit_keys ORDER BY name COLLATE "C"', []);
      return r.rows.map((row) => String(row.name));
    },
    async put(name, json, expectedRevision) {
      if (expectedRevision === undefined) {
        const r = await q(
          'insert',
          'INSERT INTO qsign_transit_keys (name, revision, record) VALUES ($1, 1, $2) ON CONFLICT (name) DO NOTHING',
          [name, json],
        );
        return r.rowCount === 1 ? 1 : undefined;
      }
      const r = await q(
        'update',
        'UPDATE qsign_transit_keys SET record = $1, revision = revision + 1 WHERE name = $2 AND revision = $3',
        [json, name, expectedRevision],
      );
      return r.rowCount === 1 ? expectedRevision + 1 : undefined;
    },
    async delete(name, expectedRevision) {
      const r = await q('delete', 'DELETE FROM qsign_transit_keys WHERE name = $1 AND revision = $2', [
        name,
        expectedRevision,
      ]);
      return r.rowCount === 1;
    },
    async close() {
      await pool.end();
    },
  };
}
