/*
 * HPKE KDFs. Two kinds exist since draft-ietf-hpke-hpke (RFC 9180bis):
 *
 *  - two-stage (HKDF-SHA256/384/512, RFC 9180 §4): LabeledExtract / LabeledExpand;
 *  - one-stage XOFs (SHAKE128/256, TurboSHAKE128/256, draft-ietf-hpke-pq §5):
 *    LabeledDerive(ikm, label, ctx, L) = Derive(ikm ‖ "HPKE-v1" ‖ suite_id ‖
 *    lengthPrefixed(label) ‖ I2OSP(L, 2) ‖ ctx, L).
 *
 * The key schedule and the exporter are expressed once per kind here so the
 * HPKE core only asks for "key, base_nonce, exporter_secret" and "export".
 * SHAKE runs on our wasm Keccak; TurboSHAKE (12-round Keccak, which the wasm
 * core does not expose) and HKDF/SHA-2 come from @noble/hashes.
 */
import { expand, extract } from '@noble/hashes/hkdf.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { turboshake128, turboshake256 } from '@noble/hashes/sha3-addons.js';
import { QsignError } from '../../errors.js';
import { shake128, shake256 } from '../../hash/index.js';
import { concatBytes } from '../../util/bytes.js';

/** Names of the HPKE KDFs this package implements: the two-stage HKDFs (RFC 9180 §7.2) and the one-stage SHAKE/TurboSHAKE KDFs (draft-ietf-hpke-pq). */
export type KdfName =
  'HKDF-SHA256' | 'HKDF-SHA384' | 'HKDF-SHA512' | 'SHAKE128' | 'SHAKE256' | 'TurboSHAKE128' | 'TurboSHAKE256';

/** An HPKE KDF as the key schedule uses it. */
export interface HpkeKdf {
  readonly id: number;
  readonly name: KdfName;
  /** Output size Nh of the underlying hash/XOF (also the exporter_secret size). */
  readonly Nh: number;
  readonly oneStage: boolean;
  /** Largest L that export() accepts. */
  readonly maxExportLength: number;
  /** Key schedule (mode 0 base, 1 PSK): key (Nk), base_nonce (Nn), exporter_secret (Nh). */
  keySchedule(
    suiteId: Uint8Array,
    mode: number,
    sharedSecret: Uint8Array,
    info: Uint8Array,
    psk: Uint8Array,
    pskId: Uint8Array,
    Nk: number,
    Nn: number,
  ): { key: Uint8Array; baseNonce: Uint8Array; exporterSecret: Uint8Array };
  /** Secret export: the "sec" labeled derivation from exporter_secret. */
  export(suiteId: Uint8Array, exporterSecret: Uint8Array, exporterContext: Uint8Array, L: number): Uint8Array;
}

const enc = new TextEncoder();
const HPKE_V1 = enc.encode('HPKE-v1');

export function i2osp(n: number, w: number): Uint8Array {
  const out = new Uint8Array(w);
  for (let i = w - 1, x = n; i >= 0; i--, x = Math.floor(x / 256)) out[i] = x & 0xff;
  return out;
}

function lengthPrefixed(x: Uint8Array, what: string): Uint8Array {
  if (x.length > 0xffff) {
    throw new QsignError(
      'ERR_INVALID_ARGUMENT',
      `${what} is ${x.length} bytes; one-stage HPKE KDFs length-prefix it with 2 bytes, so it must be at most 65535 bytes`,
    );
  }
  return concatBytes(i2osp(x.length, 2), x);
}

/** SHAKE256.LabeledDerive as DeriveKeyPair of the PQ KEMs uses it (suite_id = "KEM" ‖ kem_id). */
export function shake256LabeledDerive(
  suiteId: Uint8Array,
  ikm: Uint8Array,
  label: string,
  context: Uint8Array,
  L: number,
): Uint8Array {
  return labeledDerive((m, n) => shake256(m, { dkLen: n }), suiteId, ikm, label, context, L);
}

function labeledDerive(
  derive: (m: Uint8Array, L: number) => Uint8Array,
  suiteId: Uint8Array,
  ikm: Uint8Array,
  label: string,
  context: Uint8Array,
  L: number,
): Uint8Array {
  const labeled = concatBytes(ikm, HPKE_V1, suiteId, lengthPrefixed(enc.encode(label), 'label'), i2osp(L, 2), context);
  return derive(labeled, L);
}

function oneStage(id: number, name: KdfName, Nh: number, derive: (m: Uint8Array, L: number) => Uint8Array): HpkeKdf {
  return Object.freeze({
    id,
    name,
    Nh,
    oneStage: true,
    maxExportLength: 0xffff,
    keySchedule(
      suiteId: Uint8Array,
      mode: number,
      ss: Uint8Array,
      info: Uint8Array,
      psk: Uint8Array,
      pskId: Uint8Array,
      Nk: number,
      Nn: number,
    ) {
      const secrets = concatBytes(lengthPrefixed(psk, 'psk'), lengthPrefixed(ss, 'shared secret'));
      const context = concatBytes(
        new Uint8Array([mode]),
        lengthPrefixed(pskId, 'psk_id'),
        lengthPrefixed(info, 'info'),
      );
      const secret = labeledDerive(derive, suiteId, secrets, 'secret', context, Nk + Nn + Nh);
      secrets.fill(0);
      return { key: secret.slice(0, Nk), baseNonce: secret.slice(Nk, Nk + Nn), exporterSecret: secret.slice(Nk + Nn) };
    },
    export(suiteId: Uint8Array, exporterSecret: Uint8Array, ctx: Uint8Array, L: number) {
      return labeledDerive(derive, suiteId, exporterSecret, 'sec', ctx, L);
    },
  });
}

type Hash = typeof sha256;

function twoStage(id: number, name: KdfName, hash: Hash): HpkeKdf {
  const Nh = hash.outputLen;
  const labeledExtract = (suiteId: Uint8Array, salt: Uint8Array, label: string, ikm: Uint8Array) =>
    extract(hash, concatBytes(HPKE_V1, suiteId, enc.encode(label), ikm), salt);
  const labeledExpand = (suiteId: Uint8Array, prk: Uint8Array, label: string, info: Uint8Array, L: number) =>
    expand(hash, prk, concatBytes(i2osp(L, 2), HPKE_V1, suiteId, enc.encode(label), info), L);
  const empty = new Uint8Array(0);
  return Object.freeze({
    id,
    name,
    Nh,
    oneStage: false,
    maxExportLength: 255 * Nh,
    keySchedule(
      suiteId: Uint8Array,
      mode: number,
      ss: Uint8Array,
      info: Uint8Array,
      psk: Uint8Array,
      pskId: Uint8Array,
      Nk: number,
      Nn: number,
    ) {
      const pskIdHash = labeledExtract(suiteId, empty, 'psk_id_hash', pskId);
      const infoHash = labeledExtract(suiteId, empty, 'info_hash', info);
      const context = concatBytes(new Uint8Array([mode]), pskIdHash, infoHash);
      const secret = labeledExtract(suiteId, ss, 'secret', psk);
      // Nk = Nn = 0 for the export-only AEAD: RFC 9180 still defines the
      // (empty) key and nonce, and HKDF-Expand of length 0 is the empty string.
      const key = Nk === 0 ? new Uint8Array(0) : labeledExpand(suiteId, secret, 'key', context, Nk);
      const baseNonce = Nn === 0 ? new Uint8Array(0) : labeledExpand(suiteId, secret, 'base_nonce', context, Nn);
      const exporterSecret = labeledExpand(suiteId, secret, 'exp', context, Nh);
      secret.fill(0);
      return { key, baseNonce, exporterSecret };
    },
    export(suiteId: Uint8Array, exporterSecret: Uint8Array, ctx: Uint8Array, L: number) {
      return labeledExpand(suiteId, exporterSecret, 'sec', ctx, L);
    },
  });
}

/** Every KDF this module implements, by HPKE KDF id. */
export const KDFS: ReadonlyMap<number, HpkeKdf> = new Map<number, HpkeKdf>([
  [0x0001, twoStage(0x0001, 'HKDF-SHA256', sha256)],
  [0x0002, twoStage(0x0002, 'HKDF-SHA384', sha384 as unknown as Hash)],
  [0x0003, twoStage(0x0003, 'HKDF-SHA512', sha512 as unknown as Hash)],
  [0x0010, oneStage(0x0010, 'SHAKE128', 32, (m, L) => shake128(m, { dkLen: L }))],
  [0x0011, oneStage(0x0011, 'SHAKE256', 64, (m, L) => shake256(m, { dkLen: L }))],
  // TurboSHAKE with the domain byte D = 0x1f the draft fixes.
  [0x0012, oneStage(0x0012, 'TurboSHAKE128', 32, (m, L) => turboshake128(m, { dkLen: L, D: 0x1f }))],
  [0x0013, oneStage(0x0013, 'TurboSHAKE256', 64, (m, L) => turboshake256(m, { dkLen: L, D: 0x1f }))],
]);
