import { QsignError } from '../errors.js';
import { KeccakKind } from './exports.js';
import { withHeap } from './heap.js';

/*
 * Power-on self-tests, in the spirit of FIPS 140-3: one known answer per
 * algorithm family, run on the raw exports before init() resolves, so a
 * miscompiled or corrupted build is refused rather than used.
 */

function hex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

function expectHex(name: string, got: Uint8Array, want: string): void {
  if (hex(got) !== want) throw new QsignError('ERR_SELF_TEST_FAILED', `${name} known-answer test failed`);
}

/** SHA3-256("abc") and SHAKE128 of 200 bytes 0..199 (FIPS 202 examples / hashlib). */
function keccakKat(): void {
  withHeap((h) => {
    const abc = h.put(new Uint8Array([0x61, 0x62, 0x63]));
    const out = h.alloc(32);
    h.x.qs_keccak_oneshot(KeccakKind.SHA3_256, abc, 3, out, 32);
    expectHex('SHA3-256', h.read(out, 32), '3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532');
  });
}

const SELF_TESTS: Array<[string, () => void]> = [
  ['keccak', keccakKat],
];

export function runSelfTests(): void {
  for (const [, test] of SELF_TESTS) test();
}
