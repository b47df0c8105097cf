/**
 * Append-only audit log, one JSON object per line, for every request and
 * every response (errors included), like Vault's audit devices.
 *
 * Nothing a client sent is ever written in the clear: the token and every
 * string value of the request are replaced by `hmac-sha256:<hex>`, and so is
 * every request value an error message quotes. Response data keeps a short
 * allowlist of non-sensitive server-produced fields (key name, type, versions)
 * readable. Operators holding the HMAC key can still check "was this
 * ciphertext/token used?" by computing the HMAC themselves (`AuditLog.hash`),
 * as with Vault's `sys/audit-hash`.
 *
 * The HMAC key is persisted: {@link AuditLog.fromKeyring} keeps it in the
 * keyring's store, sealed under the master key like every private key, so
 * hashes written before and after a restart compare.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes, toHex, utf8 } from '../util/bytes.js';

/** The part of a keyring the audit log needs: its persisted, sealed audit HMAC key. */
export interface AuditKeySource {
  /** The 32-byte audit HMAC key, created and sealed in the store on first use, the same bytes on every later call. */
  auditHmacKey(): Promise<Uint8Array>;
}

/** Where audit lines go; `write` receives one complete JSON line (no newline). */
export interface AuditSink {
  /** Appends one line; a returned promise is awaited before the handler answers the request. */
  write(line: string): void | Promise<void>;
}

/** Fields whose values are not sensitive and stay readable. */
const CLEAR_FIELDS = new Set([
  'type',
  'name',
  'key_version',
  'latest_version',
  'min_decryption_version',
  'min_encryption_version',
  'min_available_version',
  'deletion_allowed',
  'exportable',
  'bits',
  'valid',
  'partial_failure_response_code',
  'auto_rotate_period',
  'parameter_set',
  'force',
  'supports_encryption',
  'supports_decryption',
  'supports_signing',
]);

/**
 * One audit line as the transit handler writes it, with field names as in Vault's audit log; sensitive
 * values (`client_token`, request `data`, quoted values in `error`) are already HMAC'd.
 *
 * @example
 * ```ts
 * const sink = memoryAuditSink();
 * // … after a request through a handler built with { audit: new AuditLog(sink) }:
 * const rec: AuditRecord = JSON.parse(sink.lines[0]!);
 * console.log(rec.type, rec.path, rec.client_token); // 'request' 'oqs-transit/encrypt/app' 'hmac-sha256:…'
 * ```
 */
export interface AuditRecord {
  time: string;
  type: 'request' | 'response';
  request_id: string;
  method: string;
  path: string;
  remote_address?: string;
  client_token?: string;
  display_name?: string;
  policies?: string[];
  data?: unknown;
  status?: number;
  error?: string;
  error_code?: string;
  duration_ms?: number;
}

/** Writes audit entries with every request value HMAC'd. */
export class AuditLog {
  private readonly key: Uint8Array;
  /**
   * Without `hmacKey` the key is random for this process only (tests, dev servers): hashes then do not compare
   * across restarts. Servers use {@link AuditLog.fromKeyring}.
   */
  constructor(
    private readonly sink: AuditSink,
    opts: { hmacKey?: Uint8Array } = {},
  ) {
    this.key = opts.hmacKey ?? randomBytes(32);
  }

  /**
   * An audit log whose HMAC key is the keyring's persisted audit key (created on first use, sealed under the
   * master key in the keyring's store), so hashes compare across restarts and between servers sharing a store.
   *
   * @example
   * ```ts
   * const audit = await AuditLog.fromKeyring(fileAuditSink('audit.log'), keyring);
   * ```
   */
  static async fromKeyring(sink: AuditSink, keyring: AuditKeySource): Promise<AuditLog> {
    return new AuditLog(sink, { hmacKey: await keyring.auditHmacKey() });
  }

  /** The value the log shows for a sensitive string. */
  hash(value: string): string {
    return 'hmac-sha256:' + toHex(hmac(sha256, this.key, utf8(value)));
  }

  /** Replaces every string (outside CLEAR_FIELDS) by its HMAC; numbers and booleans stay. */
  redact(v: unknown, field?: string): unknown {
    if (typeof v === 'string') return field !== undefined && CLEAR_FIELDS.has(field) ? v : this.hash(v);
    if (Array.isArray(v)) return v.map((x) => this.redact(x, field === 'keys' ? 'name' : undefined));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = this.redact(x, k);
      return out;
    }
    return v;
  }

  /** Request data: every string is HMAC'd, whatever its field (a client may put anything anywhere). */
  redactRequest(v: unknown): unknown {
    if (typeof v === 'string') return this.hash(v);
    if (Array.isArray(v)) return v.map((x) => this.redactRequest(x));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = this.redactRequest(x);
      return out;
    }
    return v;
  }

  /**
   * An error message with the request values it may quote replaced by their HMACs: every `"…"` span that is not
   * a field name, and every occurrence of a request string value of 4 or more characters.
   */
  redactMessage(message: string, request: unknown): string {
    const values = new Set<string>();
    const keys = new Set<string>();
    const walk = (v: unknown): void => {
      if (typeof v === 'string') values.add(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object')
        for (const [k, x] of Object.entries(v)) {
          keys.add(k);
          walk(x);
        }
    };
    walk(request);
    // Values first, into placeholders (delimited by a private-use character stripped from the message first),
    // so no later replacement can match inside an inserted hash.
    const hashes: string[] = [];
    const hold = (v: string) => `\ue000${hashes.push(this.hash(v)) - 1}\ue000`;
    let out = message.replace(/\ue000/g, '');
    for (const v of [...values]
      .filter((x) => x.length >= 4 && !x.includes('\ue000'))
      .sort((a, b) => b.length - a.length))
      if (out.includes(v)) out = out.split(v).join(hold(v));
    out = out.replace(/"([^"\ue000]*)"/g, (m, inner: string) => (keys.has(inner) ? m : `"${hold(inner)}"`));
    out = out.replace(/\ue000(\d+)\ue000/g, (_, i: string) => hashes[Number(i)]!);
    return out;
  }

  /** Writes one record (already redacted by the caller) to the sink as a JSON line. */
  async write(rec: AuditRecord): Promise<void> {
    await this.sink.write(JSON.stringify(rec));
  }
}

/** Keeps lines in memory (tests, dev servers). */
export function memoryAuditSink(): AuditSink & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    write(line) {
      lines.push(line);
    },
  };
}
