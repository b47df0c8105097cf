/**
 * `qsign-pqc/transit/node`: the Node-only pieces of the transit engine, kept
 * out of `qsign-pqc/transit` so browser and Worker bundles carry no Node
 * imports. `serveNode(createTransitHandler(…))` serves the Vault-compatible
 * API on node:http; `fileAuditSink(path)` appends the audit log as JSON lines.
 *
 * @packageDocumentation
 */
export { serveNode, toNodeListener } from './server.js';
export type { FetchHandler } from './server.js';
export { fileAuditSink } from './audit-file.js';
export { openPostgresStore, redactPostgresUrl, POSTGRES_SCHEMA_VERSION } from './postgres.js';
export type { PostgresStoreOptions } from './postgres.js';
