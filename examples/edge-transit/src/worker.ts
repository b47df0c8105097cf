/**
 * Transit on Cloudflare Workers: the keyring runs inside one Durable Object,
 * which is the single writer for its keys (strong consistency, atomic
 * rotations through `storage.transaction()`); the Worker forwards every
 * request to it. Private keys are sealed with the master key before they
 * reach Durable Object storage.
 *
 * Secrets (wrangler secret put …): QSIGN_MASTER_KEY (base64 of 32 random
 * bytes), QSIGN_TRANSIT_TOKEN (the root token).
 */
import {
  Keyring,
  createTransitHandler,
  durableObjectStore,
  fromBase64,
  masterKeyFromBytes,
  type DurableObjectStorageLike,
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

export class TransitObject {
  private handler?: Promise<(req: Request) => Promise<Response>>;

  constructor(
    private readonly state: DurableObjectState,
    private readonly env: Env,
  ) {}

  private async build(): Promise<(req: Request) => Promise<Response>> {
    const keyring = new Keyring({
      store: durableObjectStore(this.state.storage),
      masterKey: await masterKeyFromBytes(fromBase64(this.env.QSIGN_MASTER_KEY, 'QSIGN_MASTER_KEY')),
    });
    return createTransitHandler({
      keyring,
      auth: { tokens: [{ token: this.env.QSIGN_TRANSIT_TOKEN, policies: ['root'] }] },
      mount: this.env.TRANSIT_MOUNT ?? 'oqs-transit',
    });
  }

  async fetch(req: Request): Promise<Response> {
    // Built on first use; a failed build is retried by the next request.
    this.handler ??= this.build().catch((e) => {
      this.handler = undefined;
      throw e;
    });
    return (await this.handler)(req);
  }
}

export default {
  fetch(req: Request, env: Env): Promise<Response> {
    // One object holds the whole keyring; shard by key name for more throughput.
    return env.TRANSIT.get(env.TRANSIT.idFromName('transit')).fetch(req);
  },
};
