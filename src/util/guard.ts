/**
 * The public-boundary guarantee of the SDK's object layers (x509, jose): a
 * caller's bad argument surfaces as a coded QsignError, never as a raw
 * TypeError/RangeError/SyntaxError from deep inside (issue 18 #9).
 *
 * Entry points validate what they can name precisely (bytes, options,
 * keys); this wrapper is the net under them, so an argument shape nobody
 * thought of (a null-prototype object, `[null]`, an Invalid Date) still ends
 * as `ERR_INVALID_ARGUMENT` naming the function, with the original error as
 * `cause`. Errors that are already QsignErrors pass through untouched.
 */
import { QsignError } from '../errors.js';

function coded(where: string, e: unknown): unknown {
  if (e instanceof QsignError) return e;
  if (e instanceof TypeError || e instanceof RangeError || e instanceof SyntaxError)
    return new QsignError('ERR_INVALID_ARGUMENT', `${where}: invalid argument (${e.message})`, { cause: e });
  if (e instanceof Error) return new QsignError('ERR_INTERNAL', `${where}: ${e.message}`, { cause: e });
  return e;
}

/**
 * `fn` with its failures coded: synchronous throws and rejected promises
 * alike. Keeps `this`, arguments and the return value as they are.
 *
 * @example
 * ```ts
 * export const parseName = guarded('parseName', parseNameImpl)
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function guarded<F extends (...args: any[]) => any>(where: string, fn: F): F {
  const wrapped = function (this: unknown, ...args: unknown[]) {
    let out: unknown;
    try {
      out = fn.apply(this, args);
    } catch (e) {
      throw coded(where, e);
    }
    if (out instanceof Promise) return out.catch((e: unknown) => Promise.reject(coded(where, e)));
    return out;
  };
  Object.defineProperty(wrapped, 'name', { value: fn.name });
  Object.defineProperty(wrapped, 'length', { value: fn.length });
  return wrapped as unknown as F;
}

/**
 * Guards the named static and prototype methods of `cls` in place, so the
 * class stays the same object (instanceof and subclassing keep working).
 */
export function guardClass(
  className: string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  cls: { prototype: any },
  statics: readonly string[],
  methods: readonly string[],
): void {
  const c = cls as unknown as Record<string, unknown>;
  for (const s of statics) {
    const f = c[s];
    if (typeof f === 'function') c[s] = guarded(`${className}.${s}`, f as (...a: unknown[]) => unknown);
  }
  const proto = cls.prototype as Record<string, unknown>;
  for (const m of methods) {
    const d = Object.getOwnPropertyDescriptor(proto, m);
    if (d && typeof d.value === 'function')
      Object.defineProperty(proto, m, { ...d, value: guarded(`${className}#${m}`, d.value) });
  }
}
