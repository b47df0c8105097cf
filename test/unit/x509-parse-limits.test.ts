/*
 * issue 18 #5: every X.509 parser at its size limit finishes in time linear in
 * its input. The bounds are generous (a loaded 2-core machine passes them with
 * room to spare) and still orders of magnitude below what a quadratic
 * algorithm needs at these sizes: the lazy BEGIN…END regex took 6.6 s on 32k
 * BEGIN lines, and would take minutes at MAX_PEM_CHARS.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { init } from '../../src/index.js';
import {
  Certificate,
  Csr,
  createCertificate,
  decodePKCS8,
  decodeSPKI,
  generateKey,
  pemDecodeAll,
  verifyChain,
} from '../../src/x509/index.js';
import { MAX_PEM_CHARS } from '../../src/x509/pem.js';
import { MAX_DER_BYTES, tlv } from '../../src/x509/der.js';
import { QsignError } from '../../src/errors.js';

beforeAll(async () => {
  await init();
});

/** Milliseconds `fn` takes, and the QsignError code it threw (or undefined). */
function timed(fn: () => unknown): { ms: number; code: string | undefined } {
  const t0 = performance.now();
  let code: string | undefined;
  try {
    fn();
  } catch (e) {
    if (!(e instanceof QsignError)) throw e;
    code = e.code;
  }
  return { ms: performance.now() - t0, code };
}

const BEGIN = '-----BEGIN CERTIFICATE-----\n';

describe('issue 18 #5: PEM parsing is linear (no lazy BEGIN…END regex)', () => {
  it('32k BEGIN lines without END (6.6 s with the regex) take well under a second', () => {
    const r = timed(() => Certificate.parse(BEGIN.repeat(32 * 1024)));
    expect(r.code).toBe('ERR_PEM');
    expect(r.ms).toBeLessThan(1000);
  });

  it('BEGIN lines up to MAX_PEM_CHARS: refused with ERR_PEM in bounded time, and n vs 4n grows linearly', () => {
    const n = Math.floor(MAX_PEM_CHARS / BEGIN.length);
    const big = timed(() => pemDecodeAll(BEGIN.repeat(n)));
    expect(big.code).toBe('ERR_PEM');
    expect(big.ms).toBeLessThan(3000);
    // Doubling twice costs ~4x for a linear scan, ~16x for a quadratic one.
    const quarter = timed(() => pemDecodeAll(BEGIN.repeat(n >> 2)));
    expect(big.ms).toBeLessThan(Math.max(quarter.ms * 10, 200));
  });
});

/** `n` content bytes of one OID arc that never ends (every byte has the continuation bit) but the last. */
function hugeOid(n: number): Uint8Array {
  const body = new Uint8Array(n).fill(0x81);
  body[0] = 0x2a;
  body[n - 1] = 0x01;
  return tlv(0x06, body);
}

/** SEQUENCE { SEQUENCE { hugeOid }, ... } shaped like the start of each structure, `size` bytes in all. */
function withHugeAlgorithm(kind: 'cert' | 'csr' | 'spki' | 'pkcs8', size: number): Uint8Array {
  const oidBytes = size - 24;
  const alg = tlv(0x30, hugeOid(oidBytes));
  const bits = tlv(0x03, Uint8Array.of(0, 1, 2, 3));
  switch (kind) {
    case 'cert':
      return tlv(0x30, tlv(0x30, tlv(0x02, Uint8Array.of(1))), alg, bits);
    case 'csr':
      return tlv(0x30, tlv(0x30, tlv(0x02, Uint8Array.of(0))), alg, bits);
    case 'spki':
      return tlv(0x30, alg, bits);
    case 'pkcs8':
      return tlv(0x30, tlv(0x02, Uint8Array.of(0)), alg, tlv(0x04, Uint8Array.of(0x80, 0)));
  }
}

describe('issue 18 #5: DER parsers at MAX_DER_BYTES finish in linear time', () => {
  const parsers = {
    cert: (d: Uint8Array) => Certificate.fromDer(d),
    csr: (d: Uint8Array) => Csr.fromDer(d),
    spki: (d: Uint8Array) => decodeSPKI(d),
    pkcs8: (d: Uint8Array) => decodePKCS8(d),
  } as const;

  for (const kind of Object.keys(parsers) as (keyof typeof parsers)[]) {
    it(`${kind}: an OID arc filling the whole ${MAX_DER_BYTES}-byte limit is refused fast (was quadratic BigInt growth)`, () => {
      const der = withHugeAlgorithm(kind, MAX_DER_BYTES - 8);
      expect(der.length).toBeLessThanOrEqual(MAX_DER_BYTES);
      const big = timed(() => parsers[kind](der));
      expect(big.code).toMatch(/^ERR_/);
      expect(big.ms).toBeLessThan(250);
      // One byte over the limit is refused before parsing, with the same layer's code.
      const over = timed(() => parsers[kind](withHugeAlgorithm(kind, MAX_DER_BYTES + 8)));
      expect(over.code).toMatch(/^ERR_/);
    });
  }

  it('a real certificate near the limit (thousands of SANs) parses, as DER and PEM, in bounded time', async () => {
    const ca = generateKey('ML-DSA-44');
    const dns = Array.from({ length: 12_500 }, (_, i) => `h${i}.example.com`);
    const cert = await createCertificate(
      { subject: 'CN=big', publicKey: ca, ca: true, subjectAltName: { dns } },
      { key: ca },
    );
    expect(cert.der.length).toBeGreaterThan(MAX_DER_BYTES * 0.8);
    expect(cert.der.length).toBeLessThanOrEqual(MAX_DER_BYTES);
    const der = timed(() => Certificate.fromDer(cert.der));
    const pem = timed(() => Certificate.parse(cert.pem));
    expect(der.code).toBeUndefined();
    expect(pem.code).toBeUndefined();
    expect(der.ms).toBeLessThan(1000);
    expect(pem.ms).toBeLessThan(1000);
    expect(Certificate.parse(cert.pem).extensions.subjectAltName!.dns).toHaveLength(12_500);
    // Path validation over it stays bounded too (one ML-DSA-44 verification dominates).
    const t0 = performance.now();
    await verifyChain(cert, { trustAnchors: [cert] });
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('a PEM bundle at MAX_PEM_CHARS of real certificates decodes in bounded time', async () => {
    const k = generateKey('ML-DSA-44');
    const cert = await createCertificate({ subject: 'CN=bundle', publicKey: k, ca: true }, { key: k });
    const n = Math.floor(MAX_PEM_CHARS / (cert.pem.length + 1));
    const text = Array.from({ length: n }, () => cert.pem).join('\n');
    const r = timed(() => expect(pemDecodeAll(text)).toHaveLength(n));
    expect(r.ms).toBeLessThan(3000);
  });
});
