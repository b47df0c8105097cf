/**
 * Starts and stops examples/demo/server.mjs as a child process (the way
 * `npm start` runs it) on a free port with its own data dir, and reads the
 * URL and admin token from its start-up banner.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SERVER = join(root, 'examples/demo/server.mjs');
export const USERS = { alice: 'alice-pqc-demo', bob: 'bob-pqc-demo' };

export function tempDataDir(tag) {
  return mkdtempSync(join(tmpdir(), `qsign-e2e-${tag}-`));
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true });
}

/** Spawns the demo server (or `command`); resolves with { url, adminToken, stop() } once the banner is printed. */
export function startServer(
  dataDir,
  {
    timeoutMs = 60_000,
    port = 0,
    command = [process.execPath, SERVER, '--data', dataDir],
    readyWhen = 'documents:',
    env = {},
  } = {},
) {
  const child = spawn(command[0], command.slice(1), {
    cwd: root,
    env: { ...process.env, PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    err += d;
  });
  const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start in ${timeoutMs} ms\n${out}\n${err}`));
    }, timeoutMs);
    const early = (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening\n${out}\n${err}`));
    };
    child.once('exit', early);
    child.stdout.on('data', (d) => {
      out += d;
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(out)?.[1];
      const adminToken = /admin token:\s+(\S+)/.exec(out)?.[1];
      if (url && adminToken && out.includes(readyWhen)) {
        clearTimeout(timer);
        child.off('exit', early);
        resolvePromise({
          url,
          adminToken,
          child,
          output: () => out + err,
          async stop() {
            if (child.exitCode !== null) return;
            child.kill('SIGTERM');
            const r = await Promise.race([exited, new Promise((t) => setTimeout(() => t(undefined), 10_000))]);
            if (!r) {
              child.kill('SIGKILL');
              await exited;
            }
          },
        });
      }
    });
  });
}

/** fetch + JSON with the status kept. */
export async function call(url, { method = 'GET', token, body, headers = {} } = {}) {
  const res = await fetch(url, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, headers: res.headers };
}

export async function login(base, username, password = USERS[username], extra = {}) {
  const r = await call(`${base}/token`, {
    method: 'POST',
    body: { grant_type: 'password', username, password, ...extra },
  });
  if (r.status !== 200) throw new Error(`login ${username} failed: ${r.status} ${r.text}`);
  return r.json;
}

export const b64 = (u8) => Buffer.from(u8).toString('base64');
export const unb64 = (s) => new Uint8Array(Buffer.from(s, 'base64'));
export const b64url = (s) => new Uint8Array(Buffer.from(s, 'base64url'));

/**
 * The OpenSSL contract of test/helpers/openssl.ts (OPENSSL35, OPENSSL36, ensureOpenssl) for these
 * plain-node tests: the TypeScript module is stripped with esbuild and imported from a data: URL, its
 * `import.meta.url` pinned to the real file so the paths it computes are the checkout's.
 */
export async function opensslHelpers() {
  const { transform } = await import('esbuild');
  const file = join(root, 'test/helpers/openssl.ts');
  const { code } = await transform(readFileSync(file, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(file).href) },
  });
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}
