/**
 * The engine mode chosen at init(). init() belongs to the loader (floor 2),
 * so the setting lives here too and the engine (floor 5) reads it from
 * below; the engine hands in its preparation for a mode (the native probe
 * before 'webcrypto') with {@link onEngineMode}, so nothing here imports
 * upwards.
 */
import { QsignError } from '../errors.js';

/**
 * - `'auto'` (default): per runtime, algorithm and operation the faster
 *   engine according to the committed policy table, native only where the
 *   probe proved it works.
 * - `'wasm'`: never use native Web Crypto (CryptoKey arguments still run
 *   natively: a CryptoKey cannot be used any other way).
 * - `'webcrypto'`: native only; a call the runtime cannot serve natively
 *   fails with `ERR_UNSUPPORTED_BY_RUNTIME` instead of falling back.
 */
export type EngineMode = 'auto' | 'wasm' | 'webcrypto';

let mode: EngineMode = 'auto';
/** Counts mode changes, so the engine can keep decisions made under the current mode without asking. */
export let modeEpoch = 0;
let hook: ((m: EngineMode) => Promise<void>) | undefined;

/** Sets the mode; with the engine loaded, also runs its preparation (the native probe for `'webcrypto'`). */
export async function setEngineMode(m: unknown): Promise<void> {
  if (m !== 'auto' && m !== 'wasm' && m !== 'webcrypto') {
    throw new QsignError(
      'ERR_INVALID_ARGUMENT',
      `init({ engine }) must be 'auto', 'wasm' or 'webcrypto', got ${JSON.stringify(m)}`,
    );
  }
  mode = m;
  modeEpoch++;
  await hook?.(m);
}

/** The current engine mode. */
export function engineMode(): EngineMode {
  return mode;
}

/** Registered by the engine module: work to do when the mode is set (e.g. probe before 'webcrypto'). */
export function onEngineMode(h: (m: EngineMode) => Promise<void>): void {
  hook = h;
}
