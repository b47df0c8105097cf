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
import { aliasHint } from '../../registry.js';
import { randomBytes } from '../../util/bytes.js';
import type { Command, CommandIO } from '../command.js';
import { parseArgs, stringOpt, type ParsedArgs } from '../command.js';

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

async function serve(args: string[], io: CommandIO): Promise<number> {
  const p = parseArgs(args, {
    strings: ['listen', 'db', 'mount', 'token-file', 'master-key-file', 'audit-log', 'timeout-ms', 'max-body-bytes'],
    booleans: ['dev'],
  });
  const t = await import('../../transit/index.js');
  const { serveNode } = await import('../../transit/node/server.js');
  const { fileAuditSink } = await import('../../transit/node/audit-file.js');
  const dev = p.options.dev === true;
  const { host, port } = parseListen(stringOpt(p, 'listen') ?? '127.0.0.1:8200');
  let store: import('../../transit/index.js').TransitStore;
  let masterKey: import('../../transit/index.js').MasterKey;
  let token: string;
  if (dev) {
    store = t.memoryStore();
    masterKey = (await t.generateMasterKey()).masterKey;
    token = process.env.QSIGN_TRANSIT_TOKEN || `qst.${Buffer.from(randomBytes(24)).toString('base64url')}`;
  } else {
    const db = stringOpt(p, 'db') ?? './transit.db';
    const tf = stringOpt(p, 'token-file');
    const tok = process.env.QSIGN_TRANSIT_TOKEN || (tf ? readSecretFile(tf, 'token') : undefined);
    if (!tok) throw usageError('set QSIGN_TRANSIT_TOKEN or --token-file (or use --dev for an in-memory server)');
    token = tok;
    masterKey = await t.masterKeyFromBytes(loadMasterKey(p, db, io));
    store = await t.openSqliteStore(db);
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
    limits: {
      timeoutMs: stringOpt(p, 'timeout-ms') ? Number(stringOpt(p, 'timeout-ms')) : undefined,
      maxBodyBytes: stringOpt(p, 'max-body-bytes') ? Number(stringOpt(p, 'max-body-bytes')) : undefined,
    },
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

const CLIENT_STRINGS = ['addr', 'token', 'token-file', 'mount'];

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
  if (file) return new Uint8Array(await readFile(file));
  throw usageError(`give --${textOpt} TEXT, --file PATH or --file - for stdin`);
}

function nameArg(p: ParsedArgs, what: string): string {
  const n = p.positionals[0];
  if (!n || n === '-') throw usageError(`missing key name: qsign transit ${what} NAME …`);
  return n;
}

const common = '[--addr URL] [--token-file F] [--mount M]';

export const transitCommands: Command[] = [
  {
    path: ['transit', 'serve'],
    usage: 'transit serve [--listen H:P] [--db FILE] [--mount M] [--dev]',
    summary: 'Run the Vault-compatible PQC transit server (SQLite, or in-memory with --dev)',
    help: 'Token: QSIGN_TRANSIT_TOKEN or --token-file. Master key: QSIGN_MASTER_KEY (base64 32 bytes) or --master-key-file\n(default <db>.key, created 0600 on first start). --audit-log FILE appends JSON lines. --dev prints a root token.',
    run: serve,
  },
  {
    path: ['transit', 'create'],
    usage: `transit create NAME [--type ml-kem-768|ml-kem-1024|xwing|ml-dsa-44|ml-dsa-65|ml-dsa-87] ${common}`,
    summary: `Create a transit key (default ml-kem-768; alias ${aliasHint('ML-KEM-768')})`,
    async run(args, io) {
      const p = parseArgs(args, { strings: [...CLIENT_STRINGS, 'type'], booleans: ['exportable', 'deletion-allowed'] });
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
    usage: `transit encrypt NAME (--plaintext TEXT | --file F|-) [--aad TEXT] ${common}`,
    summary: 'Encrypt with a transit key; prints vault:vN:…',
    async run(args, io) {
      const p = parseArgs(args, { strings: [...CLIENT_STRINGS, 'plaintext', 'file', 'aad'] });
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
    usage: `transit decrypt NAME CIPHERTEXT [--aad TEXT] ${common}`,
    summary: 'Decrypt vault:vN:… and write the plaintext to stdout',
    async run(args) {
      const p = parseArgs(args, { strings: [...CLIENT_STRINGS, 'aad'] });
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
    usage: `transit rotate NAME ${common}`,
    summary: 'Rotate a transit key to a new version',
    async run(args, io) {
      const p = parseArgs(args, { strings: CLIENT_STRINGS });
      const info = await (await client(p)).rotateKey(nameArg(p, 'rotate'));
      io.out(JSON.stringify({ name: info.name, latest_version: info.latest_version }));
      return 0;
    },
  },
  {
    path: ['transit', 'sign'],
    usage: `transit sign NAME (--input TEXT | --file F|-) ${common}`,
    summary: 'Sign with an ML-DSA transit key; prints vault:vN:…',
    async run(args, io) {
      const p = parseArgs(args, { strings: [...CLIENT_STRINGS, 'input', 'file'] });
      io.out((await (await client(p)).sign(nameArg(p, 'sign'), await inputBytes(p, 'input'))).signature);
      return 0;
    },
  },
  {
    path: ['transit', 'verify'],
    usage: `transit verify NAME SIGNATURE (--input TEXT | --file F|-) ${common}`,
    summary: 'Verify a transit signature; exit 0 if valid, 1 if not',
    async run(args, io) {
      const p = parseArgs(args, { strings: [...CLIENT_STRINGS, 'input', 'file'] });
      const sig = p.positionals[1];
      if (!sig) throw usageError('usage: qsign transit verify NAME SIGNATURE --input TEXT');
      const valid = await (await client(p)).verify(nameArg(p, 'verify'), await inputBytes(p, 'input'), sig);
      io.out(valid ? 'valid' : 'invalid');
      return valid ? 0 : 1;
    },
  },
];
