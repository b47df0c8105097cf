// The one `freePort` of the tests, runners and benches (test/unit/layout.test.ts refuses a second one).
// Plain JavaScript so the Node 20 runners import it without a TypeScript step; types in ports.d.mts.
import { createServer } from 'node:net';

/** A free TCP port on 127.0.0.1 (the OS picks; we release it and hand the number on). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}
