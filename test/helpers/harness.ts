/*
 * A tiny jest-shaped harness for the runtime-agnostic conformance suite. The
 * same test files run under vitest (Node 20), Node 24, Deno, Bun, workerd and
 * the browsers, so this file uses nothing but the language and Web APIs.
 */

export interface TestCase {
  name: string;
  fn: () => void | Promise<void>;
}

const registered: TestCase[] = [];
const prefix: string[] = [];

export function describe(name: string, fn: () => void): void {
  prefix.push(name);
  try {
    fn();
  } finally {
    prefix.pop();
  }
}

export function it(name: string, fn: () => void | Promise<void>): void {
  registered.push({ name: [...prefix, name].join(' › '), fn });
}
export const test = it;

export function registeredTests(): readonly TestCase[] {
  return registered;
}

export class AssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AssertionError';
  }
}

function show(v: unknown): string {
  if (v instanceof Uint8Array) {
    const h = Array.from(v.subarray(0, 24), (b) => b.toString(16).padStart(2, '0')).join('');
    return `Uint8Array(${v.length})[${h}${v.length > 24 ? '…' : ''}]`;
  }
  try {
    return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? `${x}n` : x)) ?? String(v);
  } catch {
    return String(v);
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
    const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    if (a.constructor !== b.constructor || x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
    return true;
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a),
      kb = Object.keys(b);
    return (
      ka.length === kb.length &&
      ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return false;
}

function codeOf(e: unknown): string | undefined {
  return e && typeof e === 'object' && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

export function expect(actual: unknown) {
  const fail = (msg: string): never => {
    throw new AssertionError(msg);
  };
  const api = {
    toBe(expected: unknown) {
      if (!Object.is(actual, expected)) fail(`expected ${show(actual)} to be ${show(expected)}`);
    },
    toEqual(expected: unknown) {
      if (!deepEqual(actual, expected)) fail(`expected ${show(actual)} to equal ${show(expected)}`);
    },
    notToEqual(expected: unknown) {
      if (deepEqual(actual, expected)) fail(`expected ${show(actual)} to differ from ${show(expected)}`);
    },
    toBeTrue() {
      if (actual !== true) fail(`expected true, got ${show(actual)}`);
    },
    toBeFalse() {
      if (actual !== false) fail(`expected false, got ${show(actual)}`);
    },
    toBeGreaterThan(n: number) {
      if (!((actual as number) > n)) fail(`expected ${show(actual)} > ${n}`);
    },
    toBeLessThan(n: number) {
      if (!((actual as number) < n)) fail(`expected ${show(actual)} < ${n}`);
    },
    toHaveLength(n: number) {
      const l = (actual as { length?: number })?.length;
      if (l !== n) fail(`expected length ${n}, got ${show(l)}`);
    },
    toMatch(re: RegExp) {
      if (typeof actual !== 'string' || !re.test(actual)) fail(`expected ${show(actual)} to match ${re}`);
    },
    toBeInstanceOf(c: abstract new (...a: never[]) => unknown) {
      if (!(actual instanceof c)) fail(`expected an instance of ${c.name}`);
    },
    /** `actual` is a function that must throw; with `code`, the error's `code` must match. */
    toThrow(code?: string) {
      let threw = false,
        err: unknown;
      try {
        (actual as () => unknown)();
      } catch (e) {
        threw = true;
        err = e;
      }
      if (!threw) fail(`expected the function to throw${code ? ` ${code}` : ''}`);
      if (code !== undefined && codeOf(err) !== code)
        fail(`expected error code ${code}, got ${codeOf(err)} (${(err as Error)?.message})`);
    },
    /** `actual` is a promise that must reject; with `code`, the error's `code` must match. */
    async rejects(code?: string) {
      let threw = false,
        err: unknown;
      try {
        await (actual as Promise<unknown>);
      } catch (e) {
        threw = true;
        err = e;
      }
      if (!threw) fail(`expected the promise to reject${code ? ` with ${code}` : ''}`);
      if (code !== undefined && codeOf(err) !== code)
        fail(`expected error code ${code}, got ${codeOf(err)} (${(err as Error)?.message})`);
    },
  };
  return api;
}

export interface RunResult {
  passed: number;
  failed: number;
  failures: { name: string; error: string }[];
}

/** Runs every registered test in order; `filter` selects by name. */
export async function runAll(
  opts: { filter?: (name: string) => boolean; log?: (line: string) => void } = {},
): Promise<RunResult> {
  const result: RunResult = { passed: 0, failed: 0, failures: [] };
  for (const t of registered) {
    if (opts.filter && !opts.filter(t.name)) continue;
    try {
      await t.fn();
      result.passed++;
      opts.log?.(`ok   ${t.name}`);
    } catch (e) {
      result.failed++;
      const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      result.failures.push({ name: t.name, error });
      opts.log?.(`FAIL ${t.name}: ${error}`);
    }
  }
  return result;
}
