/**
 * JSON parsing that refuses duplicate member names, for objects read from the
 * wire where two parsers could disagree (JOSE headers and claims: JSON.parse
 * keeps the last duplicate, other parsers keep the first).
 *
 * One linear pass validates the RFC 8259 grammar and records each object's
 * member names; a name is compared after unescaping, and unescaping is done
 * by JSON.parse on the name's own lexeme, so `"\u0061lg"` and `"alg"` are the
 * same name exactly when JSON.parse would make them the same property. The
 * value itself is then built by JSON.parse, so it is the value every other
 * caller of JSON.parse gets. Nesting is bounded, so no input can exhaust the
 * stack or the time budget.
 */

/** Deepest nesting of objects and arrays accepted. */
export const MAX_JSON_DEPTH = 64;

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * Parses `text` like JSON.parse, but refuses duplicate member names and
 * nesting deeper than {@link MAX_JSON_DEPTH}. Every failure is thrown as
 * `fail(reason)`, so each caller raises its own coded error.
 *
 * @example
 * ```ts
 * const header = parseJsonStrict(text, (why) => new JWSInvalid(`JWS Protected Header is invalid: ${why}`))
 * ```
 */
export function parseJsonStrict(text: string, fail: (reason: string) => Error): unknown {
  if (typeof text !== 'string') throw fail('JSON text must be a string');
  // One frame per open object/array: the member names seen so far (objects) or null (arrays).
  const stack: (Set<string> | null)[] = [];
  let i = 0;
  const n = text.length;
  const skipWs = () => {
    while (i < n && WS.has(text.charCodeAt(i))) i++;
  };
  const syntax = (what: string): never => {
    throw fail(`invalid JSON at offset ${i}: ${what}`);
  };
  /** Scans a string lexeme starting at the opening quote; returns the offset past the closing quote. */
  const scanString = (): number => {
    i++; // opening quote
    for (;;) {
      if (i >= n) syntax('unterminated string');
      const c = text.charCodeAt(i);
      if (c === 0x22) return ++i;
      if (c < 0x20) syntax('control character in string');
      if (c === 0x5c) {
        const e = text.charCodeAt(i + 1);
        if (e === 0x75) {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) syntax('bad \\u escape');
          i += 6;
        } else if (
          e === 0x22 ||
          e === 0x5c ||
          e === 0x2f ||
          e === 0x62 ||
          e === 0x66 ||
          e === 0x6e ||
          e === 0x72 ||
          e === 0x74
        ) {
          i += 2;
        } else syntax('bad escape');
      } else i++;
    }
  };
  const digits = (): number => {
    const start = i;
    while (i < n && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
    return i - start;
  };
  const scanNumber = () => {
    if (text.charCodeAt(i) === 0x2d) i++;
    if (text.charCodeAt(i) === 0x30) i++;
    else if (digits() === 0) syntax('bad number');
    if (text.charCodeAt(i) === 0x2e) {
      i++;
      if (digits() === 0) syntax('bad fraction');
    }
    const e = text.charCodeAt(i);
    if (e === 0x65 || e === 0x45) {
      i++;
      const s = text.charCodeAt(i);
      if (s === 0x2b || s === 0x2d) i++;
      if (digits() === 0) syntax('bad exponent');
    }
  };
  const literal = (word: string) => {
    if (!text.startsWith(word, i)) syntax('unexpected token');
    i += word.length;
  };

  // A value is expected at i; scalars are consumed here, containers push a frame.
  const value = () => {
    skipWs();
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) {
      if (stack.length >= MAX_JSON_DEPTH) syntax(`nesting deeper than ${MAX_JSON_DEPTH}`);
      i++;
      stack.push(c === 0x7b ? new Set() : null);
      return true; // container opened
    }
    if (c === 0x22) scanString();
    else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) scanNumber();
    else if (c === 0x74) literal('true');
    else if (c === 0x66) literal('false');
    else if (c === 0x6e) literal('null');
    else syntax(i >= n ? 'unexpected end' : 'unexpected token');
    return false;
  };
  const memberName = (names: Set<string>) => {
    skipWs();
    if (text.charCodeAt(i) !== 0x22) syntax('expected a member name');
    const start = i;
    const end = scanString();
    const raw = text.slice(start, end);
    // Names without a backslash are their own value; others are unescaped exactly as JSON.parse does.
    const name = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1);
    if (names.has(name)) throw fail(`duplicate member name ${JSON.stringify(name)}`);
    names.add(name);
    skipWs();
    if (text.charCodeAt(i) !== 0x3a) syntax('expected ":"');
    i++;
  };

  let opened = value();
  for (;;) {
    const top = stack[stack.length - 1];
    if (top === undefined) break;
    skipWs();
    const c = text.charCodeAt(i);
    const closer = top === null ? 0x5d : 0x7d;
    if (opened) {
      opened = false;
      if (c === closer) {
        i++;
        stack.pop();
        continue;
      }
    } else if (c === closer) {
      i++;
      stack.pop();
      continue;
    } else if (c === 0x2c) i++;
    else syntax(`expected "," or "${String.fromCharCode(closer)}"`);
    if (top !== null) memberName(top);
    opened = value();
  }
  skipWs();
  if (i !== n) syntax('trailing characters');
  try {
    return JSON.parse(text);
  } catch (e) {
    // Unreachable when the scan above is right; still a coded failure, never a SyntaxError.
    throw fail(`invalid JSON: ${(e as Error).message}`);
  }
}
