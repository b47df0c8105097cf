/**
 * Node side of the demo service: the data dir, the SQLite file and the audit
 * file around the runtime-neutral core (core.mjs).
 *
 * Everything persists in `DATA/qsign.db` (transit keys, users, the sealed
 * issuer key ring, documents); secrets at rest are sealed with the 32-byte
 * `DATA/master.key` (mode 0600); `DATA/admin.token` and `DATA/audit.log` sit
 * beside it.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { scrypt } from 'node:crypto';
import { join } from 'node:path';

import { Keyring, openSqliteStore, masterKeyFromBytes, AuditLog } from '../../dist/transit/index.js';
import { fileAuditSink } from '../../dist/transit/node/audit-file.js';
import { createQsignService, DemoError } from './core.mjs';

export { DEFAULT_USERS, DOCUMENT_LIMIT } from './core.mjs';

const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** Creates the file with mode 0600 if missing and returns its bytes. */
function secretFile(path, make) {
  if (!existsSync(path)) {
    const fd = openSync(path, 'wx', 0o600);
    try {
      writeFileSync(fd, make());
    } finally {
      closeSync(fd);
    }
  }
  chmodSync(path, 0o600); // tighten a file copied in with looser permissions
  return readFileSync(path);
}

/**
 * scrypt on the libuv thread pool: the same function as the core's default
 * (RFC 7914, so stored hashes stay valid), but the event loop keeps serving
 * other requests while it runs.
 */
function hashPassword(password, salt, { N, r, p, dkLen }) {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, dkLen, { N, r, p, maxmem: 256 * N * r }, (err, key) =>
      err ? reject(err) : resolve(new Uint8Array(key.buffer, key.byteOffset, key.length)),
    ),
  );
}

/**
 * Opens (or creates) the demo state in `dataDir` and returns the request
 * handler. `issuer` is the public base URL (known once the server listens).
 */
export async function createDemo({ dataDir, issuer, log = () => {} }) {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const masterRaw = secretFile(join(dataDir, 'master.key'), () => crypto.getRandomValues(new Uint8Array(32)));
  if (masterRaw.length !== 32)
    throw new DemoError(500, 'bad_master_key', `${join(dataDir, 'master.key')} must hold exactly 32 bytes`);
  const masterKey = await masterKeyFromBytes(new Uint8Array(masterRaw));
  const adminToken = secretFile(
    join(dataDir, 'admin.token'),
    () => `qsa_${hex(crypto.getRandomValues(new Uint8Array(24)))}`,
  )
    .toString('utf8')
    .trim();
  // A persistent HMAC key keeps audit hashes comparable across restarts.
  const auditKey = secretFile(join(dataDir, 'audit-hmac.key'), () => crypto.getRandomValues(new Uint8Array(32)));

  const dbPath = join(dataDir, 'qsign.db');
  const transitStore = await openSqliteStore(dbPath);
  const keyring = new Keyring({ store: transitStore, masterKey });

  // The demo's own tables live in the same file as the transit keys (WAL mode
  // lets both connections use it); better-sqlite3 is the repo's optional dep.
  const Database = createRequire(import.meta.url)('better-sqlite3');
  const db = new Database(dbPath);
  chmodSync(dbPath, 0o600); // documents are encrypted, but user hashes and the sealed ring live here too
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`
    CREATE TABLE IF NOT EXISTS demo_users (username TEXT PRIMARY KEY, user_id TEXT NOT NULL, name TEXT NOT NULL, salt TEXT NOT NULL, hash TEXT NOT NULL, params TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS demo_kv (k TEXT PRIMARY KEY, v TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS documents (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, name TEXT NOT NULL, size INTEGER NOT NULL,
      sha3_256 TEXT NOT NULL, encrypted_data TEXT NOT NULL, signatures TEXT NOT NULL, created_at TEXT NOT NULL);
  `);
  const q = {
    getUser: db.prepare('SELECT * FROM demo_users WHERE username = ?'),
    addUser: db.prepare(
      'INSERT INTO demo_users (username, user_id, name, salt, hash, params) VALUES (@username, @user_id, @name, @salt, @hash, @params)',
    ),
    getKv: db.prepare('SELECT v FROM demo_kv WHERE k = ?'),
    setKv: db.prepare('INSERT INTO demo_kv (k, v) VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v'),
    insertDocument: db.prepare(
      'INSERT INTO documents (id, user_id, name, size, sha3_256, encrypted_data, signatures, created_at) VALUES (@id, @user_id, @name, @size, @sha3_256, @encrypted_data, @signatures, @created_at)',
    ),
    getDocument: db.prepare('SELECT * FROM documents WHERE id = ?'),
  };
  const store = {
    getUser: (u) => q.getUser.get(u),
    addUser: (row) => {
      q.addUser.run(row);
    },
    getKv: (k) => q.getKv.get(k)?.v,
    setKv: (k, v) => {
      q.setKv.run(k, v);
    },
    insertDocument: (row) => {
      q.insertDocument.run(row);
    },
    getDocument: (id) => q.getDocument.get(id),
  };

  const auditSink = fileAuditSink(join(dataDir, 'audit.log'));
  const audit = new AuditLog(auditSink, { hmacKey: new Uint8Array(auditKey) });
  const service = await createQsignService({ issuer, keyring, masterKey, adminToken, audit, store, log, hashPassword });
  return {
    handle: service.handle,
    adminToken,
    dbPath,
    close() {
      db.close();
      transitStore.close?.();
      auditSink.close();
    },
  };
}
