/**
 * The small Vault-style HTTP kit that every fetch handler of the SDK is built on (transit, PKI): one canonical
 * path per request, JSON bodies read under a byte and depth limit, request ids, constant-time token matching,
 * and responses in Vault's shape.
 *
 * Why one canonical path: a router that drops empty segments while the policy check matches the raw path lets
 * `decrypt/app-payroll/` slip past a `deny` on `decrypt/app-payroll` (issue 18, item 2). Every handler here
 * computes {@link canonicalPath} once and both routes and authorizes on that same value.
 *
 * Refuse, not collapse: any spelling that is not the one canonical form is answered with 400
 * (`ERR_HTTP_BAD_PATH`) instead of being rewritten to it. Collapsing would be equally safe for authorization
 * (both sides see the collapsed value) but keeps alternative spellings alive for caches, proxies and audit
 * readers that do not collapse the same way; refusing leaves exactly one spelling per resource. Vault clients
 * never send the refused forms.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { QsignError } from '../errors.js';
import { equalBytes, utf8 } from '../util/bytes.js';
import { httpError, HttpErrorCodes, httpStatusOfCode } from './errors.js';

/** A parsed JSON request body. Read fields with {@link field}, never by plain indexing. */
export type JsonObject = Record<string, unknown>;

const HEX = /^[0-9A-Fa-f]{2}$/;
// Controls, DEL, and the characters that would change the meaning of a decoded segment.
// eslint-disable-next-line no-control-regex
const FORBIDDEN_DECODED = /[\u0000-\u001f\u007f/\\%;]/;
const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The canonical form of a URL path: percent-decoded exactly once, segment by segment. Throws
 * `ERR_HTTP_BAD_PATH` for anything that is not already canonical: an empty segment (`//`, a trailing `/`),
 * a `.` or `..` segment (also when percent-encoded), a segment that decodes to `/`, `\`, `%` (double
 * encoding), `;`, a control character or invalid UTF-8, or a malformed `%` escape. Case is kept: paths are
 * case-sensitive, as in Vault. Only `/` itself is accepted with an empty segment.
 *
 * @example
 * ```ts
 * canonicalPath('/v1/oqs-transit/decrypt/p%61yroll'); // '/v1/oqs-transit/decrypt/payroll'
 * canonicalPath('/v1/oqs-transit/decrypt/payroll/');  // throws ERR_HTTP_BAD_PATH
 * ```
 */
export function canonicalPath(pathname: string): string {
  const bad = (why: string) => httpError(HttpErrorCodes.BAD_PATH, `request path is not canonical: ${why}`);
  if (typeof pathname !== 'string' || !pathname.startsWith('/')) throw bad('it must start with "/"');
  if (pathname === '/') return '/';
  const out: string[] = [];
  for (const raw of pathname.slice(1).split('/')) {
    if (raw === '') throw bad('empty segment ("//" or a trailing "/")');
    const bytes: number[] = [];
    for (let i = 0; i < raw.length; i++) {
      const c = raw.charCodeAt(i);
      if (c === 0x25) {
        const hex = raw.slice(i + 1, i + 3);
        if (!HEX.test(hex)) throw bad('malformed percent escape');
        bytes.push(parseInt(hex, 16));
        i += 2;
      } else if (c > 0x20 && c < 0x7f) bytes.push(c);
      else throw bad('a character outside printable ASCII is not percent-encoded');
    }
    let seg: string;
    try {
      seg = fatalUtf8.decode(new Uint8Array(bytes));
    } catch {
      throw bad('a segment is not valid UTF-8');
    }
    if (seg === '.' || seg === '..') throw bad('"." or ".." segment');
    if (FORBIDDEN_DECODED.test(seg)) throw bad('a segment holds "/", "\\", "%", ";" or a control character');
    out.push(seg);
  }
  return '/' + out.join('/');
}

/**
 * Checks a raw HTTP request target (`req.url` of node:http) before it is turned into a URL: origin form only
 * (`/path?query`), with a canonical path. Returns the target unchanged so it can be appended to a fixed origin;
 * the Host header never takes part (issue 18, item 3).
 */
export function checkRequestTarget(target: string): string {
  if (typeof target !== 'string' || !target.startsWith('/'))
    throw httpError(HttpErrorCodes.BAD_PATH, 'request target must be a path ("/…"), not an absolute URL or "*"');
  const q = target.search(/[?#]/);
  canonicalPath(q < 0 ? target : target.slice(0, q));
  return target;
}

// A DNS name (a trailing root dot allowed), an IPv4 address, or a bracketed IPv6 address; then an optional port.
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9._~-]*[A-Za-z0-9])?\.?)(?::(\d{1,5}))?$/;

/** True for a Host header value of the form host[:port] (a DNS name, IPv4 address or `[IPv6]`). */
export function isValidHost(host: string): boolean {
  const m = HOST.exec(host);
  return m !== null && (m[1] === undefined || Number(m[1]) <= 65535);
}

/**
 * The canonical path of a fetch `Request`, the one value a handler routes and authorizes on. Some runtimes
 * (Deno.serve) build `req.url` from the Host header, so `Host: x/v1/…?` would move the path into the URL; a
 * Host header that is not a plain host[:port] is therefore refused (`ERR_HTTP_BAD_HOST`) before the URL is
 * read. Throws `ERR_HTTP_BAD_PATH` for a non-canonical path (see {@link canonicalPath}).
 *
 * @example
 * ```ts
 * const path = requestPath(req); // e.g. '/v1/oqs-transit/encrypt/app'
 * ```
 */
export function requestPath(req: Request): string {
  const host = req.headers.get('host');
  if (host !== null && !isValidHost(host))
    throw httpError(HttpErrorCodes.BAD_HOST, 'the Host header must be host[:port]');
  return canonicalPath(new URL(req.url).pathname);
}

/** The value of an own property of a parsed body (never one inherited from `Object.prototype`). */
export function field(body: JsonObject, name: string): unknown {
  return Object.hasOwn(body, name) ? body[name] : undefined;
}

/** Deepest bracket nesting in JSON text (strings skipped). */
function jsonDepth(text: string): number {
  let depth = 0,
    max = 0,
    inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) max = depth;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/** Limits of {@link readJsonBody}. */
export interface BodyLimits {
  /** Largest body in bytes; more is `ERR_HTTP_BODY_TOO_LARGE`, detected while streaming (never buffered whole). */
  maxBytes: number;
  /**
   * Deepest nesting (default 32). Vault bodies nest 3 levels at most; a body nesting thousands deep would parse,
   * then overflow the stack of every recursive walk over it (audit redaction), so it is refused first.
   */
  maxDepth?: number;
}

/** Default body limit of every handler on the kit: 32 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * Reads a JSON object body under a byte limit (checked against Content-Length first, then while streaming) and
 * a depth limit. An empty body is `{}`.
 *
 * @example
 * ```ts
 * const body = await readJsonBody(req, { maxBytes: DEFAULT_MAX_BODY_BYTES });
 * const name = field(body, 'common_name');
 * ```
 */
export async function readJsonBody(req: Request, limits: BodyLimits): Promise<JsonObject> {
  const max = limits.maxBytes;
  const tooLarge = () => httpError(HttpErrorCodes.BODY_TOO_LARGE, `request body is larger than ${max} bytes`);
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (declared > max) throw tooLarge();
  const parts: Uint8Array[] = [];
  let total = 0;
  if (req.body) {
    const reader = req.body.getReader();
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      total += r.value.length;
      if (total > max) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      parts.push(r.value);
    }
  } else if (!req.bodyUsed) {
    // Firefox's Request has no `body` stream even when it carries one; the
    // declared length was checked above, and the read is re-checked here.
    const buf = new Uint8Array(await req.arrayBuffer());
    if (buf.length > max) throw tooLarge();
    total = buf.length;
    parts.push(buf);
  }
  if (total === 0) return {};
  const all = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  const text = new TextDecoder().decode(all);
  const maxDepth = limits.maxDepth ?? 32;
  if (jsonDepth(text) > maxDepth)
    throw httpError(HttpErrorCodes.BAD_BODY, `request body nests deeper than ${maxDepth} levels`);
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw httpError(HttpErrorCodes.BAD_BODY, 'request body is not valid JSON');
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw httpError(HttpErrorCodes.BAD_BODY, 'request body must be a JSON object');
  return v as JsonObject;
}

/** A fresh request id (a random UUID, as Vault's). */
export function requestId(): string {
  return globalThis.crypto.randomUUID();
}

/**
 * Matches a presented token against configured ones in constant time: each is compared as a SHA-256 digest,
 * against *every* entry, so timing reveals neither a prefix match nor which entry matched. Tokens shorter than
 * 8 characters are refused at creation (`ERR_HTTP_CONFIG`): they are guessable over the network.
 *
 * @example
 * ```ts
 * const match = createTokenMatcher([{ token: process.env.TOKEN!, value: ['root'] }]);
 * const policies = match(req.headers.get('x-vault-token')); // undefined when unknown
 * ```
 */
export function createTokenMatcher<T>(
  entries: readonly { token: string; value: T }[],
): (presented: string | null | undefined) => T | undefined {
  const digests = entries.map((e) => {
    if (typeof e.token !== 'string' || e.token.length < 8)
      throw httpError(HttpErrorCodes.CONFIG, 'tokens must be strings of at least 8 characters');
    return { digest: sha256(utf8(e.token)), value: e.value };
  });
  return (presented) => {
    if (typeof presented !== 'string' || presented.length === 0) return undefined;
    const d = sha256(utf8(presented));
    let found: T | undefined;
    let hit = false;
    for (const e of digests) {
      const same = equalBytes(e.digest, d);
      if (same && !hit) found = e.value;
      hit ||= same;
    }
    return found;
  };
}

/** A JSON response (no body for 204). */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: status === 204 ? headers : { 'content-type': 'application/json', ...headers },
  });
}

/** Vault's success envelope around `data`. */
export function vaultEnvelope(id: string, data: unknown, warnings: string[] | null = null): JsonObject {
  return {
    request_id: id,
    lease_id: '',
    renewable: false,
    lease_duration: 0,
    data,
    wrap_info: null,
    warnings,
    auth: null,
  };
}

/** What a handler answers for one error: status and the message clients see. */
export type ErrorDescription = { status: number; message: string };

/**
 * Vault's error shape, `{"errors": [message]}` (plus `error_code` when the handler reports codes), with the
 * status and message `describe` gives; without one, kit codes answer their own status and other coded errors
 * 400 with their message. Anything that is not a `QsignError` is 500 with no detail (internal failures may
 * name files or keys).
 */
export function vaultErrorResponse(
  e: unknown,
  describe: (e: QsignError) => ErrorDescription | undefined = () => undefined,
  opts: { withCode?: boolean } = {},
): Response {
  const d: ErrorDescription =
    e instanceof QsignError
      ? (describe(e) ?? { status: httpStatusOfCode(e.code) ?? 400, message: e.message })
      : { status: 500, message: 'internal error' };
  const code = e instanceof QsignError ? e.code : 'ERR_INTERNAL';
  return jsonResponse(d.status, opts.withCode ? { errors: [d.message], error_code: code } : { errors: [d.message] });
}
