// SLH-DSA against OpenSSL 3.5 (which has all twelve FIPS 205 sets), through
// the test/helpers/openssl.ts contract: for every set, a key made by OpenSSL
// (its PKCS#8 privateKey is the raw SK.seed ‖ SK.prf ‖ PK.seed ‖ PK.root, as
// RFC 9909 specifies) signs deterministically to the same bytes on both
// sides (`pkeyutl -sign -rawin -pkeyopt deterministic:1`, with a context
// string), OpenSSL verifies our hedged signatures, and we verify OpenSSL's.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { init } from '../../src/wasm/loader.js';
import * as sig from '../../src/sig/index.js';
import type { SlhDsa } from '../../src/sig/index.js';
import { openssl } from '../helpers/openssl.js';

const SETS = ['SHA2', 'SHAKE'].flatMap((h) => ['128s', '128f', '192s', '192f', '256s', '256f'].map((s) => `${h}-${s}`));
const ours = (set: string): SlhDsa =>
  (sig as unknown as Record<string, SlhDsa>)[`slh_dsa_${set.toLowerCase().replace('-', '_')}`]!;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

let dir: string;
beforeAll(async () => {
  await init();
  dir = mkdtempSync(join(tmpdir(), 'qsign-slhdsa-openssl-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SLH-DSA interoperates with OpenSSL 3.5', () => {
  for (const set of SETS) {
    it(`SLH-DSA-${set}: same deterministic bytes; each verifies the other's hedged signatures`, () => {
      const alg = ours(set);
      const name = `SLH-DSA-${set}`;
      const f = (x: string) => join(dir, `${set}.${x}`);
      openssl('3.5', ['genpkey', '-algorithm', name, '-out', f('key.pem')], { check: true });
      openssl('3.5', ['pkey', '-in', f('key.pem'), '-outform', 'DER', '-out', f('key.der')], { check: true });
      openssl('3.5', ['pkey', '-in', f('key.pem'), '-pubout', '-outform', 'DER', '-out', f('pub.der')], {
        check: true,
      });
      openssl('3.5', ['pkey', '-in', f('key.pem'), '-pubout', '-out', f('pub.pem')], { check: true });
      const der = readFileSync(f('key.der'));
      const sk = new Uint8Array(der.subarray(der.length - alg.lengths.secretKey));
      const pk = alg.getPublicKey(sk);
      expect(hex(readFileSync(f('pub.der')).subarray(-alg.lengths.publicKey))).toBe(hex(pk));

      const msg = new TextEncoder().encode(`qsign ${set} interop message`);
      const context = new TextEncoder().encode('qsign-ctx');
      writeFileSync(f('msg'), msg);
      const ctxOpt = ['-pkeyopt', `context-string:qsign-ctx`];
      openssl(
        '3.5',
        [
          'pkeyutl',
          '-sign',
          '-rawin',
          '-inkey',
          f('key.pem'),
          '-in',
          f('msg'),
          '-out',
          f('det.sig'),
          '-pkeyopt',
          'deterministic:1',
          ...ctxOpt,
        ],
        { check: true },
      );
      const det = alg.sign(msg, sk, { context, extraEntropy: false });
      expect(hex(det)).toBe(hex(readFileSync(f('det.sig'))));

      writeFileSync(f('ours.sig'), alg.sign(msg, sk, { context }));
      const v = openssl('3.5', [
        'pkeyutl',
        '-verify',
        '-rawin',
        '-pubin',
        '-inkey',
        f('pub.pem'),
        '-in',
        f('msg'),
        '-sigfile',
        f('ours.sig'),
        ...ctxOpt,
      ]);
      expect(v.out).toContain('Signature Verified Successfully');
      const bad = openssl('3.5', [
        'pkeyutl',
        '-verify',
        '-rawin',
        '-pubin',
        '-inkey',
        f('pub.pem'),
        '-in',
        f('msg'),
        '-sigfile',
        f('ours.sig'),
      ]);
      expect(bad.code).not.toBe(0); // without the context it must not verify

      openssl(
        '3.5',
        ['pkeyutl', '-sign', '-rawin', '-inkey', f('key.pem'), '-in', f('msg'), '-out', f('theirs.sig'), ...ctxOpt],
        {
          check: true,
        },
      );
      const theirs = new Uint8Array(readFileSync(f('theirs.sig')));
      expect(hex(theirs)).not.toBe(hex(det));
      expect(alg.verify(theirs, msg, pk, { context })).toBe(true);
      expect(alg.verify(theirs, msg, pk)).toBe(false);
    }, 300_000);
  }
});
