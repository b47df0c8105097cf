import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { BIN } from '../runners/lib.mjs';
import { describe, expect, it } from 'vitest';

/*
 * Cold start (issue 23 item 1): what `import 'qsign-pqc'` evaluates before the
 * app's first line runs. Walks the static import graph of dist/index.js (the
 * file the root export resolves to; `import()` expressions are not followed:
 * they load on demand) and lists the bare specifiers it reaches.
 */
const root = resolve(import.meta.dirname, '../..');
const STATIC_IMPORT = /^\s*(?:import|export)\s[^;'"]*?(?:from\s*)?['"]([^'"]+)['"]/gm;

function staticGraph(entry: string): { files: Set<string>; bare: Set<string> } {
  const files = new Set<string>();
  const bare = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
      if (spec.startsWith('.')) visit(join(dirname(file), spec));
      else bare.add(spec);
    }
  };
  visit(entry);
  return { files, bare };
}

describe('root import path (cold start)', () => {
  it('import "qsign-pqc" loads no @noble/hashes/sha2 (SHA-2 pre-hash loads on first use)', () => {
    const entry = join(root, 'dist/index.js');
    if (!existsSync(entry)) throw new Error('dist/ is missing: run `npm run build:ts` first');
    const { files, bare } = staticGraph(entry);
    expect(files.size).toBeGreaterThan(1); // the walk follows the chunks
    expect([...bare].filter((s) => s.startsWith('@noble/hashes'))).toEqual([]);
  });
  it('import "qsign-pqc" reaches one runtime file, #wasm-source/all, not one per family (each file cost ~0.3 ms)', () => {
    const { bare } = staticGraph(join(root, 'dist/index.js'));
    expect([...bare].filter((s) => s.startsWith('#wasm-source'))).toEqual(['#wasm-source/all']);
  });
  it('the first keypair in Node on Linux loads no webcrypto (~2.3 ms): randomness comes from the kernel', () => {
    // process.moduleLoadList names every internal module Node has loaded; Web Crypto's first call loads
    // internal/crypto/webcrypto with its hash and stream modules.
    const script = `import { init, ml_kem768 } from ${JSON.stringify(join(root, 'dist/index.js'))};
      await init(); ml_kem768.keygen(); ml_kem768.encapsulate(ml_kem768.keygen().publicKey);
      console.log(JSON.stringify(process.moduleLoadList.filter((m) => /crypto/.test(m))));`;
    const loaded = JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }),
    );
    expect(loaded).toEqual([]);
  });
  it('Deno: import, init() and a first keypair never touch globalThis.process (Deno builds its Node layer then: ~13 ms)', () => {
    // Deno defines `process` as a lazy getter; wrapping it counts the touches. The script sits inside this
    // package so Deno resolves its "imports" (#wasm-source/all) as an installed copy's would.
    const dir = join(root, '.cache/coldstart-deno');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'touch.mjs'),
      `let touched = 0;
      const desc = Object.getOwnPropertyDescriptor(globalThis, 'process');
      Object.defineProperty(globalThis, 'process', { configurable: true, enumerable: desc.enumerable, set() {},
        get() { touched++; return desc.get ? desc.get.call(globalThis) : desc.value; } });
      const q = await import('../../dist/index.js');
      await q.init(); q.ml_kem768.keygen(); q.ml_dsa65.keygen();
      console.log(touched);`,
    );
    const env = { ...process.env, DENO_DIR: join(root, '.cache/deno'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
    const out = execFileSync(BIN.deno, ['run', '--allow-read', '--no-prompt', join(dir, 'touch.mjs')], {
      encoding: 'utf8',
      env,
    });
    expect(Number(out.trim())).toBe(0);
  });
  it('Deno without process.getBuiltinModule (2.0.x): HashML-DSA pre-hashes after init() (no TypeError)', () => {
    // Deno gained process.getBuiltinModule in 2.1 (denoland/deno#26833). Taking "Deno ≥ 2" for "has it" skipped
    // loading noble's SHA-2 in init() and then called the missing function on the first pre-hash. This Deno is
    // made to look like 2.0.6: the version it reports, and no getBuiltinModule.
    const dir = join(root, '.cache/coldstart-deno');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'deno20.mjs'),
      `Object.defineProperty(Deno, 'version', { value: { ...Deno.version, deno: '2.0.6' } });
      delete globalThis.process.getBuiltinModule;
      const q = await import('../../dist/index.js');
      await q.init();
      const { publicKey, secretKey } = q.hashml_dsa44.keygen();
      const msg = new TextEncoder().encode('pre-hashed');
      const ok = ['SHA2-256', 'SHA2-512/224'].map((hash) =>
        q.hashml_dsa44.verify(q.hashml_dsa44.sign(msg, secretKey, { hash }), msg, publicKey, { hash }));
      console.log(JSON.stringify(ok));`,
    );
    const env = { ...process.env, DENO_DIR: join(root, '.cache/deno'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
    const out = execFileSync(BIN.deno, ['run', '--allow-read', '--no-prompt', join(dir, 'deno20.mjs')], {
      encoding: 'utf8',
      env,
    });
    expect(JSON.parse(out.trim())).toEqual([true, true]);
  });
});
