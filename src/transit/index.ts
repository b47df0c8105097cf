/**
 * `qsign-pqc/transit`: a Vault-Transit-compatible encryption-as-a-service
 * layer on post-quantum keys (ML-KEM-768/1024 and X-Wing for encryption via
 * HPKE, ML-DSA for signatures).
 *
 * Runtime-agnostic: everything exported here runs in Node, Deno, Bun,
 * workerd and browsers. Node-only pieces live in `./node/` (http adapter,
 * audit file) and the SQLite store loads better-sqlite3 only when opened.
 *
 * @example
 * ```ts
 * const keyring = new Keyring({ store: memoryStore(), masterKey: await masterKeyFromBytes(key32) });
 * await keyring.createKey('my-key', { type: 'kyber768' });
 * const { ciphertext } = await keyring.encrypt('my-key', data);   // "vault:v1:…"
 * const { plaintext } = await keyring.decrypt('my-key', ciphertext);
 * const handler = createTransitHandler({ keyring, auth: { tokens: [{ token, policies: ['root'] }] } });
 * ```
 *
 * @packageDocumentation
 */
export { Keyring, parseVersioned } from './keyring.js';
export type { KeyringOptions, EncryptOptions, DecryptOptions, SignOptions, DataKeyOptions } from './keyring.js';
export { KEY_TYPES, resolveKeyType } from './types.js';
export type {
  KeyType,
  SignatureKeyType,
  MlDsaKeyType,
  SlhDsaKeyType,
  KeyInfo,
  KeyVersionInfo,
  CreateKeyOptions,
  KeyConfig,
} from './types.js';
export type { KemKeyType } from './envelope.js';
export { encryptStream, decryptStream, DEFAULT_CHUNK_SIZE } from './stream.js';
export type { StreamEncryptOptions, StreamKeySource } from './stream.js';
export { TransitErrorCodes, httpStatusFor } from './errors.js';
export type { TransitErrorCode } from './errors.js';
export { masterKeyFromBytes, masterKeyFromCryptoKey, generateMasterKey } from './master-key.js';
export type { MasterKey } from './master-key.js';
export type { TransitStore, StoredRecord } from './store.js';
export { MemoryStore, memoryStore } from './stores/memory.js';
export { openSqliteStore } from './stores/sqlite.js';
export type { SqliteStoreOptions } from './stores/sqlite.js';
export { openIndexedDbStore } from './stores/indexeddb.js';
export type { IndexedDbStore } from './stores/indexeddb.js';
export {
  durableObjectStore,
  durableObjectIndex,
  keyObjectStore,
  indexObjectStore,
  transitIndexClient,
  serveTransitIndex,
  INDEX_RPC_PREFIX,
} from './stores/durable-object.js';
export type { DurableObjectStorageLike, DurableObjectTransactionLike, TransitIndex } from './stores/durable-object.js';
export { createTransitHandler, routeKeyName, shardTarget } from './http.js';
export type { TransitHandlerOptions, TransitLimits } from './http.js';
export { createAuth } from './auth.js';
export type { AuthConfig, Authorizer, Capability, PolicyRule, TokenEntry } from './auth.js';
export { AuditLog, memoryAuditSink } from './audit.js';
export type { AuditSink, AuditRecord, AuditKeySource } from './audit.js';
export { TransitClient } from './client.js';
export type { TransitClientOptions, BatchResult } from './client.js';
export { toBase64, fromBase64 } from './base64.js';
