/**
 * The same verifier under Deno: `deno run --allow-net --allow-env --allow-read main.js`
 * with JWKS_URL, ISSUER, AUDIENCE (and PORT, default 8787) in the environment.
 */
import { createVerifyHandler } from './handler.js';

declare const Deno: {
  env: { get(name: string): string | undefined };
  serve(
    options: { hostname: string; port: number; onListen?: (addr: { port: number }) => void },
    handler: (r: Request) => Promise<Response>,
  ): unknown;
};

const jwksUrl = Deno.env.get('JWKS_URL');
if (!jwksUrl) throw new Error('set JWKS_URL to the issuer JWKS endpoint');
const issuer = Deno.env.get('ISSUER');
const audience = Deno.env.get('AUDIENCE');
const handler = createVerifyHandler({ jwksUrl, ...(issuer ? { issuer } : {}), ...(audience ? { audience } : {}) });

Deno.serve(
  {
    hostname: Deno.env.get('HOST') ?? '127.0.0.1',
    port: Number(Deno.env.get('PORT') ?? 8787),
    // The test reads the chosen port from this line.
    onListen: ({ port }) => console.log(`edge-verify listening on ${port}`),
  },
  handler,
);
