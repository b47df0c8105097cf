/**
 * Transit on Cloudflare Workers, one Durable Object per key: the Worker sends each request to the object of the
 * key it names (`idFromName('key:' + name)`), so requests for different keys run in parallel in different
 * objects, and requests for one key are serialized by its object, the single writer of that key's record
 * (atomic rotations through `storage.transaction()`). A small index object (`idFromName('index')`) holds the key
 * list (`LIST keys`), the entries the whole mount shares (the BYOK wrapping key) and answers the requests that
 * name no key (`hash`, `random`, `wrapping_key`). Private keys are sealed with the master key, and key records
 * authenticated with it, before they reach Durable Object storage.
 *
 * Secrets (wrangler secret put …): QSIGN_MASTER_KEY (base64 of 32 random bytes), QSIGN_TRANSIT_TOKEN (the root
 * token).
 */
import {
  Keyring,
  createTransitHandler,
  durableObjectIndex,
  fromBase64,
  indexObjectStore,
  keyObjectStore,
  masterKeyFromBytes,
  serveTransitIndex,
  shardTarget,
  transitIndexClient,
  type DurableObjectStorageLike,
  type TransitIndex,
  type TransitStore,
} from 'qsign-pqc/transit';

/** The few Workers types used here (no @cloudflare/workers-types needed). */
interface DurableObjectState {
  storage: DurableObjectStorageLike;
}
interface DurableObjectStub {
  fetch(req: Request): Promise<Response>;
}
interface DurableObjectNamespace {
  idFromName(name: string): unknown;
  get(id: unknown): DurableObjectStub;
}

export interface Env {
  TRANSIT: DurableObjectNamespace;
  QSIGN_MASTER_KEY: string;
  QSIGN_TRANSIT_TOKEN: string;
  /** Optional mount path (default oqs-transit). */
  TRANSIT_MOUNT?: string;
}

/** Name of the index object; key objects are `key:<name>`, and key names cannot contain `:`. */
const INDEX_OBJECT = 'index';

/** One class for both roles: the Worker tells each object which one it plays (`x-qsign-object`). */
export class TransitObject {
  private handler?: Promise<(req: Request) => Promise<Response>>;
  private readonly index: TransitIndex;

  constructor(
    private readonly state: DurableObjectState,
    private readonly env: Env,
  ) {
    this.index = durableObjectIndex(state.storage);
  }

  private async build(isIndex: boolean): Promise<(req: Request) => Promise<Response>> {
    const store: TransitStore = isIndex
      ? indexObjectStore(this.index)
      : keyObjectStore(
          this.state.storage,
          transitIndexClient(this.env.TRANSIT.get(this.env.TRANSIT.idFromName(INDEX_OBJECT))),
        );
    const keyring = new Keyring({
      store,
      masterKey: await masterKeyFromBytes(fromBase64(this.env.QSIGN_MASTER_KEY, 'QSIGN_MASTER_KEY')),
    });
    return createTransitHandler({
      keyring,
      auth: { tokens: [{ token: this.env.QSIGN_TRANSIT_TOKEN, policies: ['root'] }] },
      mount: this.env.TRANSIT_MOUNT ?? 'oqs-transit',
    });
  }

  async fetch(req: Request): Promise<Response> {
    // The key objects' calls to the index (internal paths: the Worker forwards only /v1/ paths from clients).
    const internal = await serveTransitIndex(this.index, req);
    if (internal) return internal;
    const isIndex = req.headers.get('x-qsign-object') === INDEX_OBJECT;
    // Built on first use; a failed build is retried by the next request.
    this.handler ??= this.build(isIndex).catch((e) => {
      this.handler = undefined;
      throw e;
    });
    return (await this.handler)(req);
  }
}

export default {
  async fetch(req: Request, env: Env): Promise<Response> {
    const target = shardTarget(req, env.TRANSIT_MOUNT ?? 'oqs-transit');
    if (!target) return new Response(JSON.stringify({ errors: [] }), { status: 404 });
    const object = 'key' in target ? `key:${target.key}` : INDEX_OBJECT;
    // The object learns its role from this header (set here, never taken from the client's request).
    const headers = new Headers(req.headers);
    headers.set('x-qsign-object', object === INDEX_OBJECT ? INDEX_OBJECT : 'key');
    return env.TRANSIT.get(env.TRANSIT.idFromName(object)).fetch(new Request(req, { headers }));
  },
};
