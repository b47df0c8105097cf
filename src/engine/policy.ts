/**
 * The committed speed policy: for each runtime (family@major), algorithm
 * and operation, which engine was faster when bench/engine.mjs measured it.
 * The data lives in policy-table.ts, generated from bench/policy/*.json.
 *
 * Operations are measured in the call shape the engine actually serves with
 * byte keys, so the native side includes its importKey: `sign` and
 * `decapsulate` start from a seed, `verify` and `encapsulate` from public-key
 * bytes, `keygen` returns seed + public-key bytes. (With a CryptoKey there is no choice to make: it is native.)
 */
import type { EngineAlgorithm } from './native.js';
import { POLICY_TABLE as GENERATED } from './policy-table.js';
import type { RuntimeInfo } from './runtime.js';

/** The two engines a call can run on: our wasm core, or the runtime's native Web Crypto. */
export type EngineName = 'wasm' | 'webcrypto';
export type PolicyOperation = 'keygen' | 'sign' | 'verify' | 'encapsulate' | 'decapsulate';
export type PolicyTable = Record<
  string,
  Partial<Record<EngineAlgorithm, Partial<Record<PolicyOperation, EngineName>>>>
>;

/** The committed table, typed (the generated module imports nothing, so it cannot import this type). */
export const POLICY_TABLE: PolicyTable = GENERATED;

/**
 * The row for this runtime: its exact family@major, else the newest measured
 * major of the same family that is not newer than it (native code rarely gets
 * slower), else none — and with no row the policy says wasm, the engine whose
 * speed we know.
 */
export function policyRow(rt: RuntimeInfo, table: PolicyTable = POLICY_TABLE): PolicyTable[string] | undefined {
  if (table[rt.key]) return table[rt.key];
  let best: number | undefined;
  for (const k of Object.keys(table)) {
    const [name, major] = k.split('@');
    const m = Number(major);
    if (name === rt.name && m <= rt.major && (best === undefined || m > best)) best = m;
  }
  return best === undefined ? undefined : table[`${rt.name}@${best}`];
}

/** The policy's pick, `wasm` when there is no measurement. */
export function policyPick(
  rt: RuntimeInfo,
  alg: EngineAlgorithm,
  op: PolicyOperation,
  table: PolicyTable = POLICY_TABLE,
): EngineName {
  return policyRow(rt, table)?.[alg]?.[op] ?? 'wasm';
}
