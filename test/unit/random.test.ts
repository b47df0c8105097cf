// randomBytes (src/util/bytes.ts) draws small requests from a 4 KiB pool:
// every byte handed out must be fresh — no two draws may overlap, across
// pool refills too — and sizes on both sides of the pooling limit work.
import { describe, expect, it, vi } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { randomSource as kernelRandomSource } from '../../src/entries/node.js';
import { randomBytes } from '../../src/util/bytes.js';

describe('randomBytes', () => {
  it('never hands out the same bytes twice, across many pool refills', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const n = [16, 32, 64, 200, 256][i % 5]!;
      const b = randomBytes(n);
      expect(b.length).toBe(n);
      const hex = Buffer.from(b).toString('hex');
      expect(seen.has(hex)).toBe(false);
      seen.add(hex);
      // Any 16-byte window repeating across draws would mean reused pool bytes.
      for (let o = 0; o + 16 <= n; o += 16) {
        const w = hex.slice(2 * o, 2 * o + 32);
        expect(seen.has(`w${w}`)).toBe(false);
        seen.add(`w${w}`);
      }
    }
  });
  it('serves sizes above the pool limit and zero bytes', () => {
    expect(randomBytes(0).length).toBe(0);
    const big = randomBytes(70_000);
    expect(big.length).toBe(70_000);
    expect(big.some((x) => x !== 0)).toBe(true);
    expect(randomBytes(257).length).toBe(257);
  });
  it('pool bytes never survive into a Node.js startup snapshot (every process started from it would replay them)', () => {
    // An app that draws randomness while its snapshot is built (an AuditLog's HMAC key at start-up, say) left the
    // rest of the pool in the snapshot: every process started from it drew the same bytes (the same ML-KEM keys,
    // AES-GCM nonces) until the pool ran out.
    const dir = mkdtempSync(join(tmpdir(), 'qsign-snapshot-'));
    try {
      writeFileSync(
        join(dir, 'entry.mjs'),
        `import { randomBytes } from ${JSON.stringify(resolve('src/util/bytes.ts'))};
        randomBytes(32);
        require('node:v8').startupSnapshot.setDeserializeMainFunction(() =>
          console.log(Buffer.from(randomBytes(64)).toString('hex')));`,
      );
      buildSync({
        entryPoints: [join(dir, 'entry.mjs')],
        outfile: join(dir, 'entry.cjs'),
        bundle: true,
        platform: 'node',
        format: 'cjs',
        logLevel: 'error',
      });
      const blob = join(dir, 'snap.blob');
      execFileSync(process.execPath, ['--snapshot-blob', blob, '--build-snapshot', join(dir, 'entry.cjs')]);
      const run = () => execFileSync(process.execPath, ['--snapshot-blob', blob], { encoding: 'utf8' }).trim();
      const first = run();
      expect(first).toMatch(/^[0-9a-f]{128}$/);
      expect(run()).not.toBe(first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('returns copies the caller may wipe without touching later draws', () => {
    const a = randomBytes(32);
    a.fill(0);
    const b = randomBytes(32);
    expect(b.some((x) => x !== 0)).toBe(true);
  });
});

// Node on Linux reads the kernel's generator from /dev/random without blocking (Node's Web Crypto costs ~2.3 ms
// to load); only the kernel's own device counts, anything else makes randomBytes take Web Crypto.
describe('kernel random source (Node.js on Linux)', () => {
  it('applies here (Node on Linux ≥ 5.6) and fills whole buffers with fresh bytes', () => {
    const fill = kernelRandomSource();
    expect(fill).toBeTypeOf('function');
    const a = new Uint8Array(16384),
      b = new Uint8Array(16384);
    expect(fill!(a)).toBe(true);
    expect(fill!(b)).toBe(true);
    expect(Buffer.compare(a, b)).not.toBe(0);
    // 16 KiB of uniform bytes: each value ~64 times; none missing, none far over.
    const counts = new Array(256).fill(0);
    for (const x of a) counts[x]++;
    expect(Math.min(...counts)).toBeGreaterThan(20);
    expect(Math.max(...counts)).toBeLessThan(120);
  });
  it('refuses a regular file put at the path (a chroot or container may put anything there)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qsign-random-'));
    try {
      writeFileSync(join(dir, 'random'), new Uint8Array(65536).fill(7));
      const buf = new Uint8Array(64);
      expect(kernelRandomSource(join(dir, 'random'))!(buf)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('applies only where the kernel release reads as Linux ≥ 5.6: one it cannot read counts as older', () => {
    // Before 5.6 /dev/random is the entropy-counting pool: non-blocking reads come up short and drain the
    // estimate other processes wait on. A release string that did not parse (NaN) passed the version check.
    const release = vi.spyOn(os, 'release');
    try {
      for (const r of ['', 'unknown', 'v6.1.0', '4.19.0-25-amd64', '5.5.19']) {
        release.mockReturnValue(r);
        expect(kernelRandomSource(), r).toBeUndefined();
      }
      for (const r of ['5.6.0', '5.15.0-1051-azure', '6.18.44-fc-v1300']) {
        release.mockReturnValue(r);
        expect(kernelRandomSource(), r).toBeTypeOf('function');
      }
    } finally {
      release.mockRestore();
    }
  });
  it('refuses another character device (/dev/zero, /dev/urandom) and a missing path', () => {
    for (const device of ['/dev/zero', '/dev/urandom', '/nonexistent/random'])
      expect(kernelRandomSource(device)!(new Uint8Array(64)), device).toBe(false);
  });
});
