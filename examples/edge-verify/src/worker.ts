/**
 * Cloudflare Worker: verifies `Authorization: Bearer <ML-DSA JWT>` against
 * env.JWKS_URL. The SDK's wasm arrives as static module imports (Workers
 * cannot compile wasm from bytes at run time); see wrangler.toml.
 */
import { createVerifyHandler } from './handler.js';

interface Env {
  JWKS_URL: string;
  ISSUER?: string;
  AUDIENCE?: string;
}

// One handler (and JWKS cache) per isolate, rebuilt only if the config changes.
let cached: { key: string; handler: (r: Request) => Promise<Response> } | undefined;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const key = `${env.JWKS_URL}|${env.ISSUER ?? ''}|${env.AUDIENCE ?? ''}`;
    if (cached?.key !== key) {
      cached = {
        key,
        handler: createVerifyHandler({
          jwksUrl: env.JWKS_URL,
          ...(env.ISSUER ? { issuer: env.ISSUER } : {}),
          ...(env.AUDIENCE ? { audience: env.AUDIENCE } : {}),
        }),
      };
    }
    return cached.handler(request);
  },
};
