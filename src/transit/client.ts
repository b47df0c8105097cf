/**
 * `TransitClient`: the `Keyring` API over HTTP (fetch), for any runtime. It
 * speaks the same JSON as Vault Transit, so it also works against a Vault or
 * OpenBao server for the operations they share. Failures come back as
 * QsignError with the same codes the keyring throws, recovered from the
 * status and message.
 */
import { QsignError } from '../errors.js';
import { fromBase64, toBase64 } from './base64.js';
import { TransitErrorCodes, type TransitErrorCode } from './errors.js';
import { versionOf } from './versioned.js';
import type { DataKeyOptions, DecryptOptions, EncryptOptions, SignOptions } from './keyring.js';
import type { CreateKeyOptions, KeyConfig, KeyInfo, KeyType } from './types.js';

/**
 * Where a {@link TransitClient} connects and how it authenticates.
 *
 * @example
 * ```ts
 * const client = new TransitClient({ address: 'http://127.0.0.1:8200', token: process.env.VAULT_TOKEN!, mount: 'oqs-transit' });
 * ```
 */
export interface TransitClientOptions {
  /** Server base URL, e.g. `http://127.0.0.1:8200`. */
  address: string;
  /** The Vault token sent as `X-Vault-Token`. */
  token: string;
  /** Mount path under /v1/ (default `oqs-transit`; `transit` for a Vault/OpenBao transit engine). */
  mount?: string;
  /** Replacement fetch (a Worker service binding, tests); default the global `fetch`. */
  fetch?: typeof fetch;
}

/**
 * One item of a batch answer, in Vault's `batch_results` shape: the field the operation produces, or `error`.
 *
 * @example
 * ```ts
 * const { status, results } = await client.batch('encrypt', 'app', [{ plaintext: toBase64(a), reference: 'a' }]);
 * for (const r of results) console.log(r.reference, r.error ?? r.ciphertext);
 * ```
 */
export interface BatchResult {
  ciphertext?: string;
  plaintext?: string;
  signature?: string;
  valid?: boolean;
  key_version?: number;
  reference?: string;
  error?: string;
}

const MESSAGE_CODES: Record<string, TransitErrorCode> = {
  'encryption key not found': TransitErrorCodes.KEY_NOT_FOUND,
  'invalid ciphertext format': TransitErrorCodes.INVALID_CIPHERTEXT,
  'key version no longer supported': TransitErrorCodes.VERSION_DISALLOWED,
  'decryption failed': TransitErrorCodes.DECRYPTION_FAILED,
  'insufficient resources': TransitErrorCodes.LIMIT_EXCEEDED,
  'request timeout': TransitErrorCodes.TIMEOUT,
  'permission denied': TransitErrorCodes.PERMISSION_DENIED,
  // The one 500 with a fixed text of its own: a key record in the store that failed its MAC.
  'key record failed its integrity check': TransitErrorCodes.RECORD_TAMPERED,
};

function codeFor(status: number, message: string): TransitErrorCode {
  // Own properties only: a server message such as "constructor" must not find Object.prototype's.
  if (Object.hasOwn(MESSAGE_CODES, message)) return MESSAGE_CODES[message]!;
  if (status === 403) return TransitErrorCodes.PERMISSION_DENIED;
  if (status === 404) return TransitErrorCodes.KEY_NOT_FOUND;
  if (status === 400) return TransitErrorCodes.INVALID_REQUEST;
  return TransitErrorCodes.HTTP;
}

const b64 = (v: Uint8Array | undefined) => (v === undefined ? undefined : toBase64(v));

/**
 * The `Keyring` API over HTTP (fetch), for any runtime; speaks Vault Transit's JSON, so it also works against
 * a Vault or OpenBao server for the operations they share. Failures are `QsignError`s with the keyring's codes.
 *
 * @example
 * ```ts
 * import { TransitClient } from 'qsign-pqc/transit';
 * const client = new TransitClient({ address: 'http://127.0.0.1:8200', token: process.env.VAULT_TOKEN! });
 * await client.createKey('app', { type: 'ml-kem-768' });
 * const { ciphertext } = await client.encrypt('app', new TextEncoder().encode('secret')); // "vault:v1:…"
 * const { plaintext } = await client.decrypt('app', ciphertext);
 * ```
 */
export class TransitClient {
  private readonly base: string;
  private readonly f: typeof fetch;
  constructor(private readonly opts: TransitClientOptions) {
    this.base = `${opts.address.replace(/\/+$/, '')}/v1/${(opts.mount ?? 'oqs-transit').replace(/^\/+|\/+$/g, '')}/`;
    this.f = opts.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /**
   * One request; resolves to the response JSON (or null for 204). The JSON is
   * untyped wire data: each method below reads and converts the fields it needs.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async request(method: string, path: string, body?: unknown, okStatuses: number[] = []): Promise<any> {
    let res: Response;
    try {
      res = await this.f(this.base + path, {
        method,
        headers: {
          'x-vault-token': this.opts.token,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      // fetch rejects with a bare TypeError("fetch failed"); the reason is in its cause.
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      const why = cause?.code ?? cause?.message ?? (e as Error).message;
      throw new QsignError(TransitErrorCodes.UNREACHABLE, `cannot reach ${this.opts.address}: ${why}`, { cause: e });
    }
    if (res.status === 204) return null;
    const text = await res.text();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let parsed: any;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = { errors: [text] };
    }
    if (res.ok || okStatuses.includes(res.status)) return parsed;
    const message =
      Array.isArray(parsed.errors) && parsed.errors.length ? String(parsed.errors[0]) : `HTTP ${res.status}`;
    const e = new QsignError(codeFor(res.status, message), message);
    (e as QsignError & { status?: number; body?: unknown }).status = res.status;
    (e as QsignError & { status?: number; body?: unknown }).body = parsed;
    throw e;
  }

  private enc(name: string) {
    return encodeURIComponent(name);
  }

  /** `POST keys/:name`: creates a key (our server's default type: `ml-kem-768`) and returns its info. */
  async createKey(name: string, opts: CreateKeyOptions = {}): Promise<KeyInfo> {
    return (await this.request('POST', `keys/${this.enc(name)}`, opts)).data;
  }
  /** `GET keys/:name`: the key's info (type, versions, public keys, policy). */
  async readKey(name: string): Promise<KeyInfo> {
    return (await this.request('GET', `keys/${this.enc(name)}`)).data;
  }
  /** `LIST keys` (sent as `GET keys?list=true`): the key names; empty when there are none. */
  async listKeys(): Promise<string[]> {
    // GET ?list=true rather than the LIST verb: some runtimes (workerd) and proxies refuse unknown methods.
    try {
      return (await this.request('GET', 'keys?list=true')).data.keys;
    } catch (e) {
      // Vault answers an empty LIST with 404.
      if ((e as { status?: number }).status === 404) return [];
      throw e;
    }
  }
  /** `POST keys/:name/config`: changes the key's policy (min versions, deletion_allowed, …) and returns its info. */
  async configKey(name: string, cfg: KeyConfig): Promise<KeyInfo> {
    return (await this.request('POST', `keys/${this.enc(name)}/config`, cfg)).data;
  }
  /** `POST keys/:name/rotate`: adds a new latest version and returns the key's info. */
  async rotateKey(name: string): Promise<KeyInfo> {
    return (await this.request('POST', `keys/${this.enc(name)}/rotate`, {})).data;
  }
  /** `POST keys/:name/trim`: deletes the versions below `minAvailableVersion` for good. */
  async trimKey(name: string, minAvailableVersion: number): Promise<KeyInfo> {
    return (await this.request('POST', `keys/${this.enc(name)}/trim`, { min_available_version: minAvailableVersion }))
      .data;
  }
  /** `DELETE keys/:name`: deletes the key (only when its config allows deletion). */
  async deleteKey(name: string): Promise<void> {
    await this.request('DELETE', `keys/${this.enc(name)}`);
  }
  /** `POST encrypt/:name`: a `vault:vN:` ciphertext of `plaintext` under the latest (or given) key version. */
  async encrypt(
    name: string,
    plaintext: Uint8Array,
    opts: EncryptOptions = {},
  ): Promise<{ ciphertext: string; keyVersion: number }> {
    const d = (
      await this.request('POST', `encrypt/${this.enc(name)}`, {
        plaintext: toBase64(plaintext),
        associated_data: b64(opts.associatedData),
        key_version: opts.keyVersion,
      })
    ).data;
    return { ciphertext: d.ciphertext, keyVersion: d.key_version };
  }
  /** `POST decrypt/:name`: the plaintext of a `vault:vN:` ciphertext, and the version it was sealed under. */
  async decrypt(
    name: string,
    ciphertext: string,
    opts: DecryptOptions = {},
  ): Promise<{ plaintext: Uint8Array; keyVersion: number }> {
    const d = (
      await this.request('POST', `decrypt/${this.enc(name)}`, { ciphertext, associated_data: b64(opts.associatedData) })
    ).data;
    return { plaintext: fromBase64(d.plaintext), keyVersion: versionOf(ciphertext) };
  }
  /** `POST rewrap/:name`: the ciphertext re-encrypted under the latest (or given) version, the plaintext never leaving the server. */
  async rewrap(
    name: string,
    ciphertext: string,
    opts: EncryptOptions = {},
  ): Promise<{ ciphertext: string; keyVersion: number }> {
    const d = (
      await this.request('POST', `rewrap/${this.enc(name)}`, {
        ciphertext,
        associated_data: b64(opts.associatedData),
        key_version: opts.keyVersion,
      })
    ).data;
    return { ciphertext: d.ciphertext, keyVersion: d.key_version };
  }
  /** `POST datakey/:mode/:name`: a fresh data key wrapped under the key, with its plaintext too in `plaintext` mode. */
  async dataKey(
    name: string,
    mode: 'plaintext' | 'wrapped',
    opts: DataKeyOptions = {},
  ): Promise<{ ciphertext: string; keyVersion: number; plaintext?: Uint8Array }> {
    const d = (
      await this.request('POST', `datakey/${mode}/${this.enc(name)}`, {
        bits: opts.bits,
        associated_data: b64(opts.associatedData),
        key_version: opts.keyVersion,
      })
    ).data;
    return {
      ciphertext: d.ciphertext,
      keyVersion: d.key_version,
      ...(d.plaintext ? { plaintext: fromBase64(d.plaintext) } : {}),
    };
  }
  /** `POST sign/:name`: a `vault:vN:` ML-DSA signature of `input` (with an optional context). */
  async sign(
    name: string,
    input: Uint8Array,
    opts: SignOptions = {},
  ): Promise<{ signature: string; keyVersion: number }> {
    const d = (
      await this.request('POST', `sign/${this.enc(name)}`, {
        input: toBase64(input),
        key_version: opts.keyVersion,
        context: b64(opts.context),
      })
    ).data;
    return { signature: d.signature, keyVersion: d.key_version };
  }
  /** `POST verify/:name`: whether `signature` is valid for `input` under the version it names. */
  async verify(
    name: string,
    input: Uint8Array,
    signature: string,
    opts: { context?: Uint8Array } = {},
  ): Promise<boolean> {
    return (
      (
        await this.request('POST', `verify/${this.enc(name)}`, {
          input: toBase64(input),
          signature,
          context: b64(opts.context),
        })
      ).data.valid === true
    );
  }
  /** `GET export/public-key/:name[/:version]`: the public keys by version. */
  async exportPublicKeys(
    name: string,
    version?: number | 'latest',
  ): Promise<{ name: string; type: KeyType; keys: Record<string, string> }> {
    return (
      await this.request('GET', `export/public-key/${this.enc(name)}${version === undefined ? '' : `/${version}`}`)
    ).data;
  }
  /** `POST hmac/:name`: `vault:vN:` + base64 HMAC (algorithm default `sha2-256`). */
  async hmac(name: string, input: Uint8Array, opts: { algorithm?: string; keyVersion?: number } = {}): Promise<string> {
    return (
      await this.request('POST', `hmac/${this.enc(name)}`, {
        input: toBase64(input),
        algorithm: opts.algorithm,
        key_version: opts.keyVersion,
      })
    ).data.hmac;
  }
  /** `POST verify/:name` with `hmac`. */
  async verifyHmac(name: string, input: Uint8Array, hmac: string, opts: { algorithm?: string } = {}): Promise<boolean> {
    return (
      (
        await this.request('POST', `verify/${this.enc(name)}`, {
          input: toBase64(input),
          hmac,
          hash_algorithm: opts.algorithm,
        })
      ).data.valid === true
    );
  }
  /** `POST hash`: the digest bytes (algorithm default `sha2-256`). */
  async hash(input: Uint8Array, opts: { algorithm?: string } = {}): Promise<Uint8Array> {
    const d = (
      await this.request('POST', 'hash', { input: toBase64(input), algorithm: opts.algorithm, format: 'base64' })
    ).data;
    return fromBase64(d.sum);
  }
  /** `POST random`: `bytes` random bytes from the server. */
  async random(bytes = 32, opts: { source?: 'platform' | 'seal' | 'all' } = {}): Promise<Uint8Array> {
    return fromBase64((await this.request('POST', 'random', { bytes, source: opts.source })).data.random_bytes);
  }
  /** `GET wrapping_key`: the PEM RSA-4096 public key to wrap BYOK key material to. */
  async wrappingKey(): Promise<string> {
    return (await this.request('GET', 'wrapping_key')).data.public_key;
  }
  /** `POST keys/:name/import` with a wrapped ciphertext (base64, see docs/transit.md > Export and import). */
  async importKey(
    name: string,
    ciphertext: string,
    opts: CreateKeyOptions & { hash_function?: string; allow_rotation?: boolean } = {},
  ): Promise<void> {
    await this.request('POST', `keys/${this.enc(name)}/import`, { ciphertext, ...opts });
  }
  /** `GET export/:kind/:name[/:version]` of an `exportable` key: base64 key material by version. */
  async exportKey(
    kind: 'encryption-key' | 'signing-key' | 'hmac-key',
    name: string,
    version?: number | 'latest',
  ): Promise<{ name: string; type: KeyType; keys: Record<string, string> }> {
    return (await this.request('GET', `export/${kind}/${this.enc(name)}${version === undefined ? '' : `/${version}`}`))
      .data;
  }
  /** `GET backup/:name`: an opaque backup of every version of the key (sealed, for `restore`). */
  async backup(name: string): Promise<string> {
    return (await this.request('GET', `backup/${this.enc(name)}`)).data.backup;
  }
  /** `POST restore[/:name]`: recreates a key from a `backup` string (`force` overwrites an existing key). */
  async restore(backup: string, opts: { name?: string; force?: boolean } = {}): Promise<KeyInfo> {
    return (
      await this.request('POST', `restore${opts.name ? '/' + this.enc(opts.name) : ''}`, { backup, force: opts.force })
    ).data;
  }
  /**
   * Batch form of encrypt/decrypt/rewrap/sign/verify: items in Vault's
   * `batch_input` shape; results come back in order with `reference` echoed.
   */
  async batch(
    op: 'encrypt' | 'decrypt' | 'rewrap' | 'sign' | 'verify',
    name: string,
    items: Record<string, unknown>[],
    opts: { partialFailureResponseCode?: number } = {},
  ): Promise<{ status: 'ok' | 'partial'; results: BatchResult[] }> {
    const pfc = opts.partialFailureResponseCode;
    try {
      const r = await this.request(
        'POST',
        `${op}/${this.enc(name)}`,
        { batch_input: items, partial_failure_response_code: pfc },
        pfc ? [pfc] : [],
      );
      return {
        status: r.data.batch_results.some((x: BatchResult) => x.error) ? 'partial' : 'ok',
        results: r.data.batch_results,
      };
    } catch (e) {
      // A 400 with batch_results is a batch where items failed, not a request failure.
      const body = (e as { body?: { data?: { batch_results?: BatchResult[] } } }).body;
      if (body?.data?.batch_results) return { status: 'partial', results: body.data.batch_results };
      throw e;
    }
  }
  /** GET /v1/sys/health (no token needed). */
  async health(): Promise<Record<string, unknown>> {
    const url = this.base.replace(/\/v1\/.*$/, '/v1/sys/health');
    return (await this.f(url)).json() as Promise<Record<string, unknown>>;
  }
}
