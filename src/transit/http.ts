/**
 * The Vault-compatible HTTP API as a plain `(Request) => Promise<Response>`
 * function, so one handler serves Node (via ./node/server.ts), `Deno.serve`,
 * Bun and Cloudflare Workers unchanged.
 *
 * Paths (mount defaults to `oqs-transit`): `/v1/<mount>/keys[/:name[/config|rotate|trim]]`,
 * `encrypt|decrypt|rewrap/:name`, `datakey/:type/:name`, `sign|verify/:name`,
 * `export/public-key|encryption-key|signing-key|hmac-key/:name[/:version]`, `backup/:name`, `restore[/:name]`,
 * `hmac/:name[/:algorithm]`, `hash[/:algorithm]`, `random[/:source][/:bytes]`, `wrapping_key`,
 * `keys/:name/import`, plus `/v1/sys/health`. Request and response JSON follow Vault (`data`
 * envelope, standard base64 binary fields, `batch_input`), errors are
 * `{"errors":[…]}` with the status of `httpStatusFor`.
 */
import { QsignError } from '../errors.js';
import { randomBytes, toHex } from '../util/bytes.js';
import {
  DEFAULT_MAX_BODY_BYTES,
  field,
  jsonResponse,
  readJsonBody,
  requestId as newRequestId,
  requestPath,
  vaultEnvelope,
  type JsonObject,
} from '../http/index.js';
import { AuditLog, type AuditRecord, type AuditSink } from './audit.js';
import { createAuth, type AuthConfig, type Authorizer, type Capability } from './auth.js';
import { fromBase64, toBase64 } from './base64.js';
import { isTransitHashAlgorithm, transitHash } from './digest.js';
import { httpStatusFor, transitError, TransitErrorCodes } from './errors.js';
import { algorithmByTransitType } from '../registry.js';
import { KEY_NAME_RE, type Keyring } from './keyring.js';
import type { KeyConfig } from './types.js';

/**
 * Resource limits of a transit handler; a request beyond one gets Vault's status code, never a hang.
 *
 * @example
 * ```ts
 * const handler = createTransitHandler({ keyring, auth, limits: { maxBodyBytes: 1 << 20, maxBatchItems: 100, timeoutMs: 5000 } });
 * ```
 */
export interface TransitLimits {
  /** Largest request body in bytes (default 32 MiB); larger → 507. */
  maxBodyBytes?: number;
  /** Most items in one `batch_input` (default 1000); more → 507. */
  maxBatchItems?: number;
  /** Per-request deadline in ms (default 30 000, the seed's 30 s); later → 504. */
  timeoutMs?: number;
}

/**
 * Options of {@link createTransitHandler}: the keyring to serve, who may call it, and where it is mounted.
 *
 * @example
 * ```ts
 * const handler = createTransitHandler({
 *   keyring,
 *   auth: { tokens: [{ token: process.env.VAULT_TOKEN!, policies: ['root'] }] },
 *   mount: 'oqs-transit',
 *   audit: memoryAuditSink(),
 * });
 * const res = await handler(new Request('http://localhost/v1/sys/health'));
 * ```
 */
export interface TransitHandlerOptions {
  /** The keys this handler serves. */
  keyring: Keyring;
  /** An authorizer, or tokens + policies to build one. */
  auth: Authorizer | AuthConfig;
  /** Mount path under /v1/ (default `oqs-transit`). */
  mount?: string;
  limits?: TransitLimits;
  /**
   * Where audit entries go. Given a sink, the handler HMACs request values with the keyring's persisted audit
   * key ({@link AuditLog.fromKeyring}), so hashes compare across restarts; an `AuditLog` is used as it is.
   */
  audit?: AuditLog | AuditSink;
  /** Reported by sys/health. */
  version?: string;
}

type Json = JsonObject;

/**
 * Vault's `sign|verify/:name/:hash_algorithm` values. ML-DSA signs the message itself and ignores the choice, but
 * only these spellings route: anything else would be one more path to the same operation that a policy on the
 * exact path does not cover.
 */
const HASH_ALGORITHMS: ReadonlySet<string> = new Set([
  'sha1',
  'sha2-224',
  'sha2-256',
  'sha2-384',
  'sha2-512',
  'sha3-224',
  'sha3-256',
  'sha3-384',
  'sha3-512',
  'none',
]);

/** `export/:type/…` types: the public key, or private material of an `exportable` key. */
const EXPORT_TYPES: ReadonlySet<string> = new Set(['public-key', 'encryption-key', 'signing-key', 'hmac-key']);
/** Vault's cap on one `random` request. */
const RANDOM_MAX_BYTES = 128 * 1024;

/** `random[/:source][/:bytes]` with Vault's fields and messages; URL segments win over the body. */
function randomResponse(body: Json, url: { source?: string; bytes?: number }): { data: Json; warnings?: string[] } {
  const bytes = url.bytes ?? int(body, 'bytes') ?? 32;
  const format = str(body, 'format') ?? 'base64';
  const source = url.source ?? str(body, 'source') ?? 'platform';
  if (bytes < 1) throw transitError(TransitErrorCodes.INVALID_REQUEST, '"bytes" cannot be less than 1');
  if (bytes > RANDOM_MAX_BYTES)
    throw transitError(TransitErrorCodes.INVALID_REQUEST, `"bytes" should be less than ${RANDOM_MAX_BYTES}`);
  if (format !== 'hex' && format !== 'base64')
    throw transitError(
      TransitErrorCodes.INVALID_REQUEST,
      `unsupported encoding format "${format}"; must be "hex" or "base64"`,
    );
  if (source !== 'platform' && source !== 'seal' && source !== 'all')
    throw transitError(
      TransitErrorCodes.INVALID_REQUEST,
      `unsupported entropy source "${source}"; must be "platform" or "seal", or "all"`,
    );
  const r = randomBytes(bytes);
  const out = format === 'hex' ? toHex(r) : toBase64(r);
  // There is no seal here: like Vault without entropy augmentation, "seal" falls back to the platform source.
  return {
    data: { random_bytes: out },
    ...(source === 'seal'
      ? { warnings: ['no seal/entropy augmentation available, using platform entropy source'] }
      : {}),
  };
}

function str(body: Json, name: string, required = false): string | undefined {
  const v = field(body, name);
  if (v === undefined || v === null || v === '') {
    if (required) throw transitError(TransitErrorCodes.INVALID_REQUEST, `missing ${name}`);
    return undefined;
  }
  if (typeof v !== 'string') throw transitError(TransitErrorCodes.INVALID_REQUEST, `${name} must be a string`);
  return v;
}

function int(body: Json, name: string): number | undefined {
  const v = field(body, name);
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
    throw transitError(TransitErrorCodes.INVALID_REQUEST, `${name} must be a non-negative integer`);
  return n;
}

function bool(body: Json, name: string): boolean | undefined {
  const v = field(body, name);
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw transitError(TransitErrorCodes.INVALID_REQUEST, `${name} must be a boolean`);
}

function b64(body: Json, name: string, required = false): Uint8Array | undefined {
  const s = str(body, name, required);
  return s === undefined ? (required ? new Uint8Array(0) : undefined) : fromBase64(s, name);
}

/** A duration field: seconds (number) or a Go-style string; anything else is a bad request. */
function duration(body: Json, name: string): string | number | undefined {
  const v = field(body, name);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' && typeof v !== 'number')
    throw transitError(TransitErrorCodes.INVALID_REQUEST, `${name} must be a duration (seconds or e.g. "24h")`);
  return v;
}

interface Route {
  capability: Capability | ((name: string) => Promise<Capability>);
  run(body: Json): Promise<{ status?: number; data?: unknown; warnings?: string[] } | undefined>;
  /** One `batch_input` item (with the whole body, for fields Vault reads at the top level), if the route batches. */
  batch?: (item: Json, body: Json) => Promise<Json>;
  /** Refuses a batch of `count` items up front (e.g. one whose response would be too large). */
  checkBatch?: (count: number) => Promise<void>;
  needsBody: boolean;
}

/**
 * The key a request under `/v1/<mount>/` acts on, from its canonical path (as `requestPath` gives it, without the
 * leading `/`): what a sharded deployment routes on (one Durable Object per key). `undefined` for requests that
 * name no key (`keys` list, `hash`, `random`, `wrapping_key`, `sys/health`, unknown paths) and for `restore` without
 * a name, whose key is only inside the sealed backup.
 *
 * @example
 * ```ts
 * routeKeyName('v1/oqs-transit/datakey/wrapped/orders', 'oqs-transit'); // 'orders'
 * routeKeyName('v1/oqs-transit/random/32', 'oqs-transit');              // undefined
 * ```
 */
export function routeKeyName(path: string, mount = 'oqs-transit'): string | undefined {
  const prefix = `v1/${mount.replace(/^\/+|\/+$/g, '')}/`;
  if (!path.startsWith(prefix)) return undefined;
  const [op, a, b] = path.slice(prefix.length).split('/');
  const name = op === 'datakey' || op === 'export' ? b : KEY_OPS.has(op!) ? a : undefined;
  return name !== undefined && KEY_NAME_RE.test(name) ? name : undefined;
}
/**
 * Where a sharded deployment sends a client request: `{ key }` for the object of that key, `{ index: true }` for
 * the index object (requests naming no key, and paths the handler will refuse, which it answers there), or
 * `undefined` for paths outside `/v1/`, which are not the API (the Worker answers 404 and never forwards them, so
 * clients cannot reach the objects' internal paths).
 *
 * @example
 * ```ts
 * const t = shardTarget(req);
 * if (!t) return new Response(null, { status: 404 });
 * return env.TRANSIT.get(env.TRANSIT.idFromName('key' in t ? `key:${t.key}` : 'index')).fetch(req);
 * ```
 */
export function shardTarget(req: Request, mount = 'oqs-transit'): { key: string } | { index: true } | undefined {
  if (!new URL(req.url).pathname.startsWith('/v1/')) return undefined;
  let path: string;
  try {
    path = requestPath(req).replace(/^\//, '');
  } catch {
    return { index: true };
  }
  const key = routeKeyName(path, mount);
  return key === undefined ? { index: true } : { key };
}

/** Operations whose second segment is the key name (`datakey` and `export` have it third). */
const KEY_OPS: ReadonlySet<string> = new Set([
  'keys',
  'encrypt',
  'decrypt',
  'rewrap',
  'sign',
  'verify',
  'hmac',
  'backup',
  'restore',
]);

/** Creates the handler. */
export function createTransitHandler(opts: TransitHandlerOptions): (req: Request) => Promise<Response> {
  const { keyring } = opts;
  const auth: Authorizer = 'check' in opts.auth ? opts.auth : createAuth(opts.auth);
  const mount = (opts.mount ?? 'oqs-transit').replace(/^\/+|\/+$/g, '');
  const maxBody = opts.limits?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxBatch = opts.limits?.maxBatchItems ?? 1000;
  const timeoutMs = opts.limits?.timeoutMs ?? 30_000;

  // Vault's `context`/`nonce` select a derived or convergent key, which this
  // engine does not offer; ignoring them would encrypt under a different key
  // than the caller asked for, so they are refused.
  const refuseDerivation = (b: Json): void => {
    for (const name of ['context', 'nonce'] as const) {
      const v = field(b, name);
      if (v !== undefined && v !== null && v !== '') {
        throw transitError(
          TransitErrorCodes.INVALID_REQUEST,
          `"${name}" is not supported: qsign transit keys are not derived or convergent keys; remove the field`,
        );
      }
    }
  };
  const encryptItem = async (name: string, b: Json): Promise<Json> => {
    refuseDerivation(b);
    const r = await keyring.encrypt(name, b64(b, 'plaintext', true)!, {
      associatedData: b64(b, 'associated_data'),
      keyVersion: int(b, 'key_version'),
    });
    return { ciphertext: r.ciphertext, key_version: r.keyVersion };
  };
  const decryptItem = async (name: string, b: Json): Promise<Json> => {
    refuseDerivation(b);
    const r = await keyring.decrypt(name, str(b, 'ciphertext', true)!, { associatedData: b64(b, 'associated_data') });
    return { plaintext: toBase64(r.plaintext) };
  };
  const rewrapItem = async (name: string, b: Json): Promise<Json> => {
    refuseDerivation(b);
    const r = await keyring.rewrap(name, str(b, 'ciphertext', true)!, {
      associatedData: b64(b, 'associated_data'),
      keyVersion: int(b, 'key_version'),
    });
    return { ciphertext: r.ciphertext, key_version: r.keyVersion };
  };
  const signItem = async (name: string, b: Json): Promise<Json> => {
    if (bool(b, 'prehashed'))
      throw transitError(
        TransitErrorCodes.INVALID_REQUEST,
        'prehashed input is not supported for ML-DSA or SLH-DSA keys (pure ML-DSA and SLH-DSA sign the message itself)',
      );
    const r = await keyring.sign(name, b64(b, 'input', true)!, {
      keyVersion: int(b, 'key_version'),
      context: b64(b, 'context'),
    });
    return { signature: r.signature, key_version: r.keyVersion };
  };
  /** Vault's HMAC algorithm: the URL segment, else `hash_algorithm` (verify), else `algorithm`, else sha2-256. */
  const hmacAlgorithm = (body: Json, urlAlgorithm: string | undefined): string =>
    urlAlgorithm ?? str(body, 'hash_algorithm') ?? str(body, 'algorithm') ?? 'sha2-256';
  const verifyItem = async (name: string, b: Json, body: Json, urlAlgorithm?: string): Promise<Json> => {
    const hmac = str(b, 'hmac');
    if (hmac !== undefined) {
      if (str(b, 'signature') !== undefined)
        throw transitError(TransitErrorCodes.INVALID_REQUEST, "provide one of 'signature' or 'hmac', not both");
      // Vault: a missing input is the empty input here.
      const valid = await keyring.verifyHmac(name, b64(b, 'input') ?? new Uint8Array(0), hmac, {
        algorithm: hmacAlgorithm(body, urlAlgorithm),
      });
      return { valid };
    }
    const valid = await keyring.verify(name, b64(b, 'input', true)!, str(b, 'signature', true)!, {
      context: b64(b, 'context'),
    });
    return { valid };
  };
  const hmacItem = async (name: string, b: Json, body: Json, urlAlgorithm?: string): Promise<Json> => {
    if (field(b, 'input') === undefined)
      throw transitError(TransitErrorCodes.INVALID_REQUEST, 'missing input for HMAC');
    const r = await keyring.hmac(name, b64(b, 'input') ?? new Uint8Array(0), {
      // Vault reads algorithm and key_version for the whole request, batch or not.
      algorithm: urlAlgorithm ?? str(body, 'algorithm') ?? 'sha2-256',
      keyVersion: int(body, 'key_version'),
    });
    return { hmac: r.hmac };
  };

  // A Map, not an object literal: `op` comes from the URL, and `constructor` must not find Object's.
  const batchOps = new Map<string, (name: string, b: Json, body: Json, urlAlgorithm?: string) => Promise<Json>>([
    ['encrypt', encryptItem],
    ['decrypt', decryptItem],
    ['rewrap', rewrapItem],
    ['sign', signItem],
    ['verify', verifyItem],
    ['hmac', hmacItem],
  ]);

  /**
   * A batch `sign` answers one signature per item, and SLH-DSA's are up to 49,856 bytes (66 KB in base64): a batch
   * whose signatures alone would exceed the request body limit is refused before any is made (507), so a response
   * never outgrows what this server accepts as a request, and a client splits the batch instead of waiting for
   * minutes of signing. Sizes come from the registry; an unknown key is left to the items (404 each).
   */
  const checkSignatureBatch = async (name: string, count: number): Promise<void> => {
    if (!KEY_NAME_RE.test(name)) return;
    const type = await keyring.readKey(name).then(
      (k) => k.type,
      () => undefined,
    );
    const size = type === undefined ? undefined : algorithmByTransitType(type)?.sizes.signature;
    if (size === undefined) return;
    // base64 of the signature, its `vault:vN:` prefix and the JSON around it.
    const perItem = Math.ceil(size / 3) * 4 + 64;
    if (count * perItem > maxBody)
      throw transitError(
        TransitErrorCodes.LIMIT_EXCEEDED,
        `a batch of ${count} ${type} signatures (about ${count * perItem} bytes) exceeds the ${maxBody}-byte limit; ` +
          `send at most ${Math.floor(maxBody / perItem)} items per batch`,
      );
  };

  const createCap = async (name: string): Promise<Capability> =>
    (await keyring.store.get(name)) ? 'update' : 'create';

  function route(method: string, parts: string[], query: URLSearchParams): Route | 'method' | undefined {
    const [op, a, b, c] = parts;
    const n = parts.length;
    const isGet = method === 'GET' || method === 'HEAD';
    if (op === 'keys' && n === 1) {
      if (method === 'LIST' || (isGet && query.get('list') === 'true'))
        return {
          capability: 'list',
          needsBody: false,
          run: async () => ({ data: { keys: await keyring.listKeys() } }),
        };
      return 'method';
    }
    if (op === 'keys' && n === 2 && a) {
      if (isGet) return { capability: 'read', needsBody: false, run: async () => ({ data: await keyring.readKey(a) }) };
      if (method === 'POST' || method === 'PUT')
        return {
          capability: createCap,
          needsBody: true,
          run: async (body) => ({
            data: await keyring.createKey(a, {
              type: str(body, 'type'),
              parameter_set: field(body, 'parameter_set') as string | number | undefined,
              exportable: bool(body, 'exportable'),
              deletion_allowed: bool(body, 'deletion_allowed'),
              auto_rotate_period: duration(body, 'auto_rotate_period'),
              key_size: int(body, 'key_size'),
            }),
          }),
        };
      if (method === 'DELETE')
        return {
          capability: 'delete',
          needsBody: false,
          run: async () => {
            await keyring.deleteKey(a);
            return { status: 204 };
          },
        };
      return 'method';
    }
    if (op === 'keys' && n === 3 && a && (b === 'config' || b === 'rotate' || b === 'trim' || b === 'import')) {
      if (method !== 'POST' && method !== 'PUT') return 'method';
      if (b === 'import')
        return {
          capability: 'update',
          needsBody: true,
          run: async (body) => {
            if (str(body, 'public_key') !== undefined)
              throw transitError(
                TransitErrorCodes.INVALID_REQUEST,
                'public_key import is not supported: import the wrapped seed as ciphertext',
              );
            const ct = str(body, 'ciphertext');
            if (ct === undefined)
              throw transitError(
                TransitErrorCodes.INVALID_REQUEST,
                'one of the following fields, ciphertext xor public_key, has to be set',
              );
            refuseDerivation(body);
            await keyring.importKey(a, fromBase64(ct, 'ciphertext'), {
              type: str(body, 'type'),
              parameter_set: field(body, 'parameter_set') as string | number | undefined,
              hash_function: str(body, 'hash_function'),
              exportable: bool(body, 'exportable'),
              deletion_allowed: bool(body, 'deletion_allowed'),
              allow_rotation: bool(body, 'allow_rotation'),
              auto_rotate_period: duration(body, 'auto_rotate_period'),
            });
            return { status: 204 };
          },
        };
      if (b === 'rotate')
        return { capability: 'update', needsBody: true, run: async () => ({ data: await keyring.rotateKey(a) }) };
      if (b === 'trim')
        return {
          capability: 'update',
          needsBody: true,
          run: async (body) => ({ data: await keyring.trimKey(a, int(body, 'min_available_version') ?? NaN) }),
        };
      return {
        capability: 'update',
        needsBody: true,
        run: async (body) => {
          const cfg: KeyConfig = {
            min_decryption_version: int(body, 'min_decryption_version'),
            min_encryption_version: int(body, 'min_encryption_version'),
            deletion_allowed: bool(body, 'deletion_allowed'),
            exportable: bool(body, 'exportable'),
            auto_rotate_period: duration(body, 'auto_rotate_period'),
          };
          return { data: await keyring.configKey(a, cfg) };
        },
      };
    }
    // sign/verify accept a trailing /:hash_algorithm like Vault (ML-DSA ignores it; an HMAC verify uses it), and
    // hmac a trailing /:algorithm. Only known names route: any other spelling would be one more path to the same
    // operation that a policy on the exact path does not cover.
    const f = op === undefined ? undefined : batchOps.get(op);
    const algorithmOk =
      (op === 'sign' || op === 'verify') && HASH_ALGORITHMS.has(b!)
        ? true
        : op === 'hmac' && b !== undefined && isTransitHashAlgorithm(b);
    if (f && a && (n === 2 || (n === 3 && algorithmOk))) {
      if (method !== 'POST' && method !== 'PUT') return 'method';
      return {
        capability: 'update',
        needsBody: true,
        batch: (item, body) => f(a, item, body, b),
        ...(op === 'sign' ? { checkBatch: (count: number) => checkSignatureBatch(a, count) } : {}),
        run: async (body) => ({ data: await f(a, body, body, b) }),
      };
    }
    if (op === 'hash' && (n === 1 || (n === 2 && isTransitHashAlgorithm(a!)))) {
      if (method !== 'POST' && method !== 'PUT') return 'method';
      return {
        capability: 'update',
        needsBody: true,
        run: async (body) => {
          const format = str(body, 'format') ?? 'hex';
          if (format !== 'hex' && format !== 'base64')
            throw transitError(
              TransitErrorCodes.INVALID_REQUEST,
              `unsupported encoding format ${format}; must be "hex" or "base64"`,
            );
          const sum = await transitHash(
            a ?? str(body, 'algorithm') ?? 'sha2-256',
            b64(body, 'input') ?? new Uint8Array(0),
          );
          return { data: { sum: format === 'hex' ? toHex(sum) : toBase64(sum) } };
        },
      };
    }
    if (op === 'random' && n <= 3) {
      // random, random/:source, random/:bytes, random/:source/:bytes; byte counts in canonical decimal only.
      const isSource = (x: string | undefined) => x === 'platform' || x === 'seal' || x === 'all';
      const isCount = (x: string | undefined) => x !== undefined && /^[1-9]\d{0,6}$/.test(x);
      const shape =
        n === 1
          ? {}
          : n === 2 && isSource(a)
            ? { source: a }
            : n === 2 && isCount(a)
              ? { bytes: Number(a) }
              : n === 3 && isSource(a) && isCount(b)
                ? { source: a, bytes: Number(b) }
                : undefined;
      if (!shape) return undefined;
      if (method !== 'POST' && method !== 'PUT') return 'method';
      return {
        capability: 'update',
        needsBody: true,
        run: async (body) => randomResponse(body, shape),
      };
    }
    if (op === 'wrapping_key' && n === 1) {
      if (!isGet) return 'method';
      return {
        capability: 'read',
        needsBody: false,
        run: async () => ({ data: { public_key: await keyring.wrappingKey() } }),
      };
    }
    if (op === 'datakey' && n === 3 && a && b) {
      if (method !== 'POST' && method !== 'PUT') return 'method';
      return {
        capability: 'update',
        needsBody: true,
        run: async (body) => {
          const r = await keyring.dataKey(b, a as 'plaintext' | 'wrapped', {
            bits: int(body, 'bits'),
            associatedData: b64(body, 'associated_data'),
            keyVersion: int(body, 'key_version'),
          });
          return {
            data: {
              ciphertext: r.ciphertext,
              key_version: r.keyVersion,
              ...(r.plaintext ? { plaintext: toBase64(r.plaintext) } : {}),
            },
          };
        },
      };
    }
    if (op === 'export' && a !== undefined && EXPORT_TYPES.has(a) && b && (n === 3 || n === 4)) {
      if (!isGet) return 'method';
      // Digits only: Number() would also take " 1", "1e0" or "0x1" as version 1 — other spellings of one path.
      if (c !== undefined && c !== 'latest' && !/^[1-9]\d{0,8}$/.test(c)) return undefined;
      const v = c === undefined ? undefined : c === 'latest' ? 'latest' : Number(c);
      return {
        capability: 'read',
        needsBody: false,
        run: async () => ({
          data:
            a === 'public-key'
              ? await keyring.exportPublicKeys(b, v)
              : await keyring.exportKey(a as 'encryption-key' | 'signing-key' | 'hmac-key', b, v),
        }),
      };
    }
    if (op === 'backup' && n === 2 && a) {
      if (!isGet) return 'method';
      return { capability: 'read', needsBody: false, run: async () => ({ data: { backup: await keyring.backup(a) } }) };
    }
    if (op === 'restore' && (n === 1 || n === 2)) {
      if (method !== 'POST' && method !== 'PUT') return 'method';
      return {
        capability: 'update',
        needsBody: true,
        run: async (body) => ({
          data: await keyring.restore(str(body, 'backup', true)!, { name: a, force: bool(body, 'force') }),
        }),
      };
    }
    return undefined;
  }

  async function runBatch(r: Route, body: Json): Promise<{ status: number; data: Json }> {
    const items = field(body, 'batch_input');
    if (!Array.isArray(items)) throw transitError(TransitErrorCodes.INVALID_REQUEST, 'batch_input must be an array');
    if (items.length > maxBatch) throw transitError(TransitErrorCodes.LIMIT_EXCEEDED, 'too many batch items');
    await r.checkBatch?.(items.length);
    const pfc = int(body, 'partial_failure_response_code');
    // It becomes the HTTP status: anything outside 200–599 would make `new Response` throw.
    if (pfc !== undefined && (pfc < 200 || pfc > 599))
      throw transitError(
        TransitErrorCodes.INVALID_REQUEST,
        'partial_failure_response_code must be an HTTP status code (200-599)',
      );
    let failed = 0;
    const results = await Promise.all(
      items.map(async (item: unknown) => {
        const it = (item && typeof item === 'object' ? item : {}) as Json;
        const ref = field(it, 'reference');
        const reference = typeof ref === 'string' ? ref : undefined;
        try {
          const out = await r.batch!(it, body);
          return reference === undefined ? out : { ...out, reference };
        } catch (e) {
          failed++;
          return { error: httpStatusFor(e).message, ...(reference === undefined ? {} : { reference }) };
        }
      }),
    );
    // Vault: any failure → 400 unless partial_failure_response_code; all failed → 400.
    const status = failed === 0 ? 200 : failed === items.length || !pfc ? 400 : pfc;
    return { status, data: { batch_results: results } };
  }

  // A sink gets the keyring's persisted audit key, opened once (on first use, so creating the handler stays sync).
  let auditLog: Promise<AuditLog> | undefined;
  const getAudit = (): Promise<AuditLog> | undefined => {
    const a = opts.audit;
    if (a === undefined) return undefined;
    if (a instanceof AuditLog) return Promise.resolve(a);
    auditLog ??= AuditLog.fromKeyring(a, keyring);
    auditLog.catch(() => (auditLog = undefined)); // a failed unseal is retried by the next request
    return auditLog;
  };

  return async function handle(req: Request): Promise<Response> {
    const started = Date.now();
    const requestId = newRequestId();
    const url = new URL(req.url);
    const method = req.method.toUpperCase();
    const token = req.headers.get('x-vault-token');
    // The one canonical path (decoded once): routing and authorization below both use `path`, nothing else.
    let path: string | undefined;
    let pathError: unknown;
    try {
      path = requestPath(req).replace(/^\/v1\//, '');
    } catch (e) {
      pathError = e;
    }
    let body: Json = {};
    let authInfo: { policies?: string[]; displayName?: string } = {};

    const respond = async (status: number, payload: unknown, err?: unknown): Promise<Response> => {
      const audit = await getAudit();
      if (audit) {
        const rec: AuditRecord = {
          time: new Date(started).toISOString(),
          type: 'request',
          request_id: requestId,
          method,
          // A refused (non-canonical) path is logged only as its HMAC: it may carry anything.
          path: path ?? audit.hash(url.pathname),
          client_token: token ? audit.hash(token) : undefined,
          display_name: authInfo.displayName,
          policies: authInfo.policies,
        };
        await audit.write({ ...rec, data: audit.redactRequest(body) });
        const message = err === undefined ? undefined : (payload as { errors?: string[] }).errors?.[0];
        await audit.write({
          ...rec,
          time: new Date().toISOString(),
          type: 'response',
          status,
          data: err === undefined ? audit.redact(payload) : undefined,
          error: message === undefined ? undefined : audit.redactMessage(message, body),
          error_code: err instanceof QsignError ? err.code : undefined,
          duration_ms: Date.now() - started,
        });
      }
      return jsonResponse(status, payload);
    };
    const fail = (e: unknown): Promise<Response> => {
      const { status, message } = httpStatusFor(e);
      return respond(status, { errors: [message] }, e);
    };

    if (path === undefined) return fail(pathError);
    if (!url.pathname.startsWith('/v1/')) return respond(404, { errors: [] });
    if (path === 'sys/health') {
      return respond(200, {
        initialized: true,
        sealed: false,
        standby: false,
        performance_standby: false,
        server_time_utc: Math.floor(Date.now() / 1000),
        version: opts.version ?? 'qsign-pqc',
      });
    }
    if (!path.startsWith(mount + '/')) return respond(404, { errors: [] });
    const parts = path.slice(mount.length + 1).split('/');
    const r = route(method, parts, url.searchParams);
    if (r === undefined) return respond(404, { errors: [] });
    if (r === 'method') return respond(405, { errors: ['unsupported operation'] });

    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const work = (async () => {
        const capability = typeof r.capability === 'function' ? await r.capability(parts[1] ?? '') : r.capability;
        const a = auth.check(token, path, capability);
        authInfo = { policies: a.policies, displayName: a.displayName };
        if (!a.allowed) throw transitError(TransitErrorCodes.PERMISSION_DENIED, 'permission denied');
        if (r.needsBody) body = await readJsonBody(req, { maxBytes: maxBody });
        if (r.batch && Array.isArray(field(body, 'batch_input'))) return runBatch(r, body);
        const out = (await r.run(body)) ?? {};
        return { status: out.status ?? 200, data: out.data, warnings: out.warnings };
      })();
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(transitError(TransitErrorCodes.TIMEOUT, 'request timeout')), timeoutMs);
      });
      // The losing operation keeps running (crypto cannot be interrupted) but its result is dropped.
      work.catch(() => undefined);
      const out = (await Promise.race([work, deadline])) as { status: number; data?: unknown; warnings?: string[] };
      if (out.status === 204) return respond(204, null);
      return respond(out.status, vaultEnvelope(requestId, out.data ?? null, out.warnings ?? null));
    } catch (e) {
      return fail(e);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  };
}
