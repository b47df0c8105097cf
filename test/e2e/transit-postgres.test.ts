/*
 * The PostgreSQL store against a real PostgreSQL (a throwaway server from Debian's package, see
 * test/helpers/postgres.ts): the store contract, authenticated records, schema migration, and three
 * `qsign transit serve` replicas on one database, one of them killed with SIGKILL mid-burst.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import {
  Keyring,
  masterKeyFromBytes,
  TransitClient,
  TransitErrorCodes as C,
  type TransitStore,
} from '../../src/transit/index.js';
import { openPostgresStore, POSTGRES_SCHEMA_VERSION } from '../../src/transit/node/postgres.js';
import { slh_dsa_sha2_128f } from '@noble/post-quantum/slh-dsa.js';
import { startPostgres, type ThrowawayPostgres } from '../helpers/postgres.js';
import { bundleCli, repoRoot, startTransitServer, stopProcess } from '../helpers/transit-cli.js';

const te = new TextEncoder();
const td = new TextDecoder();
const MASTER = Buffer.alloc(32, 9).toString('base64');
const TOKEN = 'pg-replica-root-token';
let server: ThrowawayPostgres;
let dir: string;
let cli: string;
const children: ChildProcess[] = [];
const stores: TransitStore[] = [];

/** A fresh database on the throwaway server, so each test starts empty. */
async function freshDb(name: string): Promise<string> {
  const c = new pg.Client({ connectionString: server.url });
  await c.connect();
  try {
    await c.query(`CREATE DATABASE ${name}`);
  } finally {
    await c.end();
  }
  return server.url.replace(/\/postgres$/, `/${name}`);
}

async function open(url: string): Promise<TransitStore> {
  const s = await openPostgresStore(url, { poolSize: 4 });
  stores.push(s);
  return s;
}

async function sql(url: string, text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await c.query(text, values);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  server = await startPostgres();
  mkdirSync(join(repoRoot, 'node_modules', '.cache'), { recursive: true });
  // Under node_modules so the bundle resolves pg and better-sqlite3.
  dir = mkdtempSync(join(repoRoot, 'node_modules', '.cache', 'qsign-transit-pg-'));
  cli = join(dir, 'qsign-cli.mjs');
  await bundleCli(cli);
}, 300_000);

afterAll(async () => {
  await Promise.all(children.map((c) => stopProcess(c, 'SIGKILL')));
  await Promise.all(stores.map((s) => s.close?.()));
  server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe('PostgreSQL store', () => {
  it('store contract: compare-and-swap put/delete, one winner per revision, byte-ordered list', async () => {
    const s = await open(await freshDb('contract'));
    expect(await s.get('a')).toBe(undefined);
    expect(await s.put('b', 'B1', undefined)).toBe(1);
    expect(await s.put('a', 'A1', undefined)).toBe(1);
    expect(await s.put('Z', 'Z1', undefined)).toBe(1);
    expect(await s.put('a', 'A2', undefined)).toBe(undefined);
    expect(await s.put('a', 'A2', 2)).toBe(undefined);
    expect(await s.put('a', 'A2', 1)).toBe(2);
    expect(await s.get('a')).toEqual({ json: 'A2', revision: 2 });
    expect(await s.list()).toEqual(['Z', 'a', 'b']);
    expect(await s.delete('a', 1)).toBe(false);
    expect(await s.delete('a', 2)).toBe(true);
    expect(await s.list()).toEqual(['Z', 'b']);
    // Ten writers on revision 1 through separate connections: exactly one wins.
    await s.put('k', 'v0', undefined);
    const wins = await Promise.all(Array.from({ length: 10 }, (_, i) => s.put('k', `v${i + 1}`, 1)));
    expect(wins.filter((w) => w === 2)).toHaveLength(1);
    expect((await s.get('k'))!.revision).toBe(2);
  });

  it('schema: version table written once by replicas opening together; a newer schema is refused', async () => {
    const url = await freshDb('schema');
    await Promise.all([open(url), open(url), open(url)]);
    const rows = (await sql(url, 'SELECT version FROM qsign_transit_schema')).rows;
    expect(rows).toEqual([{ version: POSTGRES_SCHEMA_VERSION }]);
    await sql(url, 'INSERT INTO qsign_transit_schema (version) VALUES ($1)', [POSTGRES_SCHEMA_VERSION + 1]);
    await expect(openPostgresStore(url)).rejects.toMatchObject({ code: C.STORAGE, message: /newer than this qsign/ });
  });

  it('unreachable database: ERR_TRANSIT_STORAGE naming the address without its password', async () => {
    const e = await openPostgresStore(`postgres://qsign:hunter2@127.0.0.1:1/x`, { connectTimeoutMs: 5000 }).catch(
      (x: unknown) => x,
    );
    expect(e).toMatchObject({ code: C.STORAGE });
    expect(String((e as Error).message)).toContain('127.0.0.1:1');
    expect(String((e as Error).message)).not.toContain('hunter2');
  });

  it('records are authenticated: a row changed in the database is ERR_TRANSIT_RECORD_TAMPERED, not used', async () => {
    const url = await freshDb('tamper');
    const keyring = new Keyring({
      store: await open(url),
      masterKey: await masterKeyFromBytes(new Uint8Array(32).fill(5)),
    });
    await keyring.createKey('k');
    const row = (await sql(url, "SELECT record FROM qsign_transit_keys WHERE name = 'k'")).rows[0]!;
    const doc = JSON.parse(row.record as string);
    expect(doc).toMatchObject({ format: 2, record: { name: 'k' } });
    doc.record.min_decryption_version = 1;
    doc.record.exportable = true;
    await sql(url, "UPDATE qsign_transit_keys SET record = $1 WHERE name = 'k'", [JSON.stringify(doc)]);
    await expect(keyring.encrypt('k', te.encode('x'))).rejects.toMatchObject({ code: C.RECORD_TAMPERED });
  });
});

describe('SLH-DSA keys on PostgreSQL', () => {
  it('a record round-trips between keyrings on separate pools; a changed type or public key is ERR_TRANSIT_RECORD_TAMPERED', async () => {
    const url = await freshDb('slhrecords');
    const masterKey = await masterKeyFromBytes(new Uint8Array(32).fill(6));
    const a = new Keyring({ store: await open(url), masterKey });
    const b = new Keyring({ store: await open(url), masterKey });
    await a.createKey('doc', { type: 'slh-dsa-shake-192f' });
    const m = te.encode('m');
    const { signature } = await a.sign('doc', m, { context: te.encode('c') });
    expect(await b.verify('doc', m, signature, { context: te.encode('c') })).toBe(true);
    const row = (await sql(url, "SELECT record FROM qsign_transit_keys WHERE name = 'doc'")).rows[0]!;
    const doc = JSON.parse(row.record as string);
    expect(doc).toMatchObject({ format: 2, record: { type: 'slh-dsa-shake-192f' } });
    for (const change of [
      (d: typeof doc) => (d.record.type = 'slh-dsa-shake-192s'),
      (d: typeof doc) =>
        (d.record.versions['1'].public_key = d.record.versions['1'].public_key.replace(/^./, (ch: string) =>
          ch === 'A' ? 'B' : 'A',
        )),
    ]) {
      const t = structuredClone(doc);
      change(t);
      await sql(url, "UPDATE qsign_transit_keys SET record = $1 WHERE name = 'doc'", [JSON.stringify(t)]);
      await expect(b.verify('doc', m, signature, { context: te.encode('c') })).rejects.toMatchObject({
        code: C.RECORD_TAMPERED,
      });
      await expect(b.sign('doc', m)).rejects.toMatchObject({ code: C.RECORD_TAMPERED });
    }
    await sql(url, "UPDATE qsign_transit_keys SET record = $1 WHERE name = 'doc'", [row.record]);
    expect(await b.verify('doc', m, signature, { context: te.encode('c') })).toBe(true);
  }, 120_000);

  it('two qsign transit serve replicas: created and signed on one, rotated and verified on the other; noble verifies', async () => {
    const url = await freshDb('slhreplicas');
    const env = { QSIGN_MASTER_KEY: MASTER, QSIGN_TRANSIT_TOKEN: TOKEN };
    const replicas = await Promise.all(
      [0, 1].map(async () => {
        const s = await startTransitServer(cli, ['--store', url], { env, cwd: dir, startTimeoutMs: 120_000 });
        children.push(s.proc);
        return s;
      }),
    );
    const [c0, c1] = replicas.map((r) => new TransitClient({ address: r.url, token: TOKEN }));
    await c0!.createKey('fw', { type: 'slh-dsa-sha2-128f' });
    const msg = te.encode('release 1');
    const s1 = await c0!.sign('fw', msg, { context: te.encode('fw') });
    expect(await c1!.verify('fw', msg, s1.signature, { context: te.encode('fw') })).toBe(true);
    expect((await c1!.rotateKey('fw')).latest_version).toBe(2);
    const s2 = await c0!.sign('fw', msg);
    expect(s2.signature.startsWith('vault:v2:')).toBe(true);
    const pk2 = Buffer.from((await c1!.exportPublicKeys('fw', 2)).keys['2']!, 'base64');
    const raw = Buffer.from(s2.signature.slice('vault:v2:'.length), 'base64');
    expect(raw.length).toBe(17_088);
    expect(slh_dsa_sha2_128f.verify(raw, msg, pk2)).toBe(true);
    await c0!.configKey('fw', { min_decryption_version: 2 });
    await expect(c1!.verify('fw', msg, s1.signature, { context: te.encode('fw') })).rejects.toMatchObject({
      code: C.VERSION_DISALLOWED,
    });
    await Promise.all(replicas.map((r) => stopProcess(r.proc)));
  }, 300_000);
});

describe('three qsign transit serve replicas on one PostgreSQL database', () => {
  const env = { QSIGN_MASTER_KEY: MASTER, QSIGN_TRANSIT_TOKEN: TOKEN };
  let url: string;
  const start = async () => {
    const s = await startTransitServer(cli, ['--store', url], { env, cwd: dir, startTimeoutMs: 120_000 });
    children.push(s.proc);
    return s;
  };
  const clientOf = (address: string) => new TransitClient({ address, token: TOKEN });
  /** Every acknowledged ciphertext, with its plaintext. */
  const acked: { pt: string; ct: string }[] = [];

  /** Decrypts every acknowledged ciphertext on one replica with one batch request. */
  async function decryptAllOn(address: string): Promise<void> {
    const r = await clientOf(address).batch(
      'decrypt',
      'shared',
      acked.map((a) => ({ ciphertext: a.ct })),
    );
    expect(r.status).toBe('ok');
    expect(r.results.map((x) => td.decode(Buffer.from(String(x.plaintext), 'base64')))).toEqual(acked.map((a) => a.pt));
  }

  it('150 concurrent encrypts and 15 rotations across replicas: latest_version 16 everywhere, all decrypt everywhere', async () => {
    url = await freshDb('replicas');
    const replicas = await Promise.all([start(), start(), start()]);
    const clients = replicas.map((r) => clientOf(r.url));
    await clients[0]!.createKey('shared');
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 150; i++) {
      const pt = `message ${i}`;
      work.push(clients[i % 3]!.encrypt('shared', te.encode(pt)).then((r) => acked.push({ pt, ct: r.ciphertext })));
      // A rotation every tenth encrypt, on another replica than that encrypt.
      if (i % 10 === 5) work.push(clients[(i + 1) % 3]!.rotateKey('shared'));
    }
    await Promise.all(work);
    expect(acked).toHaveLength(150);
    for (const c of clients) expect((await c.readKey('shared')).latest_version).toBe(16);
    // One key per version: all replicas export the same 16 distinct public keys.
    const exported = await Promise.all(clients.map((c) => c.exportPublicKeys('shared')));
    expect(Object.keys(exported[0]!.keys)).toHaveLength(16);
    expect(new Set(Object.values(exported[0]!.keys)).size).toBe(16);
    expect(exported[1]).toEqual(exported[0]);
    expect(exported[2]).toEqual(exported[0]);
    // A rotation on one replica is used by the next request on another (the store caches nothing).
    await clients[0]!.rotateKey('shared');
    const next = await clients[1]!.encrypt('shared', te.encode('after 17'));
    expect(next.ciphertext.startsWith('vault:v17:')).toBe(true);
    acked.push({ pt: 'after 17', ct: next.ciphertext });
    for (const r of replicas) await decryptAllOn(r.url);
    await Promise.all(replicas.map((r) => stopProcess(r.proc)));
  }, 600_000);

  it('one replica killed with SIGKILL mid-burst loses nothing acknowledged; restarted, it serves it all', async () => {
    const replicas = await Promise.all([start(), start(), start()]);
    const clients = replicas.map((r) => clientOf(r.url));
    const before = (await clients[0]!.readKey('shared')).latest_version;
    let ackedRotations = 0;
    let attemptedRotations = 0;
    let victimKilled = false;
    const victim = replicas[2]!;
    // The victim is killed once it has acknowledged 4 rotations; the burst runs on all three until then and on
    // the survivors after. Requests the victim did not answer are not acknowledged and are not counted.
    const burst = async (c: TransitClient, isVictim: boolean) => {
      for (let i = 0; i < 12; i++) {
        attemptedRotations++;
        try {
          await c.rotateKey('shared');
          ackedRotations++;
          if (isVictim && i === 3) {
            victimKilled = true;
            victim.proc.kill('SIGKILL');
          }
        } catch (e) {
          if (!isVictim || !victimKilled) throw e;
          return;
        }
        const pt = `burst ${isVictim ? 'victim' : 'survivor'} ${i} ${Math.random()}`;
        const work = Array.from({ length: 4 }, async (_, j) => {
          try {
            const r = await c.encrypt('shared', te.encode(`${pt} ${j}`));
            acked.push({ pt: `${pt} ${j}`, ct: r.ciphertext });
          } catch (e) {
            if (!isVictim || !victimKilled) throw e;
          }
        });
        await Promise.all(work);
      }
    };
    await Promise.all([burst(clients[0]!, false), burst(clients[1]!, false), burst(clients[2]!, true)]);
    expect(victimKilled).toBe(true);
    await stopProcess(victim.proc, 'SIGKILL');
    expect(victim.proc.signalCode).toBe('SIGKILL');
    const latest = (await clients[0]!.readKey('shared')).latest_version;
    // Every acknowledged rotation is kept; an unacknowledged one in flight at the kill may or may not be.
    expect(latest).toBeGreaterThanOrEqual(before + ackedRotations);
    expect(latest).toBeLessThanOrEqual(before + attemptedRotations);
    expect((await clients[1]!.readKey('shared')).latest_version).toBe(latest);
    await decryptAllOn(replicas[0]!.url);
    await decryptAllOn(replicas[1]!.url);
    const restarted = await start();
    expect((await clientOf(restarted.url).readKey('shared')).latest_version).toBe(latest);
    await decryptAllOn(restarted.url);
    await Promise.all([replicas[0]!, replicas[1]!, restarted].map((r) => stopProcess(r.proc)));
  }, 600_000);

  it('--store is validated and a PostgreSQL server never generates its own master key', async () => {
    const fail = (args: string[], e: Record<string, string>) =>
      startTransitServer(cli, args, { env: e, cwd: dir }).then(
        () => 'started',
        (x: Error) => x.message,
      );
    expect(await fail(['--store', 'mysql://x'], env)).toMatch(/--store must be postgres/);
    expect(await fail(['--store', url, '--db', 'x.db'], env)).toMatch(/not both/);
    expect(await fail(['--store', url], { QSIGN_TRANSIT_TOKEN: TOKEN, QSIGN_MASTER_KEY: '' })).toMatch(
      /master key every replica shares/,
    );
  }, 120_000);
});
