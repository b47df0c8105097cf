/**
 * SQLite store for the Node server (the default backend of `qsign transit
 * serve`). Node-only: better-sqlite3 is an optionalDependency, loaded on first
 * use so the rest of transit never needs it.
 *
 * Durability: WAL journal with synchronous=FULL, so a committed rotate survives
 * `kill -9` and power loss; each write is one UPDATE/INSERT guarded by the
 * revision column (compare-and-swap), so several processes may share the file
 * and a crash mid-write leaves the previous row intact.
 *
 * File modes: the database is created mode 0600 before SQLite opens it, and SQLite
 * gives its -wal and -shm files the database file's mode, so all three are
 * owner-only whatever the umask. An existing file with group/other bits is
 * tightened to 0600 (and so are its -wal/-shm): key records hold public keys and
 * policy, the sealed seeds, and the sealed audit key.
 */
import { transitError, TransitErrorCodes } from '../errors.js';
import type { StoredRecord, TransitStore } from '../store.js';

/** The part of better-sqlite3's API this store uses. */
interface Statement {
  run(...a: unknown[]): { changes: number };
  get(...a: unknown[]): unknown;
  all(...a: unknown[]): unknown[];
}
interface Database {
  pragma(s: string): unknown;
  exec(s: string): void;
  prepare(s: string): Statement;
  close(): void;
}

/**
 * Options of {@link openSqliteStore}.
 *
 * @example
 * ```ts
 * const store = await openSqliteStore('/var/lib/qsign/transit.db', { busyTimeoutMs: 10_000 });
 * ```
 */
export interface SqliteStoreOptions {
  /** Milliseconds a writer waits for another process's lock (default 5000). */
  busyTimeoutMs?: number;
}

/** Creates `path` mode 0600 if absent; tightens it and its -wal/-shm to 0600 if they are group/other accessible. */
async function ownerOnly(path: string): Promise<void> {
  if (path === ':memory:' || path === '') return;
  // Loaded here, not at the top: this module is part of the runtime-agnostic transit entry (browsers, workerd).
  const fsName = 'node:fs';
  const { chmodSync, closeSync, existsSync, openSync, statSync } = (await import(
    /* @vite-ignore */ fsName
  )) as typeof import('node:fs');
  // 'a' creates without truncating; the mode applies only when the file is created.
  closeSync(openSync(path, 'a', 0o600));
  for (const f of [path, `${path}-wal`, `${path}-shm`])
    if (existsSync(f) && (statSync(f).mode & 0o077) !== 0) chmodSync(f, 0o600);
}

/** Opens (creating if needed) a SQLite file as a TransitStore. */
export async function openSqliteStore(path: string, opts: SqliteStoreOptions = {}): Promise<TransitStore> {
  let Ctor: new (p: string) => Database;
  try {
    // A variable specifier keeps bundlers for browsers/workers from trying to resolve it.
    const mod = 'better-sqlite3';
    Ctor = ((await import(/* @vite-ignore */ mod)) as { default: new (p: string) => Database }).default;
  } catch (e) {
    throw transitError(
      TransitErrorCodes.STORAGE,
      'the SQLite store needs the optional dependency better-sqlite3 (npm install better-sqlite3@12)',
      e,
    );
  }
  let db: Database;
  try {
    await ownerOnly(path);
    db = new Ctor(path);
    db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(
      'CREATE TABLE IF NOT EXISTS transit_keys (name TEXT PRIMARY KEY, revision INTEGER NOT NULL, record TEXT NOT NULL)',
    );
  } catch (e) {
    throw transitError(TransitErrorCodes.STORAGE, `cannot open SQLite store ${path}: ${(e as Error).message}`, e);
  }
  const qGet = db.prepare('SELECT record, revision FROM transit_keys WHERE name = ?');
  const qList = db.prepare('SELECT name FROM transit_keys ORDER BY name');
  const qInsert = db.prepare(
    'INSERT INTO transit_keys (name, revision, record) VALUES (?, 1, ?) ON CONFLICT(name) DO NOTHING',
  );
  const qUpdate = db.prepare(
    'UPDATE transit_keys SET record = ?, revision = revision + 1 WHERE name = ? AND revision = ?',
  );
  const qDelete = db.prepare('DELETE FROM transit_keys WHERE name = ? AND revision = ?');
  const guard = <T>(what: string, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      throw transitError(TransitErrorCodes.STORAGE, `SQLite ${what} failed: ${(e as Error).message}`, e);
    }
  };
  return {
    async get(name): Promise<StoredRecord | undefined> {
      const row = guard('read', () => qGet.get(name)) as { record: string; revision: number } | undefined;
      return row && { json: row.record, revision: row.revision };
    },
    async list() {
      return (guard('list', () => qList.all()) as { name: string }[]).map((r) => r.name);
    },
    async put(name, json, expectedRevision) {
      if (expectedRevision === undefined) {
        return guard('insert', () => qInsert.run(name, json)).changes === 1 ? 1 : undefined;
      }
      return guard('update', () => qUpdate.run(json, name, expectedRevision)).changes === 1
        ? expectedRevision + 1
        : undefined;
    },
    async delete(name, expectedRevision) {
      return guard('delete', () => qDelete.run(name, expectedRevision)).changes === 1;
    },
    close() {
      db.close();
    },
  };
}
