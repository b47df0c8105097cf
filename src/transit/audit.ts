/**
 * Append-only audit log, one JSON object per line, for every request and
 * every response (errors included), like Vault's audit devices.
 *
 * Nothing secret is ever written: the token and every string value in request
 * and response data are replaced by `hmac-sha256:<hex>` under a per-log HMAC
 * key, except a short allowlist of non-sensitive fields (key name, type,
 * versions, reference counts). Operators holding the HMAC key can still check
 * "was this ciphertext/token used?" by computing the HMAC themselves
 * (`AuditLog.hash`), as with Vault's `sys/audit-hash`.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes, toHex, utf8 } from '../util/bytes.js';

/** Where audit lines go; `write` receives one complete JSON line (no newline). */
export interface AuditSink {
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

export class AuditLog {
  private readonly key: Uint8Array;
  constructor(
    private readonly sink: AuditSink,
    opts: { hmacKey?: Uint8Array } = {},
  ) {
    this.key = opts.hmacKey ?? randomBytes(32);
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
