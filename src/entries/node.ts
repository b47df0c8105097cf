// Node.js and Bun: the .wasm files that sit beside the package. Where the
// runtime offers process.getBuiltinModule (Node ≥ 20.16, Bun) each family
// module is read and compiled synchronously on its first use: V8 compiles wasm
// functions lazily, so the compile is a decode and validation pass (~1 ms per
// module), and skipping fs/promises and async compilation (each a few
// event-loop round trips) saves ~2.5 ms of a ~20 ms cold start.
type Variant = 'simd' | 'scalar';

function read(file: string): WebAssembly.Module | Promise<Uint8Array> {
  const url = new URL(`../../wasm/${file}`, import.meta.url);
  const fs = typeof process === 'undefined' ? undefined : process.getBuiltinModule?.('node:fs');
  if (fs) return new WebAssembly.Module(fs.readFileSync(url));
  return import('node:fs/promises').then(({ readFile }) => readFile(url));
}

/** Whether {@link readModule} hands over a compiled Module (so init() can leave each to its first use). */
export function modulesArriveSync(): boolean {
  return typeof process !== 'undefined' && typeof process.getBuiltinModule === 'function';
}

/**
 * A family module (wasm/qsign-<name>-<variant>.wasm; node-<family>.ts, reached as `#wasm-source/<family>`):
 * compiled synchronously where possible, else read async (init() awaits it; SLH-DSA needs `loadSlhDsa()`).
 */
export function readModule(name: string, variant: Variant): WebAssembly.Module | Promise<Uint8Array> {
  return read(`qsign-${name}-${variant}.wasm`);
}

/** The Node.js modules the kernel source uses, as `process.getBuiltinModule` hands them out. */
interface KernelRandomFs {
  openSync(path: string, flags: number): number;
  fstatSync(fd: number): { isCharacterDevice(): boolean; rdev: number };
  readSync(fd: number, buf: Uint8Array, offset: number, length: number, position: null): number;
  closeSync(fd: number): void;
  constants: { O_RDONLY: number; O_NONBLOCK: number };
}

/** Linux's /dev/random: character device 1:8 (Documentation/admin-guide/devices.txt), as fstat's rdev encodes it. */
const LINUX_DEV_RANDOM = (1 << 8) | 8;

/**
 * Node.js on Linux ≥ 5.6: the kernel's generator, read from /dev/random without blocking. Node's first
 * crypto.getRandomValues loads its webcrypto, hash and stream modules (~2.3 ms of CPU, a sixth of a cold start
 * to the first keypair; issue 23); fs is loaded already. Since Linux 5.6 /dev/random is the getrandom()
 * generator, which blocks only until the kernel's CRNG is seeded: a read that returns bytes returns seeded
 * output. Kernels with "random: restore O_NONBLOCK support" (2022, backported to stable) fail a non-blocking
 * read before seeding (EAGAIN: Web Crypto then); 5.6 up to it ignore O_NONBLOCK there and wait for the seed,
 * as getrandom(), which Web Crypto's OpenSSL seeds from, would. Returns a filler that reports
 * whether it filled the whole buffer, or undefined where this does not apply (other runtimes and systems,
 * older kernels whose /dev/random is the entropy-counting pool). init() hands it to randomBytes
 * (src/util/bytes.ts usePlatformRandom); `device` is for its tests.
 */
export function randomSource(device = '/dev/random'): ((buf: Uint8Array) => boolean) | undefined {
  const p = typeof process === 'undefined' ? undefined : process;
  // Bun (which loads this entry too) has a fast Web Crypto of its own.
  if (p?.platform !== 'linux' || p.versions?.bun) return;
  const os = p.getBuiltinModule?.('node:os') as { release(): string } | undefined;
  const [major = 0, minor = 0] = (os?.release() ?? '').split('.').map(Number);
  // Written as "is new enough" so that a release that does not parse (NaN) counts as older.
  if (!(major > 5 || (major === 5 && minor >= 6))) return;
  const fs = p.getBuiltinModule?.('node:fs') as KernelRandomFs | undefined;
  if (!fs) return;
  return (buf) => {
    let fd = -1;
    try {
      fd = fs.openSync(device, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
      // A chroot or container may put anything at the path: only the kernel's device counts.
      const st = fs.fstatSync(fd);
      if (!st.isCharacterDevice() || st.rdev !== LINUX_DEV_RANDOM) return false;
      for (let at = 0; at < buf.length;) {
        const n = fs.readSync(fd, buf, at, buf.length - at, null);
        if (n <= 0) return false;
        at += n;
      }
      return true;
    } catch {
      return false;
    } finally {
      if (fd >= 0) fs.closeSync(fd);
    }
  };
}
