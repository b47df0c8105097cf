/**
 * Node-only audit sink: appends JSON lines to a file opened with O_APPEND and
 * mode 0600, synchronously, so lines from concurrent requests never interleave
 * and a line is in the file before its response leaves.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import type { AuditSink } from '../audit.js';

export function fileAuditSink(path: string): AuditSink & { close(): void } {
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
