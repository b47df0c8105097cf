/**
 * PEM (RFC 7468) framing: labels, BEGIN/END lines, 64-column wrapping. The
 * base64 inside is the SDK's one codec (`src/util/codec.ts`), strict: a body
 * with non-zero trailing bits or stray characters is refused.
 */
import { QsignError } from '../errors.js';
import { fromBase64, toBase64 } from '../util/codec.js';

/** One PEM block: its label (e.g. `CERTIFICATE`) and DER contents. */
export interface PemBlock {
  label: string;
  der: Uint8Array;
}

const badBase64 = (label: string) => () => new QsignError('ERR_PEM', `PEM block "${label}" has invalid base64`);

/** PEM text of `der` under `label`, base64 wrapped at 64 columns, ending in a newline. */
export function pemEncode(label: string, der: Uint8Array): string {
  if (typeof label !== 'string' || !/^[A-Z0-9 ]{1,64}$/.test(label))
    throw new QsignError('ERR_PEM', 'a PEM label is 1 to 64 characters A-Z, 0-9 or space');
  if (!(der instanceof Uint8Array)) throw new QsignError('ERR_INVALID_ARGUMENT', 'PEM contents must be DER bytes');
  const b64 = toBase64(der);
  const lines = [`-----BEGIN ${label}-----`];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  lines.push(`-----END ${label}-----`, '');
  return lines.join('\n');
}

/** Largest PEM text read (a whole CA bundle fits: Mozilla's is ~250 KiB); refused before any scanning. */
export const MAX_PEM_CHARS = 8 * 1024 * 1024;

/** Longest label accepted in a BEGIN/END line; RFC 7468 labels are a few words. */
const MAX_LABEL_CHARS = 64;
const BEGIN = '-----BEGIN ';
const END = '-----END ';
const DASHES = '-----';

/**
 * The label of a `-----BEGIN label-----` / `-----END label-----` line whose
 * label starts at `from`, and the offset just past its closing dashes; or
 * undefined when the label is not `[A-Z0-9 ]+` closed by five dashes. Reads at
 * most MAX_LABEL_CHARS + 5 characters, which keeps the whole scan linear.
 */
function readLabel(text: string, from: number): { label: string; next: number } | undefined {
  let at = from;
  const stop = Math.min(text.length, from + MAX_LABEL_CHARS);
  while (at < stop) {
    const c = text.charCodeAt(at);
    const ok = (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x20;
    if (!ok) break;
    at++;
  }
  if (at === from || !text.startsWith(DASHES, at)) return undefined;
  return { label: text.slice(from, at), next: at + DASHES.length };
}

/**
 * Every PEM block in `text`, in order (explanatory text between blocks is
 * ignored). A single forward scan: each character is looked at a bounded
 * number of times, so hostile input (thousands of BEGIN lines and no END)
 * costs linear time — the lazy `BEGIN…END` regex this replaces was quadratic.
 */
export function pemDecodeAll(text: string): PemBlock[] {
  if (typeof text !== 'string')
    throw new QsignError('ERR_PEM', `PEM input must be a string, got ${text === null ? 'null' : typeof text}`);
  if (text.length > MAX_PEM_CHARS)
    throw new QsignError(
      'ERR_PEM',
      `PEM text of ${text.length} characters exceeds the ${MAX_PEM_CHARS}-character limit`,
    );
  const out: PemBlock[] = [];
  let pos = 0;
  for (;;) {
    const begin = text.indexOf(BEGIN, pos);
    if (begin < 0) break;
    const head = readLabel(text, begin + BEGIN.length);
    if (!head) {
      // Not a BEGIN line (e.g. lower-case label): explanatory text, keep looking after it.
      pos = begin + BEGIN.length;
      continue;
    }
    const end = text.indexOf(END, head.next);
    if (end < 0) throw new QsignError('ERR_PEM', `PEM block "${head.label}" has no END line`);
    const body = text.slice(head.next, end);
    // A BEGIN inside the body means the block above it was never closed.
    if (body.includes(BEGIN)) throw new QsignError('ERR_PEM', `PEM block "${head.label}" has no END line`);
    const tail = readLabel(text, end + END.length);
    if (!tail) throw new QsignError('ERR_PEM', `PEM block "${head.label}" has a malformed END line`);
    if (tail.label !== head.label)
      throw new QsignError('ERR_PEM', `PEM block BEGIN ${head.label} ends with END ${tail.label}`);
    // RFC 7468 allows headers only in legacy encrypted keys, which we do not read.
    if (body.includes(':'))
      throw new QsignError('ERR_PEM', `PEM block "${head.label}" has headers (encrypted PEM is not supported)`);
    out.push({ label: head.label, der: fromBase64(body.replace(/\s+/g, ''), badBase64(head.label)) });
    pos = tail.next;
  }
  return out;
}

/**
 * DER of the first PEM block with `label` (any label when omitted). Throws
 * ERR_PEM when there is none.
 */
export function pemDecode(text: string, label?: string): Uint8Array {
  const blocks = pemDecodeAll(text);
  const hit = label === undefined ? blocks[0] : blocks.find((b) => b.label === label);
  if (!hit) throw new QsignError('ERR_PEM', label ? `no "${label}" PEM block found` : 'no PEM block found');
  return hit.der;
}

/** True when `data` looks like PEM text rather than DER bytes. */
export function isPem(data: string | Uint8Array): boolean {
  if (typeof data !== 'string' && !(data instanceof Uint8Array)) return false;
  if (typeof data === 'string') return data.includes('-----BEGIN ');
  // DER starts with 0x30 (SEQUENCE); PEM with '-' or whitespace.
  return data.length > 0 && data[0] !== 0x30 && new TextDecoder().decode(data.subarray(0, 200)).includes('-----BEGIN ');
}

/** DER from PEM text/bytes or DER bytes, checking the PEM label when given. */
export function toDer(data: string | Uint8Array, label?: string): Uint8Array {
  if (typeof data === 'string') return pemDecode(data, label);
  // Untyped callers (JSON, CLI) can pass anything; refuse it with a typed error, not a TypeError.
  if (!(data instanceof Uint8Array))
    throw new QsignError(
      'ERR_INVALID_ARGUMENT',
      `expected PEM text or DER bytes (Uint8Array), got ${data === null ? 'null' : typeof data}`,
    );
  if (isPem(data)) return pemDecode(new TextDecoder().decode(data), label);
  // A Node Buffer's slice() is a view, not a copy; work on a plain Uint8Array
  // so every key we hand out is an independent copy of the input.
  return data.constructor === Uint8Array ? data : new Uint8Array(data);
}
