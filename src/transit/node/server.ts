/**
 * Node-only adapter: serves a `(Request) => Promise<Response>` handler on
 * node:http. Deno (`Deno.serve(handler)`), Bun (`Bun.serve({ fetch })`) and
 * Workers (`export default { fetch }`) take the handler as it is; Node 20's
 * http server predates fetch, so this converts in both directions, streaming
 * the request body (the handler enforces the size limit while reading).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QsignError } from '../../errors.js';
import { checkRequestTarget, HttpErrorCodes, isValidHost, vaultErrorResponse } from '../../http/index.js';

/** A fetch-style request handler, as `createTransitHandler` returns and Deno, Bun and Workers serve directly. */
export type FetchHandler = (req: Request) => Promise<Response>;

/**
 * The request body as a web stream with backpressure. Cancelling it (the
 * handler stops at the size limit) switches to discarding the rest, so the
 * connection can still carry the error response.
 */
function bodyStream(req: IncomingMessage): { stream: ReadableStream<Uint8Array>; discard(): void } {
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      start(c) {
        req.on('data', (chunk: Buffer) => {
          if (cancelled) return;
          c.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
          if ((c.desiredSize ?? 1) <= 0) req.pause();
        });
        req.once('end', () => {
          if (!cancelled) c.close();
        });
        req.once('error', (e) => {
          if (!cancelled) c.error(e);
        });
      },
      pull() {
        req.resume();
      },
      cancel() {
        cancelled = true;
        req.resume();
      },
    },
    { highWaterMark: 4 },
  );
  return {
    stream,
    discard() {
      cancelled = true;
      req.resume();
    },
  };
}

/**
 * The origin every request URL is built on. The handler routes on the request target alone: the Host header
 * never becomes part of the URL, so `Host: x/v1/…?` cannot rewrite the routed path (issue 18, item 3).
 */
const FIXED_ORIGIN = 'http://localhost';

/** A raw request target and Host checked before any URL is built from them; refusals are 400 in Vault's shape. */
function checkRequest(req: IncomingMessage): Response | undefined {
  try {
    const host = req.headers.host;
    if (host !== undefined && !isValidHost(host))
      throw new QsignError(HttpErrorCodes.BAD_HOST, 'the Host header must be host[:port]');
    checkRequestTarget(req.url ?? '');
    return undefined;
  } catch (e) {
    return vaultErrorResponse(e);
  }
}

async function send(res: ServerResponse, response: Response, method: string): Promise<void> {
  const outHeaders: Record<string, string> = {};
  response.headers.forEach((v, k) => {
    outHeaders[k] = v;
  });
  res.writeHead(response.status, outHeaders);
  if (response.body && method !== 'HEAD') {
    const buf = new Uint8Array(await response.arrayBuffer());
    res.end(buf);
  } else res.end();
}

/** A node:http request listener around a fetch-style handler. */
export function toNodeListener(handler: FetchHandler): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    void (async () => {
      const method = req.method ?? 'GET';
      const hasBody = method !== 'GET' && method !== 'HEAD';
      const body = hasBody ? bodyStream(req) : undefined;
      let response = checkRequest(req);
      if (response === undefined) {
        let request: Request | undefined;
        try {
          const headers = new Headers();
          for (const [k, v] of Object.entries(req.headers)) {
            if (v === undefined) continue;
            if (Array.isArray(v)) for (const x of v) headers.append(k, x);
            else headers.set(k, v);
          }
          request = new Request(`${FIXED_ORIGIN}${req.url}`, {
            method,
            headers,
            body: body?.stream,
            // Required by undici for streamed request bodies.
            ...(hasBody ? { duplex: 'half' } : {}),
          } as RequestInit);
        } catch {
          // A header value or method undici will not carry is the client's error, answered, not a reset.
          response = vaultErrorResponse(new QsignError(HttpErrorCodes.BAD_PATH, 'malformed request'));
        }
        if (request) {
          try {
            response = await handler(request);
          } catch {
            response = vaultErrorResponse(new Error('handler failed'));
          }
        }
      }
      // Drain (discard) a body the handler did not read, e.g. one over the size
      // limit, before answering: closing with unread bytes resets the client.
      if (body && !req.complete) {
        body.discard();
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 10_000);
          req.once('end', () => {
            clearTimeout(t);
            resolve();
          });
          req.once('error', () => {
            clearTimeout(t);
            resolve();
          });
        });
      }
      await send(res, response!, method);
    })().catch(() => {
      try {
        res.destroy();
      } catch {
        /* already gone */
      }
    });
  };
}

/**
 * Starts a node:http server; resolves once it listens (default 127.0.0.1:8200).
 *
 * @example
 * ```ts
 * const { url, close } = await serveNode(createTransitHandler({ keyring, auth }), { port: 0 });
 * const client = new TransitClient({ address: url, token });
 * // …
 * await close();
 * ```
 */
export async function serveNode(
  handler: FetchHandler,
  opts: { host?: string; port?: number } = {},
): Promise<{
  server: Server;
  url: string;
  /** Stops listening and drops open connections; resolves once the server is closed. */
  close(): Promise<void>;
}> {
  const server = createServer(toNodeListener(handler));
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8200, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const a = server.address() as AddressInfo;
  const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
  return {
    server,
    url: `http://${host}:${a.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
