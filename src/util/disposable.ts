/**
 * `Symbol.dispose` (ES2025 explicit resource management) for our declarations.
 *
 * Keys and key rings implement `[Symbol.dispose]()` so `using` wipes them. TypeScript knows
 * `Symbol.dispose` only from `lib: ["esnext"]` (or `esnext.disposable`) or from @types/node;
 * declaring the one property here, the way @types/node does, lets the published `.d.ts` compile
 * under `lib: ["es2022", "dom"]` without asking users for `esnext`. The declaration merges with
 * the lib's identical one where that is present.
 *
 * @example
 * ```ts
 * import { importRaw } from 'qsign-pqc/jose';
 * {
 *   using key = await importRaw('ML-DSA-44', seed, 'seed'); // TypeScript 5.2+, any lib
 * } // key.destroy() ran here
 * ```
 */
declare global {
  interface SymbolConstructor {
    /** The method `using` calls at scope end (ES2025). */
    readonly dispose: unique symbol;
  }
}

export {};
