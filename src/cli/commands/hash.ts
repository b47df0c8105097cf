import { stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { QsignError } from '../../errors.js';
import { init, algorithms, backend } from '../../index.js';
import { sha3_224, sha3_256, sha3_384, sha3_512, shake128, shake256 } from '../../hash/index.js';
import type { Command } from '../command.js';
import { stringOpt } from '../command.js';

const HASHES = { 'sha3-224': sha3_224, 'sha3-256': sha3_256, 'sha3-384': sha3_384, 'sha3-512': sha3_512 } as const;
const XOFS = { shake128: [shake128, 32], shake256: [shake256, 64] } as const;

export const hashCommands: Command[] = [
  {
    path: ['algorithms'],
    summary: 'List the algorithms with sizes and NIST levels',
    options: [{ name: 'json', description: 'Print the registry as JSON instead of a table' }],
    async run(p, io) {
      if (p.options.json) {
        io.out(JSON.stringify(algorithms(), null, 2));
        return 0;
      }
      await init();
      const rows = algorithms().map((a) => [
        a.name,
        a.kind,
        a.standard,
        a.nistLevel?.toString() ?? '-',
        Object.entries(a.sizes)
          .map(([k, v]) => `${k}=${v}`)
          .join(' '),
        a.aliases.join(', '),
      ]);
      const head = ['algorithm', 'kind', 'standard', 'level', 'sizes (bytes)', 'aliases'];
      const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
      const fmt = (r: string[]) =>
        r
          .map((c, i) => c.padEnd(widths[i]!))
          .join('  ')
          .trimEnd();
      io.out(fmt(head));
      io.out(widths.map((w) => '-'.repeat(w)).join('  '));
      for (const r of rows) io.out(fmt(r));
      io.out(`\nwasm backend: ${backend()}`);
      return 0;
    },
  },
  {
    path: ['hash'],
    args: 'ALGORITHM FILE|-',
    summary: 'Hash a file (or stdin) with SHA-3/SHAKE and print hex',
    options: [
      {
        name: 'length',
        value: 'N',
        description: 'Output bytes of shake128/shake256 (default 32 and 64; at most 1048576)',
      },
    ],
    help: 'ALGORITHM is sha3-224, sha3-256, sha3-384, sha3-512, shake128 or shake256; FILE `-` reads stdin.',
    async run(p, io) {
      const [alg, file] = p.positionals;
      if (!alg || !file) throw new QsignError('ERR_USAGE', 'usage: qsign hash <algorithm> FILE|-');
      await init();
      const name = alg.toLowerCase();
      let hasher;
      if (name in HASHES) hasher = HASHES[name as keyof typeof HASHES].create();
      else if (name in XOFS) {
        const [fn, def] = XOFS[name as keyof typeof XOFS];
        const length = stringOpt(p, 'length');
        const len = length !== undefined ? Number(length) : def;
        if (!Number.isSafeInteger(len) || len <= 0 || len > 1 << 20)
          throw new QsignError('ERR_USAGE', '--length must be an integer from 1 to 1048576');
        hasher = fn.create({ dkLen: len });
      } else
        throw new QsignError(
          'ERR_USAGE',
          `unknown hash "${alg}"; use one of ${[...Object.keys(HASHES), ...Object.keys(XOFS)].join(', ')}`,
        );
      // destroy() in finally: a missing or unreadable file must not leave the wasm Keccak state to the GC.
      try {
        if (file === '-') {
          for await (const chunk of process.stdin) hasher.update(chunk as Uint8Array);
        } else {
          try {
            if (!(await stat(file)).isFile()) throw new Error('not a regular file');
          } catch (e) {
            throw new QsignError('ERR_FILE', `cannot read ${file}: ${(e as Error).message}`);
          }
          for await (const chunk of createReadStream(file)) hasher.update(chunk as Uint8Array);
        }
        const digest = hasher.digest();
        io.out(`${Buffer.from(digest).toString('hex')}  ${file}`);
        return 0;
      } finally {
        hasher.destroy();
      }
    },
  },
];
