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
 *
 * Module-level wrappers carry a `#__PURE__` annotation at their call sites so
 * bundlers still drop the exports an application does not use.
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
 * Runs `fn()` with its synchronous failures coded like {@link guarded}: for
 * class methods, which cannot be wrapped at the module boundary without
 * defeating tree-shaking.
 */
export function codedCall<T>(where: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw coded(where, e);
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Uint8Array) return `${v.length} bytes`;
  return typeof v === 'object' ? 'an object' : typeof v;
}

/** `value` when it is a plain object (not null, not an array); else ERR_INVALID_ARGUMENT naming it. */
export function requireObject<T extends object>(what: string, value: T | unknown): T {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array)
    throw new QsignError('ERR_INVALID_ARGUMENT', `${what} must be an object, got ${describe(value)}`);
  return value as T;
}

/** `value` when it is a string; else ERR_INVALID_ARGUMENT naming it. */
export function requireString(what: string, value: unknown): string {
  if (typeof value !== 'string')
    throw new QsignError('ERR_INVALID_ARGUMENT', `${what} must be a string, got ${describe(value)}`);
  return value;
}

/** `value` when it is an array whose items are all strings; else ERR_INVALID_ARGUMENT naming it. */
export function requireStringArray(what: string, value: unknown): string[] {
  if (!Array.isArray(value) || value.some((x) => typeof x !== 'string'))
    throw new QsignError('ERR_INVALID_ARGUMENT', `${what} must be an array of strings`);
  return value as string[];
}

/** `value` when it is a Date holding a real time; else ERR_INVALID_ARGUMENT naming it. */
export function requireDate(what: string, value: unknown): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime()))
    throw new QsignError('ERR_INVALID_ARGUMENT', `${what} must be a valid Date`);
  return value;
}

/** True when `text` parses as an absolute URL (URL.canParse is missing from older runtimes). */
export function isUrl(text: string): boolean {
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}
