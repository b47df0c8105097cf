/*
 * Node-only transit tests: the SQLite store, the node:http adapter, the CLI
 * server as real processes (two on one SQLite file), and kill -9 crash
 * recovery. Child processes run an esbuild bundle of the TypeScript sources.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Keyring,
  openSqliteStore,
  masterKeyFromBytes,
  createTransitHandler,
  TransitClient,
  AuditLog,
  TransitErrorCodes as C,
} from '../../src/transit/index.js';
import { serveNode } from '../../src/transit/node/server.js';
import { slh_dsa_sha2_128s } from '@noble/post-quantum/slh-dsa.js';
import { fileAuditSink } from '../../src/transit/node/audit-file.js';
import { transitCommands } from '../../src/cli/commands/transit.js';
import { parseCommandArgs } from '../../src/cli/command.js';
import { QsignError } from '../../src/errors.js';
import { bundleCli, bundleForNode, startTransitServer, stopProcess } from '../helpers/transit-cli.js';

/** Runs a transit CLI command in-process (spawning node per command is slow on a busy machine). */
async function cliIn(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  let stdout = '',
    stderr = '';
  try {
    const c = transitCommands
      .filter((c) => c.path.every((w, i) => args[i] === w))
      .sort((a, b) => b.path.length - a.path.length)[0]!;
    const code = await c.run(parseCommandArgs(c, args.slice(c.path.length)), {
      out: (s) => {
        stdout += s + '\n';
      },
      err: (s) => {
        stderr += s + '\n';
      },
    });
    return { code, stdout, stderr };
  } catch (e) {
    if (!(e instanceof QsignError)) throw e;
    return { code: e.code === 'ERR_USAGE' ? 2 : 1, stdout, stderr: stderr + `qsign: ${e.code}: ${e.message}\n` };
  } finally {
    for (const k of Object.keys(env)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

const root = fileURLToPath(new URL('../..', import.meta.url));
const te = new TextEncoder();
const td = new TextDecoder();
const MASTER = Buffer.alloc(32, 7).toString('base64');
const TOKEN = 'node-test-root-token-123';
let dir: string;
let cli: string;
let worker: string;
const children: ChildProcess[] = [];

function run(
  args: string[],
  env: Record<string, string> = {},
  input?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, cwd: dir });
    let stdout = '',
      stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    if (input !== undefined) p.stdin.end(input);
    else p.stdin.end();
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts `qsign transit serve` and resolves with its URL (and the printed root token in --dev). */
async function startServer(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ url: string; proc: ChildProcess; out: string }> {
  const s = await startTransitServer(cli, args, { env, cwd: dir, startTimeoutMs: 20_000 });
  children.push(s.proc);
  return s;
}

const stop = stopProcess;

beforeAll(async () => {
  // Under the repo so the bundles resolve better-sqlite3 from node_modules.
  mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
  dir = mkdtempSync(join(root, 'node_modules', '.cache', 'qsign-transit-'));
  cli = join(dir, 'qsign-cli.mjs');
  worker = join(dir, 'crash-worker.mjs');
  await bundleCli(cli);
  await bundleForNode(
    `
    import { Keyring, openSqliteStore, masterKeyFromBytes } from './src/transit/index.ts';
    import { appendFileSync } from 'node:fs';
    const [db, log, startAt] = process.argv.slice(2);
    const keyring = new Keyring({ store: await openSqliteStore(db), masterKey: await masterKeyFromBytes(new Uint8Array(32).fill(7)) });
    for (let i = Number(startAt); ; i++) {
      const info = await keyring.rotateKey('crash');
      appendFileSync(log, 'rotated ' + info.latest_version + '\\n');
      const pt = 'payload ' + i;
      const { ciphertext } = await keyring.encrypt('crash', new TextEncoder().encode(pt));
      appendFileSync(log, 'ct ' + pt + ' ' + ciphertext + '\\n');
    }
  `,
    worker,
  );
}, 60_000);

afterAll(async () => {
  await Promise.all(children.map((c) => stop(c, 'SIGKILL')));
  rmSync(dir, { recursive: true, force: true });
});

describe('transit on Node: SQLite store', () => {
  it('compare-and-swap semantics and persistence across reopen', async () => {
    const path = join(dir, 'cas.db');
    const store = await openSqliteStore(path);
    expect(await store.put('a', '{"x":1}', undefined)).toBe(1);
    expect(await store.put('a', '{"x":2}', undefined)).toBe(undefined);
    expect(await store.put('a', '{"x":2}', 1)).toBe(2);
    expect(await store.put('a', '{"x":3}', 1)).toBe(undefined);
    expect((await store.get('a'))!.json).toBe('{"x":2}');
    expect(await store.delete('a', 1)).toBe(false);
    expect(await store.delete('a', 2)).toBe(true);
    expect(await store.get('a')).toBe(undefined);
    const masterKey = await masterKeyFromBytes(new Uint8Array(32).fill(3));
    const seeds: Uint8Array[] = [];
    const random = (n: number) => {
      const b = new Uint8Array(n).map((_, i) => (i * 29 + 11) & 0xff);
      seeds.push(b.slice());
      return b;
    };
    const k1 = new Keyring({ store, masterKey, random });
    await k1.createKey('persist', { type: 'xwing' });
    const ct = (await k1.encrypt('persist', te.encode('survives'))).ciphertext;
    await store.close!();
    const k2 = new Keyring({ store: await openSqliteStore(path), masterKey });
    expect(td.decode((await k2.decrypt('persist', ct)).plaintext)).toBe('survives');
    expect(await k2.listKeys()).toEqual(['persist']);
    // The file holds no private seed in the clear: the row has only the sealed form.
    const raw =
      readFileSync(path).toString('latin1') +
      (existsSync(path + '-wal') ? readFileSync(path + '-wal').toString('latin1') : '');
    expect(raw.includes('"public_key"')).toBe(true);
    expect(raw.includes(Buffer.from(seeds[0]!).toString('base64').slice(0, 20))).toBe(false);
    expect(raw.includes(Buffer.from(seeds[0]!).toString('latin1'))).toBe(false);
  });

  it('node:http adapter serves the handler; file audit log is JSON lines with no plaintext', async () => {
    const auditPath = join(dir, 'audit.log');
    const sink = fileAuditSink(auditPath);
    const keyring = new Keyring({
      store: await openSqliteStore(join(dir, 'http.db')),
      masterKey: await masterKeyFromBytes(new Uint8Array(32).fill(4)),
    });
    const srv = await serveNode(
      createTransitHandler({
        keyring,
        auth: { tokens: [{ token: TOKEN, policies: ['root'] }] },
        audit: new AuditLog(sink),
        limits: { maxBodyBytes: 1 << 20 },
      }),
      { port: 0 },
    );
    try {
      const client = new TransitClient({ address: srv.url, token: TOKEN });
      await client.createKey('web');
      const { ciphertext } = await client.encrypt('web', te.encode('over-real-http-SECRET'));
      expect(td.decode((await client.decrypt('web', ciphertext)).plaintext)).toBe('over-real-http-SECRET');
      const big = await fetch(`${srv.url}/v1/oqs-transit/encrypt/web`, {
        method: 'POST',
        headers: { 'x-vault-token': TOKEN },
        body: JSON.stringify({ plaintext: Buffer.alloc(2 << 20).toString('base64') }),
      });
      expect(big.status).toBe(507);
      expect(await big.json()).toEqual({ errors: ['insufficient resources'] });
      const none = await fetch(`${srv.url}/v1/oqs-transit/keys/web`);
      expect(none.status).toBe(403);
      expect((await (await fetch(`${srv.url}/v1/sys/health`)).json()).sealed).toBe(false);
    } finally {
      await srv.close();
      sink.close();
    }
    const lines = readFileSync(auditPath, 'utf8').trim().split('\n');
    expect(lines.length).toBe(12);
    lines.forEach((l) => JSON.parse(l));
    const log = lines.join('\n');
    expect(log.includes('over-real-http-SECRET')).toBe(false);
    expect(log.includes(Buffer.from('over-real-http-SECRET').toString('base64'))).toBe(false);
    expect(log.includes(TOKEN)).toBe(false);
    expect((statSync(auditPath).mode & 0o777).toString(8)).toBe('600');
  });
});

describe('transit CLI and server processes', () => {
  it('--dev prints a root token; client commands create/encrypt/decrypt/rotate/sign/verify work against it', async () => {
    const { url, proc, out } = await startServer(['--dev']);
    const token = /root token: (\S+)/.exec(out)![1]!;
    const env = { QSIGN_TRANSIT_TOKEN: token };
    const a = ['--addr', url];
    const client = new TransitClient({ address: url, token });
    expect((await cliIn(['transit', 'create', 'cli-key', '--type', 'kyber768', ...a], env)).stdout).toMatch(
      /"type":"ml-kem-768"/,
    );
    const enc = await cliIn(
      ['transit', 'encrypt', 'cli-key', '--plaintext', 'from the cli', '--aad', 'ctx', ...a],
      env,
    );
    expect(enc.code).toBe(0);
    const ct = enc.stdout.trim();
    expect(ct).toMatch(/^vault:v1:/);
    expect((await run(['transit', 'decrypt', 'cli-key', ct, '--aad', 'ctx', ...a], env)).stdout).toBe('from the cli');
    const bad = await cliIn(['transit', 'decrypt', 'cli-key', ct, ...a], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/ERR_TRANSIT_DECRYPTION_FAILED: decryption failed/);
    expect((await cliIn(['transit', 'rotate', 'cli-key', ...a], env)).stdout).toMatch(/"latest_version":2/);
    expect((await client.encrypt('cli-key', te.encode('x'))).keyVersion).toBe(2);
    await client.createKey('cli-sig', { type: 'ml-dsa-65' });
    const sig = (await run(['transit', 'sign', 'cli-sig', '--file', '-', ...a], env, 'doc')).stdout.trim();
    expect(sig).toMatch(/^vault:v1:/);
    expect(await client.verify('cli-sig', te.encode('doc'), sig)).toBe(true);
    const inv = await cliIn(['transit', 'verify', 'cli-sig', sig, '--input', 'dox', ...a], env);
    expect([inv.code, inv.stdout.trim()]).toEqual([1, 'invalid']);
    const missing = await cliIn(['transit', 'encrypt', 'nonexistent-key', '--plaintext', 'x', ...a], env);
    expect(missing.stderr).toMatch(new RegExp(`${C.KEY_NOT_FOUND}: encryption key not found`));
    await stop(proc);
  });

  it('SLH-DSA on the real server with SQLite: CLI create/sign/verify with --context, noble verifies, restart, a changed row is refused', async () => {
    const db = join(dir, 'slh.db');
    const env = { QSIGN_TRANSIT_TOKEN: TOKEN, QSIGN_MASTER_KEY: MASTER };
    let s = await startServer(['--db', db], env);
    let a = ['--addr', s.url];
    const created = await cliIn(['transit', 'create', 'fw', '--type', 'slh-dsa-sha2-128s', ...a], env);
    expect(created.stderr).toBe('');
    expect(created.stdout).toMatch(/"type":"slh-dsa-sha2-128s"/);
    const signed = await cliIn(['transit', 'sign', 'fw', '--input', 'image', '--context', 'fw-v1', ...a], env);
    const sig = signed.stdout.trim();
    expect(sig).toMatch(/^vault:v1:/);
    const raw = Buffer.from(sig.slice('vault:v1:'.length), 'base64');
    expect(raw.length).toBe(7856);
    let client = new TransitClient({ address: s.url, token: TOKEN });
    const pk = Buffer.from((await client.exportPublicKeys('fw', 1)).keys['1']!, 'base64');
    expect(slh_dsa_sha2_128s.verify(raw, te.encode('image'), pk, { context: te.encode('fw-v1') })).toBe(true);
    const ok = await cliIn(['transit', 'verify', 'fw', sig, '--input', 'image', '--context', 'fw-v1', ...a], env);
    expect([ok.code, ok.stdout.trim()]).toEqual([0, 'valid']);
    const noCtx = await cliIn(['transit', 'verify', 'fw', sig, '--input', 'image', ...a], env);
    expect([noCtx.code, noCtx.stdout.trim()]).toEqual([1, 'invalid']);
    await stop(s.proc);
    // The record is in the SQLite file, authenticated: a restarted server verifies; a changed row is never used.
    s = await startServer(['--db', db], env);
    a = ['--addr', s.url];
    client = new TransitClient({ address: s.url, token: TOKEN });
    expect(await client.verify('fw', te.encode('image'), sig, { context: te.encode('fw-v1') })).toBe(true);
    await stop(s.proc);
    const store = await openSqliteStore(db);
    const row = (await store.get('fw'))!;
    const doc = JSON.parse(row.json);
    expect(doc).toMatchObject({ format: 2, record: { type: 'slh-dsa-sha2-128s' } });
    // Another PK.root (the last 16 bytes): the key a signature forger would swap in.
    const swapped = Buffer.from(pk);
    swapped[31]! ^= 1;
    doc.record.versions['1'].public_key = swapped.toString('base64');
    expect(await store.put('fw', JSON.stringify(doc), row.revision)).toBe(row.revision + 1);
    await store.close?.();
    s = await startServer(['--db', db], env);
    client = new TransitClient({ address: s.url, token: TOKEN });
    await expect(client.verify('fw', te.encode('image'), sig, { context: te.encode('fw-v1') })).rejects.toMatchObject({
      code: C.RECORD_TAMPERED,
    });
    await stop(s.proc);
  }, 300_000);

  it('serve refuses to start without a token; creates the master key file 0600 and reuses it', async () => {
    const db = join(dir, 'keyfile.db');
    const noTok = await cliIn(['transit', 'serve', '--db', db, '--listen', '127.0.0.1:0'], {
      QSIGN_TRANSIT_TOKEN: '',
      QSIGN_MASTER_KEY: '',
    });
    expect(noTok.code).toBe(2);
    const tokenFile = join(dir, 'token.txt');
    writeFileSync(tokenFile, TOKEN + '\n', { mode: 0o600 });
    const env = { QSIGN_TRANSIT_TOKEN: '', QSIGN_MASTER_KEY: '' };
    let s = await startServer(['--db', db, '--token-file', tokenFile], env);
    expect((statSync(db + '.key').mode & 0o777).toString(8)).toBe('600');
    let client = new TransitClient({ address: s.url, token: TOKEN });
    await client.createKey('kf');
    const { ciphertext } = await client.encrypt('kf', te.encode('after restart'));
    await stop(s.proc);
    s = await startServer(['--db', db, '--token-file', tokenFile], env);
    client = new TransitClient({ address: s.url, token: TOKEN });
    expect(td.decode((await client.decrypt('kf', ciphertext)).plaintext)).toBe('after restart');
    await stop(s.proc);
    // The wrong master key cannot even authenticate the records: a 500 naming the integrity check, never plaintext.
    s = await startServer(['--db', db, '--token-file', tokenFile], {
      ...env,
      QSIGN_MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
    });
    const r = await fetch(`${s.url}/v1/oqs-transit/decrypt/kf`, {
      method: 'POST',
      headers: { 'x-vault-token': TOKEN },
      body: JSON.stringify({ ciphertext }),
    });
    expect(r.status).toBe(500);
    expect(await r.json()).toEqual({ errors: ['key record failed its integrity check'] });
    await stop(s.proc);
  });

  it('two server processes on one SQLite file stay consistent under concurrent rotate and encrypt', async () => {
    const db = join(dir, 'shared.db');
    const env = { QSIGN_TRANSIT_TOKEN: TOKEN, QSIGN_MASTER_KEY: MASTER };
    const [a, b] = await Promise.all([startServer(['--db', db], env), startServer(['--db', db], env)]);
    const ca = new TransitClient({ address: a.url, token: TOKEN });
    const cb = new TransitClient({ address: b.url, token: TOKEN });
    await ca.createKey('shared');
    // B rotates; A must encrypt with the new version at once.
    await cb.rotateKey('shared');
    expect((await ca.encrypt('shared', te.encode('x'))).keyVersion).toBe(2);
    const ops: Promise<unknown>[] = [];
    const cts: Promise<{ ciphertext: string; i: number }>[] = [];
    for (let i = 0; i < 10; i++) ops.push((i % 2 ? ca : cb).rotateKey('shared'));
    for (let i = 0; i < 100; i++)
      cts.push((i % 2 ? cb : ca).encrypt('shared', te.encode(`m${i}`)).then((r) => ({ ciphertext: r.ciphertext, i })));
    await Promise.all(ops);
    const results = await Promise.all(cts);
    const info = await cb.readKey('shared');
    expect(info.latest_version).toBe(12);
    expect(Object.keys(info.keys).map(Number)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(JSON.stringify(await ca.readKey('shared'))).toBe(JSON.stringify(info));
    const plain = await Promise.all(
      results.map(({ ciphertext, i }) =>
        (i % 2 ? ca : cb).decrypt('shared', ciphertext).then((r) => [td.decode(r.plaintext), `m${i}`]),
      ),
    );
    for (const [got, want] of plain) expect(got).toBe(want);
    await Promise.all([stop(a.proc), stop(b.proc)]);
  });

  it('kill -9 during rotations and writes loses nothing: keyring loads, every ciphertext decrypts', async () => {
    const db = join(dir, 'crash.db');
    const log = join(dir, 'crash.log');
    const masterKey = await masterKeyFromBytes(new Uint8Array(32).fill(7));
    const seedStore = await openSqliteStore(db);
    await new Keyring({ store: seedStore, masterKey }).createKey('crash');
    await seedStore.close!();
    writeFileSync(log, '');
    for (let round = 0; round < 3; round++) {
      const p = spawn(process.execPath, [worker, db, log, String(round * 100000)], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      children.push(p);
      let err = '';
      p.stderr!.on('data', (d) => (err += d));
      const startLines = readFileSync(log, 'utf8').split('\n').length;
      // Let it get going, then kill it at an arbitrary point mid-loop.
      for (let t = 0; t < 200 && readFileSync(log, 'utf8').split('\n').length < startLines + 6; t++)
        await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 37 + round * 23));
      await stop(p, 'SIGKILL');
      expect(err).toBe('');
    }
    const store = await openSqliteStore(db);
    const keyring = new Keyring({ store, masterKey });
    const info = await keyring.readKey('crash');
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    const rotations = lines.filter((l) => l.startsWith('rotated ')).map((l) => Number(l.split(' ')[1]));
    const cts = lines.filter((l) => l.startsWith('ct '));
    expect(rotations.length).toBeGreaterThan(6);
    expect(cts.length).toBeGreaterThan(5);
    // Every acknowledged rotation is in the store (a killed, unacknowledged one may or may not be).
    expect(info.latest_version).toBeGreaterThanOrEqual(Math.max(...rotations));
    expect(info.latest_version).toBeLessThanOrEqual(Math.max(...rotations) + 3);
    expect(Object.keys(info.keys).length).toBe(info.latest_version);
    for (const l of cts) {
      const [, , n, ct] = l.split(' ');
      expect(td.decode((await keyring.decrypt('crash', ct!)).plaintext)).toBe(`payload ${n}`);
    }
    // And the keyring keeps working after the crashes.
    expect((await keyring.rotateKey('crash')).latest_version).toBe(info.latest_version + 1);
    await store.close!();
  });
});
