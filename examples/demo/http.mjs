/**
 * The demo's node:http front: checks the request line and Host, then hands
 * the request to the SDK's fetch adapter (`toNodeListener`) with the URL
 * built from the bound address and the request target only.
 *
 * Why not serveNode as it is: it builds the URL from `http://${Host}${target}`,
 * so a Host of `x/api/info?` rerouted any request, and a Host of `a b` made
 * the URL constructor throw and the connection reset (issue 18 #3). Kept
 * local to the demo; transit's own serveNode is fixed in src/transit.
 */
import { createServer } from 'node:http';
import { toNodeListener } from '../../dist/transit/node/server.js';

/** The header this front sets to the peer's address; a client-sent one is dropped first. */
export const CLIENT_ADDRESS_HEADER = 'x-qsign-client-address';

// RFC 3986 host with an optional port: a reg-name of unreserved characters (no '/', '?', '#', '@',
// spaces or percent escapes, which could change how a URL built from it parses) or an IP-literal.
const HOST = /^(?:[A-Za-z0-9._~-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

function refuse(res, status, error, message) {
  const body = JSON.stringify({ error, error_description: message, errors: [message] });
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    connection: 'close',
  });
  res.end(body);
}

/**
 * A node:http listener around `handler`: `Host` must be a well-formed
 * host[:port] (else 400 invalid_host), the request target must be
 * origin-form `/…` (else 400 invalid_request_target), and the handler sees
 * `origin + target` whatever the Host said.
 */
export function demoListener(handler, origin) {
  const canonicalHost = new URL(origin).host;
  const inner = toNodeListener(handler);
  return (req, res) => {
    const host = req.headers.host;
    if (typeof host !== 'string' || !HOST.test(host))
      return refuse(res, 400, 'invalid_host', 'the Host header must be host[:port]');
    if (typeof req.url !== 'string' || !req.url.startsWith('/'))
      return refuse(res, 400, 'invalid_request_target', 'the request target must be an absolute path (/…)');
    // Route on the target alone: the adapter builds its URL from this Host, so pin it to the bound address.
    req.headers.host = canonicalHost;
    delete req.headers[CLIENT_ADDRESS_HEADER];
    req.headers[CLIENT_ADDRESS_HEADER] = req.socket.remoteAddress ?? 'unknown';
    inner(req, res);
  };
}

/** Listens on host:port; resolves with the bound URL and close(). `makeHandler(url)` gets that URL first. */
export async function serveDemo(makeHandler, { host, port }) {
  let listener = (req, res) => refuse(res, 503, 'starting', 'the demo is starting; retry in a moment');
  const server = createServer((req, res) => listener(req, res));
  server.keepAliveTimeout = 5_000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const a = server.address();
  const url = `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
  listener = demoListener(makeHandler(url), url);
  return {
    server,
    url,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
