/**
 * Node-only audit sink: appends JSON lines to a file opened with O_APPEND and
 * mode 0600, synchronously, so lines from concurrent requests never interleave
 * and a line is in the file before its response leaves.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { AuditSink } from '../audit.js';

/**
 * An audit sink appending one JSON line per entry to `path` (created mode 0600), written synchronously so a
 * line is on disk before its response leaves.
 *
 * @example
 * ```ts
 * import { fileAuditSink, serveNode } from 'qsign-pqc/transit/node';
 * const sink = fileAuditSink('/var/log/qsign/audit.log');
 * const handler = createTransitHandler({ keyring, auth, audit: sink });
 * const { close } = await serveNode(handler, { port: 8200 });
 * // on shutdown: await close(); sink.close();
 * ```
 */
export function fileAuditSink(path: string): AuditSink & {
  /** Closes the file; later writes throw. */
  close(): void;
} {
  const fd = openSync(path, 'a', 0o600);
  return {
    write(line: string) {
      writeSync(fd, line + '\n');
    },
    close() {
      closeSync(fd);
    },
  };
}
