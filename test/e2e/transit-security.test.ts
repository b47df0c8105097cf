/*
 * Node-only regression tests for the transit findings of the security review (issue 18): raw request targets
 * through the real node:http adapter (item 2), the Host header (item 3), and the SQLite store (item 4: record
 * integrity on disk, file modes of the database, its WAL and SHM).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { connect } from 'node:net';
import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Keyring,
  openSqliteStore,
  memoryStore,
  masterKeyFromBytes,
  createTransitHandler,
  TransitErrorCodes as C,
  toBase64,
} from '../../src/transit/index.js';
import { serveNode } from '../../src/transit/node/server.js';
import { QsignError } from '../../src/errors.js';
import { ml_kem768 } from '../../src/kem/index.js';
import { init } from '../../src/index.js';

await init();
const te = new TextEncoder();
const ROOT = 'root-token-0123456789';
const NOPAY = 'nopay-token-0123456789';
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'qsign-transitsec-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Sends raw HTTP/1.1 bytes and returns what came back (status line parsed), or 'reset' when the socket died. */
function rawRequest(port: number, head: string, body = ''): Promise<{ status: number; text: string } | 'reset'> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    let got = '';
    s.on('data', (d) => (got += d.toString('latin1')));
    s.on('error', () => resolve(got ? parse(got) : 'reset'));
    s.on('close', () => resolve(got ? parse(got) : 'reset'));
    s.write(head + `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n` + body);
  });
  function parse(t: string) {
    const m = /^HTTP\/1\.1 (\d{3})/.exec(t);
    return m ? { status: Number(m[1]), text: t } : ('reset' as const);
  }
}

async function server() {
  const keyring = new Keyring({
    store: memoryStore(),
    masterKey: await masterKeyFromBytes(new Uint8Array(32).fill(1)),
  });
  await keyring.createKey('payroll', { deletion_allowed: true });
  const handler = createTransitHandler({
    keyring,
    auth: {
      tokens: [
        { token: ROOT, policies: ['root'] },
        { token: NOPAY, policies: ['nopay'] },
      ],
      policies: {
        nopay: [
          { path: 'oqs-transit/*', capabilities: ['create', 'read', 'update', 'delete', 'list'] },
          { path: 'oqs-transit/keys/payroll', capabilities: ['deny'] },
          { path: 'oqs-transit/decrypt/payroll', capabilities: ['deny'] },
        ],
      },
    },
  });
  const srv = await serveNode(handler, { port: 0 });
  return { keyring, srv, port: Number(new URL(srv.url).port) };
}

describe('item 2 over node:http (raw request targets)', () => {
  it('policy deny cannot be bypassed by path spelling through the node:http adapter', async () => {
    const { keyring, srv, port } = await server();
    try {
      const { ciphertext } = await keyring.encrypt('payroll', te.encode('salary'));
      const body = JSON.stringify({ ciphertext });
      const targets = [
        '/v1/oqs-transit/decrypt/payroll/',
        '/v1/oqs-transit/decrypt/payroll//',
        '/v1/oqs-transit/decrypt//payroll',
        '/v1/oqs-transit/./decrypt/payroll',
        '/v1/oqs-transit/decrypt/x/../payroll',
        '/v1/oqs-transit/decrypt/%2e%2e/decrypt/payroll',
        '/v1/oqs-transit/decrypt%2fpayroll',
        '/v1/oqs-transit/decrypt/p%61yroll',
        '/v1/oqs-transit/decrypt\\payroll',
        'http://evil/v1/oqs-transit/decrypt/payroll',
      ];
      for (const t of targets) {
        const r = await rawRequest(port, `POST ${t} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Vault-Token: ${NOPAY}\r\n`, body);
        expect(r, t).not.toBe('reset');
        const { status } = r as { status: number };
        expect(status >= 400 && status < 500, `${t} → ${status}`).toBe(true);
      }
      for (const t of [
        '/v1/oqs-transit//keys/payroll',
        '/v1/oqs-transit/keys/payroll/',
        '/v1/oqs-transit/keys/./payroll',
      ]) {
        const r = await rawRequest(port, `DELETE ${t} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Vault-Token: ${NOPAY}\r\n`);
        expect(r, t).not.toBe('reset');
        expect((r as { status: number }).status, t).toBeGreaterThanOrEqual(400);
      }
      expect(await keyring.listKeys()).toEqual(['payroll']);
    } finally {
      await srv.close();
    }
  });
});

describe('item 3: the Host header', () => {
  it('the Host header cannot rewrite the routed path', async () => {
    const { keyring, srv, port } = await server();
    try {
      const r = await rawRequest(
        port,
        `POST /v1/sys/health HTTP/1.1\r\nHost: x/v1/oqs-transit/keys/hosty?\r\nX-Vault-Token: ${ROOT}\r\n`,
        '{}',
      );
      expect(r).not.toBe('reset');
      expect(await keyring.listKeys()).toEqual(['payroll']);
      expect((r as { status: number }).status).toBe(400);
    } finally {
      await srv.close();
    }
  });

  it('a malformed Host header gets 400, not a connection reset', async () => {
    const { srv, port } = await server();
    try {
      for (const host of ['a b', 'x/y', 'a@b', '[::1', 'h:99999', 'h:port', '%zz', 'a?b', 'a#b']) {
        const r = await rawRequest(port, `GET /v1/sys/health HTTP/1.1\r\nHost: ${host}\r\n`);
        expect(r, host).not.toBe('reset');
        expect((r as { status: number }).status, host).toBe(400);
      }
      for (const host of ['127.0.0.1', 'transit.example:8200', '[::1]:8200', 'localhost', 'transit.example.:8200']) {
        const r = await rawRequest(port, `GET /v1/sys/health HTTP/1.1\r\nHost: ${host}\r\n`);
        expect((r as { status: number }).status, host).toBe(200);
      }
    } finally {
      await srv.close();
    }
  });
});

describe('item 4: SQLite store', () => {
  it('a tampered key record in a SQLite file is refused, not used', async () => {
    const path = join(dir, 'tamper.db');
    const masterKey = await masterKeyFromBytes(new Uint8Array(32).fill(3));
    const store = await openSqliteStore(path);
    const keyring = new Keyring({ store, masterKey });
    await keyring.createKey('k');
    const row = (await store.get('k'))!;
    const rec = JSON.parse(row.json);
    (rec.record ?? rec).versions['1'].public_key = toBase64(ml_kem768.keygen().publicKey);
    await store.put('k', JSON.stringify(rec), row.revision);
    await store.close!();
    const reopened = new Keyring({ store: await openSqliteStore(path), masterKey });
    const e = await reopened.encrypt('k', te.encode('x')).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(QsignError);
    expect((e as QsignError).code).toBe(C.RECORD_TAMPERED);
  });

  it('SQLite files, WAL and SHM are created mode 0600', async () => {
    const old = process.umask(0o022);
    try {
      const path = join(dir, 'modes.db');
      const store = await openSqliteStore(path);
      await new Keyring({ store, masterKey: await masterKeyFromBytes(new Uint8Array(32).fill(3)) }).createKey('k');
      for (const f of [path, `${path}-wal`, `${path}-shm`]) {
        expect(existsSync(f), f).toBe(true);
        expect((statSync(f).mode & 0o777).toString(8), f).toBe('600');
      }
      await store.close!();
    } finally {
      process.umask(old);
    }
  });
});
