/** Registry rows: ML-KEM (FIPS 203): the three parameter sets. */
import { freezeRows, type AlgorithmInfo } from './rows.js';

/** The rows as written (literal types for the index's name and size types). */
export const ML_KEM_ROWS = [
  {
    name: 'ML-KEM-512',
    kind: 'kem',
    family: 'ML-KEM',
    liboqsName: 'ML-KEM-512',
    aliases: ['kyber512'],
    nistLevel: 1,
    securityBits: 128,
    standard: 'FIPS 203',
    sizes: { publicKey: 800, secretKey: 1632, cipherText: 768, sharedSecret: 32, seed: 64, encapsRand: 32 },
    oid: '2.16.840.1.101.3.4.4.1',
    hpkeKem: 0x0040,
  },
  {
    name: 'ML-KEM-768',
    kind: 'kem',
    family: 'ML-KEM',
    liboqsName: 'ML-KEM-768',
    aliases: ['kyber768'],
    nistLevel: 3,
    securityBits: 192,
    standard: 'FIPS 203',
    sizes: { publicKey: 1184, secretKey: 2400, cipherText: 1088, sharedSecret: 32, seed: 64, encapsRand: 32 },
    oid: '2.16.840.1.101.3.4.4.2',
    hpkeKem: 0x0041,
    transitType: 'ml-kem-768',
  },
  {
    name: 'ML-KEM-1024',
    kind: 'kem',
    family: 'ML-KEM',
    liboqsName: 'ML-KEM-1024',
    aliases: ['kyber1024'],
    nistLevel: 5,
    securityBits: 256,
    standard: 'FIPS 203',
    sizes: { publicKey: 1568, secretKey: 3168, cipherText: 1568, sharedSecret: 32, seed: 64, encapsRand: 32 },
    oid: '2.16.840.1.101.3.4.4.3',
    hpkeKem: 0x0042,
    transitType: 'ml-kem-1024',
  },
] as const satisfies readonly AlgorithmInfo[];

/** The rows as registry entries. */
export const ML_KEM: readonly AlgorithmInfo[] = /* @__PURE__ */ freezeRows(ML_KEM_ROWS);
