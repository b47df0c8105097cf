/** Registry rows: ML-DSA (FIPS 204): the three parameter sets, with their JOSE/COSE ids (RFC 9964). */
import { freezeRows, type AlgorithmInfo } from './rows.js';

/** The rows as written (literal types for the index's name and size types). */
export const ML_DSA_ROWS = [
  {
    name: 'ML-DSA-44',
    kind: 'signature',
    family: 'ML-DSA',
    liboqsName: 'ML-DSA-44',
    aliases: ['dilithium2'],
    nistLevel: 2,
    securityBits: 128,
    standard: 'FIPS 204',
    sizes: { publicKey: 1312, secretKey: 2560, signature: 2420, seed: 32, signRand: 32 },
    oid: '2.16.840.1.101.3.4.3.17',
    jose: 'ML-DSA-44',
    cose: -48,
    transitType: 'ml-dsa-44',
  },
  {
    name: 'ML-DSA-65',
    kind: 'signature',
    family: 'ML-DSA',
    liboqsName: 'ML-DSA-65',
    aliases: ['dilithium3'],
    nistLevel: 3,
    securityBits: 192,
    standard: 'FIPS 204',
    sizes: { publicKey: 1952, secretKey: 4032, signature: 3309, seed: 32, signRand: 32 },
    oid: '2.16.840.1.101.3.4.3.18',
    jose: 'ML-DSA-65',
    cose: -49,
    transitType: 'ml-dsa-65',
  },
  {
    name: 'ML-DSA-87',
    kind: 'signature',
    family: 'ML-DSA',
    liboqsName: 'ML-DSA-87',
    aliases: ['dilithium5'],
    nistLevel: 5,
    securityBits: 256,
    standard: 'FIPS 204',
    sizes: { publicKey: 2592, secretKey: 4896, signature: 4627, seed: 32, signRand: 32 },
    oid: '2.16.840.1.101.3.4.3.19',
    jose: 'ML-DSA-87',
    cose: -50,
    transitType: 'ml-dsa-87',
  },
] as const satisfies readonly AlgorithmInfo[];

/** The rows as registry entries. */
export const ML_DSA: readonly AlgorithmInfo[] = /* @__PURE__ */ freezeRows(ML_DSA_ROWS);
