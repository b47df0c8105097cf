import { QsignError } from '../errors.js';
import { type QsignExports } from '../wasm/exports.js';
import { withOwnHeap } from '../wasm/heap.js';
import { expectHex, KAT_HEAP_BYTES, type FamilySelfTest } from '../wasm/selftest.js';

// X25519's power-on self-test (src/wasm/selftest.ts runs it before the family's first use), registered by the
// family's code beside its module source: only bundles with X25519 carry it.

/** X25519 (RFC 7748 §5.2, first test vector). */
function x25519Kat(x: QsignExports): void {
  withOwnHeap(x, KAT_HEAP_BYTES, (h) => {
    const fromHex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g)!, (b) => parseInt(b, 16));
    const k = h.put(fromHex('a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4'));
    const u = h.put(fromHex('e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c'));
    const out = h.alloc(32);
    if (x.qs_x25519(out, k, u) !== 0) throw new QsignError('ERR_SELF_TEST_FAILED', 'X25519 failed');
    expectHex('X25519', h.read(out, 32), 'c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552');
  });
}

/** X25519's known-answer test, for registerSelfTest. */
export const X25519_SELF_TEST: FamilySelfTest = {
  name: 'X25519',
  kat: x25519Kat,
};
