/*
 * examples/edge-transit in real workerd: the Worker forwards to a Durable
 * Object whose keyring stores into Durable Object storage (in memory here).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TransitClient, TransitErrorCodes as C } from '../../src/transit/index.js';
// @ts-expect-error plain .mjs build script without types
import { bundleEdgeTransit } from '../../examples/edge-transit/build.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const TOKEN = 'workerd-root-token-42';
const te = new TextEncoder();
let dir: string;
let proc: ChildProcess | undefined;
let url: string;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

beforeAll(async () => {
  mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
  dir = mkdtempSync(join(root, 'node_modules', '.cache', 'qsign-transit-workerd-'));
  await bundleEdgeTransit(dir);
  const port = await freePort();
  writeFileSync(
    join(dir, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .transit) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const transit :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "qsign-simd.wasm", wasm = embed "qsign-simd.wasm"),
    (name = "qsign-scalar.wasm", wasm = embed "qsign-scalar.wasm"),
    (name = "qsign-slhdsa-simd.wasm", wasm = embed "qsign-slhdsa-simd.wasm"),
    (name = "qsign-slhdsa-scalar.wasm", wasm = embed "qsign-slhdsa-scalar.wasm"),
  ],
  compatibilityDate = "2025-06-01",
  bindings = [
    (name = "TRANSIT", durableObjectNamespace = "TransitObject"),
    (name = "QSIGN_MASTER_KEY", text = "${Buffer.alloc(32, 5).toString('base64')}"),
    (name = "QSIGN_TRANSIT_TOKEN", text = "${TOKEN}"),
  ],
  durableObjectNamespaces = [ (className = "TransitObject", uniqueKey = "qsign-transit-test") ],
  durableObjectStorage = (inMemory = void),
);
`,
  );
  proc = spawn(join(root, 'node_modules/.bin/workerd'), ['serve', join(dir, 'config.capnp'), 'config'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      await fetch(`${url}/v1/sys/health`);
      break;
    } catch {
      if (i > 300 || proc.exitCode !== null) throw new Error(`workerd did not start: ${err}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}, 90_000);

afterAll(async () => {
  if (proc && proc.exitCode === null) {
    const p = proc;
    await new Promise<void>((r) => {
      p.once('exit', () => r());
      p.kill('SIGKILL');
    });
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('edge-transit in workerd (Durable Object store)', () => {
  it('create → encrypt → decrypt → rotate → rewrap → sign/verify; 403 and 404 as in Node', async () => {
    const client = new TransitClient({ address: url, token: TOKEN });
    expect((await client.createKey('edge', { type: 'xwing' })).type).toBe('xwing');
    const { ciphertext } = await client.encrypt('edge', te.encode('at the edge'));
    expect(ciphertext).toMatch(/^vault:v1:/);
    expect(new TextDecoder().decode((await client.decrypt('edge', ciphertext)).plaintext)).toBe('at the edge');
    expect((await client.rotateKey('edge')).latest_version).toBe(2);
    const rw = await client.rewrap('edge', ciphertext);
    expect(rw.keyVersion).toBe(2);
    await client.configKey('edge', { min_decryption_version: 2 });
    expect(
      await client.decrypt('edge', ciphertext).then(
        () => 'ok',
        (e) => e.code,
      ),
    ).toBe(C.VERSION_DISALLOWED);
    await client.createKey('edge-sig', { type: 'ml-dsa-44' });
    const s = await client.sign('edge-sig', te.encode('m'));
    expect(await client.verify('edge-sig', te.encode('m'), s.signature)).toBe(true);
    expect(await client.listKeys()).toEqual(['edge', 'edge-sig']);
    const parallel = await Promise.all(
      Array.from({ length: 20 }, (_, i) => client.encrypt('edge', te.encode(`p${i}`))),
    );
    const back = await Promise.all(parallel.map((p) => client.decrypt('edge', p.ciphertext)));
    back.forEach((b, i) => expect(new TextDecoder().decode(b.plaintext)).toBe(`p${i}`));
    const denied = await fetch(`${url}/v1/oqs-transit/keys/edge`);
    expect(denied.status).toBe(403);
    const missing = await fetch(`${url}/v1/oqs-transit/encrypt/nope`, {
      method: 'POST',
      headers: { 'x-vault-token': TOKEN },
      body: '{"plaintext":"eA=="}',
    });
    expect([missing.status, await missing.json()]).toEqual([404, { errors: ['encryption key not found'] }]);
  });
});
