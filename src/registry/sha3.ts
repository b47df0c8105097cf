/** Registry rows: SHA-3 and SHAKE (FIPS 202). */
import { freezeRows, type AlgorithmInfo } from './rows.js';

/** The rows as written (literal types for the index's name and size types). */
export const SHA3_ROWS = [
  {
    name: 'SHA3-256',
    kind: 'hash',
    family: 'SHA-3',
    aliases: [],
    standard: 'FIPS 202',
    sizes: { output: 32 },
    oid: '2.16.840.1.101.3.4.2.8',
  },
  {
    name: 'SHA3-384',
    kind: 'hash',
    family: 'SHA-3',
    aliases: [],
    standard: 'FIPS 202',
    sizes: { output: 48 },
    oid: '2.16.840.1.101.3.4.2.9',
  },
  {
    name: 'SHA3-512',
    kind: 'hash',
    family: 'SHA-3',
    aliases: [],
    standard: 'FIPS 202',
    sizes: { output: 64 },
    oid: '2.16.840.1.101.3.4.2.10',
  },
  // As a CMS digest (RFC 8702 §3), id-shake128 means 256 bits of output (RFC 9814: SLH-DSA-SHAKE-128*).
  {
    name: 'SHAKE128',
    kind: 'hash',
    family: 'SHA-3',
    aliases: [],
    standard: 'FIPS 202',
    sizes: {},
    oid: '2.16.840.1.101.3.4.2.11',
  },
  // As a CMS digest (RFC 8702 §3), id-shake256 means 512 bits of output.
  {
    name: 'SHAKE256',
    kind: 'hash',
    family: 'SHA-3',
    aliases: [],
    standard: 'FIPS 202',
    sizes: {},
    oid: '2.16.840.1.101.3.4.2.12',
  },
] as const satisfies readonly AlgorithmInfo[];

/** The rows as registry entries. */
export const SHA3: readonly AlgorithmInfo[] = /* @__PURE__ */ freezeRows(SHA3_ROWS);
