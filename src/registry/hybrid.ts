/** Registry rows: The hybrid KEMs of qsign-pqc/hybrid: X-Wing and X25519MLKEM768. */
import { freezeRows, type AlgorithmInfo } from './rows.js';

/** The rows as written (literal types for the index's name and size types). */
export const HYBRID_KEMS_ROWS = [
  {
    name: 'X-Wing',
    kind: 'hybrid-kem',
    family: 'hybrid-kem',
    aliases: ['MLKEM768-X25519'],
    nistLevel: 3,
    securityBits: 192,
    standard: 'draft-connolly-cfrg-xwing-kem-10 (qsign-pqc/hybrid)',
    sizes: { publicKey: 1216, secretKey: 32, cipherText: 1120, sharedSecret: 32, seed: 32, encapsRand: 64 },
    hpkeKem: 0x647a,
    transitType: 'xwing',
  },
  {
    name: 'X25519MLKEM768',
    kind: 'hybrid-kem',
    family: 'hybrid-kem',
    aliases: [],
    nistLevel: 3,
    securityBits: 192,
    standard: 'draft-ietf-tls-ecdhe-mlkem (TLS group 0x11EC; qsign-pqc/hybrid)',
    sizes: { clientShare: 1216, serverShare: 1120, clientSecret: 96, sharedSecret: 64, encapsRand: 64 },
  },
] as const satisfies readonly AlgorithmInfo[];

/** The rows as registry entries. */
export const HYBRID_KEMS: readonly AlgorithmInfo[] = /* @__PURE__ */ freezeRows(HYBRID_KEMS_ROWS);
