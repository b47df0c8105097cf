/**
 * `qsign transit …`: run the transit server (`serve`) and talk to one
 * (`create`, `encrypt`, `decrypt`, `rotate`, `sign`, `verify`).
 *
 * Secrets never go on the command line of `serve`: the root token comes from
 * QSIGN_TRANSIT_TOKEN or --token-file, the master key from QSIGN_MASTER_KEY
 * (base64, 32 bytes) or a key file that is created with mode 0600 on first
 * start (default: `<db>.key`).
 */
import { existsSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { QsignError } from '../../errors.js';
import { aliasHint, familyNames } from '../../registry.js';
import { randomBytes } from '../../util/bytes.js';
import type { Command, CommandIO } from '../command.js';
import { positiveIntOpt, stringOpt, type OptionSpec, type ParsedArgs } from '../command.js';

const usageError = (m: string) => new QsignError('ERR_USAGE', m);

function readSecretFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (e) {
    throw new QsignError('ERR_FILE', `cannot read ${what} file ${path}: ${(e as Error).message}`);
  }
}

function decodeMasterKey(b64: string, from: string): Uint8Array {
  const raw = Buffer.from(b64.trim(), 'base64');
  if (raw.length !== 32 || raw.toString('base64') !== b64.trim())
    throw usageError(`${from} must be standard base64 of exactly 32 bytes`);
  return new Uint8Array(raw);
}

/** Master key bytes: env, else the key file (created 0600 when absent). */
function loadMasterKey(p: ParsedArgs, db: string, io: CommandIO): Uint8Array {
  const env = process.env.QSIGN_MASTER_KEY;
  if (env) return decodeMasterKey(env, 'QSIGN_MASTER_KEY');
  const file = stringOpt(p, 'master-key-file') ?? `${db}.key`;
  if (existsSync(file)) {
    const mode = statSync(file).mode & 0o077;
    if (mode !== 0) io.err(`qsign: warning: ${file} is readable by group/others (chmod 600 it)`);
    return decodeMasterKey(readSecretFile(file, 'master key'), file);
  }
  const key = randomBytes(32);
  // 'wx' fails if another process created it meanwhile, so two servers never race to different keys.
  try {
    writeFileSync(file, Buffer.from(key).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST')
      return decodeMasterKey(readSecretFile(file, 'master key'), file);
    throw new QsignError('ERR_FILE', `cannot create master key file ${file}: ${(e as Error).message}`);
  }
  io.err(
    `qsign: created master key file ${file} (mode 0600); back it up: without it the keys in ${db} are unrecoverable`,
  );
  return key;
}

function parseListen(v: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(v);
  if (!m) throw usageError('--listen must be HOST:PORT, e.g. 127.0.0.1:8200');
  return { host: m[1] ?? m[2]!, port: Number(m[3]) };
}

/** `--store postgres://…|postgresql://…|sqlite:FILE`, or `--db FILE` (SQLite, the default ./transit.db). */
function storeOption(p: ParsedArgs): { kind: 'postgres'; url: string } | { kind: 'sqlite'; file: string } {
  const s = stringOpt(p, 'store');
  const db = stringOpt(p, 'db');
  if (s === undefined) return { kind: 'sqlite', file: db ?? './transit.db' };
  if (db !== undefined) throw usageError('give --db FILE or --store URL, not both');
  if (/^postgres(ql)?:\/\//.test(s)) return { kind: 'postgres', url: s };
  if (s.startsWith('sqlite:') && s.length > 'sqlite:'.length)
    return { kind: 'sqlite', file: s.slice('sqlite:'.length) };
  throw usageError('--store must be postgres://USER@HOST:PORT/DB (or postgresql://…) or sqlite:FILE');
}

/**
 * The master key of a replicated (PostgreSQL) server: every replica must use the same one, so it is never
 * generated here: QSIGN_MASTER_KEY or an existing --master-key-file.
 */
function sharedMasterKey(p: ParsedArgs): Uint8Array {
  const env = process.env.QSIGN_MASTER_KEY;
  if (env) return decodeMasterKey(env, 'QSIGN_MASTER_KEY');
  const file = stringOpt(p, 'master-key-file');
  if (!file)
    throw usageError(
      'a PostgreSQL store needs the master key every replica shares: QSIGN_MASTER_KEY or --master-key-file',
    );
  return decodeMasterKey(readSecretFile(file, 'master key'), file);
}

async function serve(p: ParsedArgs, io: CommandIO): Promise<number> {
  const t = await import('../../transit/index.js');
  const { serveNode } = await import('../../transit/node/server.js');
  const { fileAuditSink } = await import('../../transit/node/audit-file.js');
  const dev = p.options.dev === true;
  // Checked before anything starts: a NaN deadline would fail every request.
  const timeoutMs = positiveIntOpt(p, 'timeout-ms');
  const maxBodyBytes = positiveIntOpt(p, 'max-body-bytes');
  const { host, port } = parseListen(stringOpt(p, 'listen') ?? '127.0.0.1:8200');
  let store: import('../../transit/index.js').TransitStore;
  let masterKey: import('../../transit/index.js').MasterKey;
  let token: string;
  if (dev) {
    store = t.memoryStore();
    masterKey = (await t.generateMasterKey()).masterKey;
    token = process.env.QSIGN_TRANSIT_TOKEN || `qst.${Buffer.from(randomBytes(24)).toString('base64url')}`;
  } else {
    const where = storeOption(p);
    const tf = stringOpt(p, 'token-file');
    const tok = process.env.QSIGN_TRANSIT_TOKEN || (tf ? readSecretFile(tf, 'token') : undefined);
    if (!tok) throw usageError('set QSIGN_TRANSIT_TOKEN or --token-file (or use --dev for an in-memory server)');
    token = tok;
    if (where.kind === 'postgres') {
      masterKey = await t.masterKeyFromBytes(sharedMasterKey(p));
      store = await (await import('../../transit/node/postgres.js')).openPostgresStore(where.url);
    } else {
      masterKey = await t.masterKeyFromBytes(loadMasterKey(p, where.file, io));
      store = await t.openSqliteStore(where.file);
    }
  }
  const keyring = new t.Keyring({ store, masterKey });
  const auditPath = stringOpt(p, 'audit-log');
  const sink = auditPath ? fileAuditSink(auditPath) : undefined;
  const handler = t.createTransitHandler({
    keyring,
    auth: { tokens: [{ token, policies: ['root'], displayName: 'root' }] },
    mount: stringOpt(p, 'mount') ?? 'oqs-transit',
    // A sink, not an AuditLog: the handler HMACs with the keyring's persisted audit key, stable across restarts.
    audit: sink,
    limits: { timeoutMs, maxBodyBytes },
  });
  const srv = await serveNode(handler, { host, port });
  if (dev) io.out(`dev mode: in-memory store, nothing is persisted\nroot token: ${token}`);
  io.out(`qsign transit listening on ${srv.url} (mount ${stringOpt(p, 'mount') ?? 'oqs-transit'})`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await srv.close();
  await store.close?.();
  sink?.close();
  return 0;
}

/** Options every client command shares. */
const CLIENT_OPTIONS: OptionSpec[] = [
  {
    name: 'addr',
    value: 'URL',
    description: 'Server address (default $QSIGN_TRANSIT_ADDR, else http://127.0.0.1:8200)',
  },
  {
    name: 'token-file',
    value: 'FILE',
    description: 'Read the token from FILE (default $QSIGN_TRANSIT_TOKEN)',
  },
  {
    name: 'token',
    value: 'TOKEN',
    description: 'The token itself (visible in `ps`; prefer --token-file or $QSIGN_TRANSIT_TOKEN)',
  },
  { name: 'mount', value: 'PATH', description: 'Mount path of the transit engine (default oqs-transit)' },
];

async function client(p: ParsedArgs) {
  const { TransitClient } = await import('../../transit/client.js');
  const tf = stringOpt(p, 'token-file');
  const token =
    stringOpt(p, 'token') || process.env.QSIGN_TRANSIT_TOKEN || (tf ? readSecretFile(tf, 'token') : undefined);
  if (!token) throw usageError('set QSIGN_TRANSIT_TOKEN, --token-file or --token');
  return new TransitClient({
    address: stringOpt(p, 'addr') || process.env.QSIGN_TRANSIT_ADDR || 'http://127.0.0.1:8200',
    token,
    mount: stringOpt(p, 'mount'),
  });
}

/** Bytes from --plaintext/--input TEXT, --file PATH or `-` (stdin). */
async function inputBytes(p: ParsedArgs, textOpt: string): Promise<Uint8Array> {
  const text = stringOpt(p, textOpt);
  if (text !== undefined) return new TextEncoder().encode(text);
  const file = stringOpt(p, 'file');
  if (file === '-' || p.positionals.includes('-')) {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return new Uint8Array(Buffer.concat(chunks));
  }
  if (file) {
    try {
      return new Uint8Array(await readFile(file));
    } catch (e) {
      throw new QsignError('ERR_FILE', `cannot read ${file}: ${(e as Error).message}`);
    }
  }
  throw usageError(`give --${textOpt} TEXT, --file PATH or --file - for stdin`);
}

function nameArg(p: ParsedArgs, what: string): string {
  const n = p.positionals[0];
  if (!n || n === '-') throw usageError(`missing key name: qsign transit ${what} NAME …`);
  return n;
}

const AAD_OPTION: OptionSpec = {
  name: 'aad',
  value: 'TEXT',
  description: 'Associated data bound to the ciphertext; decrypt needs the same',
};
const CONTEXT_OPTION: OptionSpec = {
  name: 'context',
  value: 'TEXT',
  description: 'FIPS 204/205 context string (at most 255 bytes); verify needs the same',
};
/** `--context TEXT` as sign/verify options. */
function contextOf(p: ParsedArgs): { context?: Uint8Array } {
  const c = stringOpt(p, 'context');
  return c === undefined ? {} : { context: new TextEncoder().encode(c) };
}
const FILE_OPTION: OptionSpec = {
  name: 'file',
  value: 'FILE',
  description: 'Read the input from FILE; `-` reads stdin',
};

export const transitCommands: Command[] = [
  {
    path: ['transit', 'serve'],
    summary: 'Run the Vault-compatible PQC transit server (SQLite, PostgreSQL replicas, or in-memory with --dev)',
    options: [
      { name: 'listen', value: 'HOST:PORT', description: 'Address to listen on (default 127.0.0.1:8200)' },
      { name: 'db', value: 'FILE', description: 'SQLite database (default ./transit.db)' },
      {
        name: 'store',
        value: 'URL',
        description:
          'postgres://USER@HOST:PORT/DB for replicas sharing one PostgreSQL database, or sqlite:FILE (instead of --db)',
      },
      { name: 'mount', value: 'PATH', description: 'Mount path of the transit engine (default oqs-transit)' },
      {
        name: 'token-file',
        value: 'FILE',
        description: 'File holding the root token (or set $QSIGN_TRANSIT_TOKEN); at least 8 characters',
      },
      {
        name: 'master-key-file',
        value: 'FILE',
        description:
          'File holding the master key as standard base64 of exactly 32 bytes (or set $QSIGN_MASTER_KEY); SQLite: default <db>.key, created mode 0600 on first start; PostgreSQL: required, the same on every replica',
      },
      { name: 'audit-log', value: 'FILE', description: 'Append an audit record per request to FILE (JSON lines)' },
      { name: 'timeout-ms', value: 'MS', description: 'Per-request deadline in milliseconds' },
      { name: 'max-body-bytes', value: 'N', description: 'Largest request body accepted' },
      { name: 'dev', description: 'In-memory store and a fresh master key; prints a root token; nothing is persisted' },
    ],
    help: 'Secrets never go on the command line: the token and the master key come from the environment or from files. Make a master key file with `head -c 32 /dev/urandom | base64 > transit.key && chmod 600 transit.key`. Stop the server with SIGINT or SIGTERM.',
    run: serve,
  },
  {
    path: ['transit', 'create'],
    args: 'NAME',
    summary: 'Create a transit key',
    options: [
      {
        name: 'type',
        value: 'TYPE',
        description: `ml-kem-768 (default; alias ${aliasHint('ML-KEM-768')}), ml-kem-1024, xwing, ml-dsa-44, ml-dsa-65, ml-dsa-87, or SLH-DSA: ${familyNames(
          'SLH-DSA',
        )
          .map((n) => n.toLowerCase())
          .join(', ')}`,
      },
      { name: 'exportable', description: 'Allow the key to be exported' },
      { name: 'deletion-allowed', description: 'Allow the key to be deleted' },
      ...CLIENT_OPTIONS,
    ],
    async run(p, io) {
      const info = await (
        await client(p)
      ).createKey(nameArg(p, 'create'), {
        type: stringOpt(p, 'type'),
        exportable: p.options.exportable === true,
        deletion_allowed: p.options['deletion-allowed'] === true,
      });
      io.out(JSON.stringify({ name: info.name, type: info.type, latest_version: info.latest_version }));
      return 0;
    },
  },
  {
    path: ['transit', 'encrypt'],
    args: 'NAME',
    summary: 'Encrypt with a transit key; prints vault:vN:…',
    options: [
      { name: 'plaintext', value: 'TEXT', description: 'The text to encrypt' },
      FILE_OPTION,
      AAD_OPTION,
      ...CLIENT_OPTIONS,
    ],
    async run(p, io) {
      const aad = stringOpt(p, 'aad');
      const r = await (
        await client(p)
      ).encrypt(
        nameArg(p, 'encrypt'),
        await inputBytes(p, 'plaintext'),
        aad === undefined ? {} : { associatedData: new TextEncoder().encode(aad) },
      );
      io.out(r.ciphertext);
      return 0;
    },
  },
  {
    path: ['transit', 'decrypt'],
    args: 'NAME CIPHERTEXT',
    summary: 'Decrypt vault:vN:… and write the plaintext to stdout',
    options: [AAD_OPTION, ...CLIENT_OPTIONS],
    async run(p) {
      const ct = p.positionals[1];
      if (!ct) throw usageError('usage: qsign transit decrypt NAME CIPHERTEXT');
      const aad = stringOpt(p, 'aad');
      const r = await (
        await client(p)
      ).decrypt(nameArg(p, 'decrypt'), ct, aad === undefined ? {} : { associatedData: new TextEncoder().encode(aad) });
      // Raw bytes, not a line: plaintext may be binary.
      process.stdout.write(r.plaintext);
      return 0;
    },
  },
  {
    path: ['transit', 'rotate'],
    args: 'NAME',
    summary: 'Rotate a transit key to a new version',
    options: CLIENT_OPTIONS,
    async run(p, io) {
      const info = await (await client(p)).rotateKey(nameArg(p, 'rotate'));
      io.out(JSON.stringify({ name: info.name, latest_version: info.latest_version }));
      return 0;
    },
  },
  {
    path: ['transit', 'sign'],
    args: 'NAME',
    summary: 'Sign with an ML-DSA or SLH-DSA transit key; prints vault:vN:…',
    options: [
      { name: 'input', value: 'TEXT', description: 'The text to sign' },
      FILE_OPTION,
      CONTEXT_OPTION,
      ...CLIENT_OPTIONS,
    ],
    async run(p, io) {
      io.out((await (await client(p)).sign(nameArg(p, 'sign'), await inputBytes(p, 'input'), contextOf(p))).signature);
      return 0;
    },
  },
  {
    path: ['transit', 'verify'],
    args: 'NAME SIGNATURE',
    summary: 'Verify a transit signature; exit 0 if valid, 1 if not',
    options: [
      { name: 'input', value: 'TEXT', description: 'The signed text' },
      FILE_OPTION,
      CONTEXT_OPTION,
      ...CLIENT_OPTIONS,
    ],
    async run(p, io) {
      const sig = p.positionals[1];
      if (!sig) throw usageError('usage: qsign transit verify NAME SIGNATURE --input TEXT');
      const valid = await (
        await client(p)
      ).verify(nameArg(p, 'verify'), await inputBytes(p, 'input'), sig, contextOf(p));
      io.out(valid ? 'valid' : 'invalid');
      return valid ? 0 : 1;
    },
  },
];
