#!/usr/bin/env node
// A/B of two builds of the C core, for changes under native/: both modules
// are instantiated in this one process and called straight through their
// exports (no TypeScript layer), in alternating ~150 ms rounds, so load on
// the machine hits both alike. Prints the median ops/s of each and B ÷ A.
//
//   git show HEAD:wasm/qsign-mldsa-simd.wasm > /tmp/base.wasm   (the committed build as A; ML-KEM ops: qsign-mlkem-*)
//   node scripts/build-wasm.mjs                              (your change as B)
//   node bench/ab.mjs /tmp/base.wasm wasm/qsign-mldsa-simd.wasm mldsa-sign [--level 65] [--rounds 16]
//
// --cpu times with this process's CPU time (for a loaded machine).
// Operations: mldsa-keygen, mldsa-sign (1 KiB, hedged), mldsa-verify (1 KiB),
// mlkem-keygen, mlkem-encaps, mlkem-decaps, shake128x2 (two 5-block SHAKE128
// streams, as in ExpandA), shake256 (a 1952-byte input, as tr = H(pk) of
// ML-DSA-65: fifteen one-way permutations), slh-keygen, slh-sign (1 KiB,
// deterministic), slh-verify (1 KiB) on the SLH-DSA module
// (wasm/qsign-slhdsa-*.wasm; --set 0..11 in OID order, default 1 = SHA2-128f).
// --level: 44/65/87 or 512/768/1024.
// Run it under deno or node24 (same arguments) to compare in other engines.
import { readFileSync } from 'node:fs';
import { median } from './stats.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const [fileA, fileB, op] = args;
const OPS = [
  'mldsa-keygen',
  'mldsa-sign',
  'mldsa-verify',
  'mlkem-keygen',
  'mlkem-encaps',
  'mlkem-decaps',
  'shake128x2',
  'shake256',
  'slh-keygen',
  'slh-sign',
  'slh-verify',
];
if (!fileA || !fileB || !OPS.includes(op)) {
  console.error(`usage: node bench/ab.mjs A.wasm B.wasm <${OPS.join('|')}> [--level N] [--rounds N]`);
  process.exit(2);
}
const kem = op.startsWith('mlkem');
const level = Number(opt('--level', kem ? 768 : 65));
const rounds = Number(opt('--rounds', 16));
const SIG_BYTES = { 44: 2420, 65: 3309, 87: 4627 };
const kemK = level / 256; // the core's ML-KEM functions take the module rank k
const slh = op.startsWith('slh');
const slhSet = Number(opt('--set', 1));
// Signature bytes per set, in OID order (FIPS 205 Table 2; SHA2 and SHAKE alike).
const SLH_SIG = [7856, 17088, 16224, 35664, 29792, 49856];

function setup(file) {
  const x = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(file)), {}).exports;
  x._initialize?.();
  const mem = () => new Uint8Array(x.memory.buffer);
  const seed = x.qs_malloc(64),
    pk = x.qs_malloc(4096),
    sk = x.qs_malloc(8192),
    sig = x.qs_malloc(65536);
  const rnd = x.qs_malloc(32),
    msg = x.qs_malloc(1024),
    ct = x.qs_malloc(2048),
    ss = x.qs_malloc(32),
    m = x.qs_malloc(32);
  mem().fill(7, seed, seed + 64);
  mem().fill(9, msg, msg + 1024);
  const check = (rc, what) => {
    if (rc !== 0) throw new Error(`${file}: ${what} returned ${rc}`);
  };
  // Each call varies one seed byte pair, so signing runs through a fair mix of attempt counts.
  const vary = (ptr, i) => {
    mem()[ptr] = i;
    mem()[ptr + 1] = i >> 8;
  };
  const run = {
    'mldsa-keygen': (i) => {
      vary(seed, i);
      check(x.qs_mldsa_keypair(level, seed, pk, sk), 'keypair');
    },
    'mldsa-sign': (i) => {
      vary(rnd, i);
      check(x.qs_mldsa_sign_msg(level, sk, msg, 0, msg, 1024, rnd, sig), 'sign');
    },
    'mldsa-verify': () => check(x.qs_mldsa_verify_msg(level, pk, msg, 0, msg, 1024, sig, SIG_BYTES[level]), 'verify'),
    'mlkem-keygen': (i) => {
      vary(seed, i);
      check(x.qs_mlkem_keypair(kemK, seed, pk, sk), 'keypair');
    },
    'mlkem-encaps': (i) => {
      vary(m, i);
      check(x.qs_mlkem_encaps(kemK, pk, m, ct, ss), 'encaps');
    },
    'mlkem-decaps': () => check(x.qs_mlkem_decaps(kemK, sk, ct, ss), 'decaps'),
    'slh-keygen': (i) => {
      vary(seed, i);
      check(x.qs_slh_keypair(slhSet, seed, pk, sk), 'slh keypair');
    },
    'slh-sign': () => check(x.qs_slh_sign(slhSet, sk, msg, 0, msg, 1024, 0, sig), 'slh sign'),
    'slh-verify': () => check(x.qs_slh_verify(slhSet, pk, msg, 0, msg, 1024, sig, SLH_SIG[slhSet % 6]), 'slh verify'),
    shake256: (i) => {
      vary(sig, i);
      check(x.qs_keccak_oneshot(2, sig, 1952, ss, 32), 'oneshot');
    },
    shake128x2: (i) => {
      vary(seed, i);
      check(x.qs_shake_x2(1, seed, seed + 32, 34, sig, sig + 1024, 5), 'shake_x2');
    },
  };
  if (slh) {
    check(x.qs_slh_keypair(slhSet, seed, pk, sk), 'slh keypair');
    run['slh-sign']();
    return run[op];
  }
  if (kem) {
    run['mlkem-keygen'](0);
    run['mlkem-encaps'](1);
  } else {
    check(x.qs_mldsa_keypair(level, seed, pk, sk), 'keypair');
    run['mldsa-sign'](0);
  }
  return run[op];
}

const a = setup(fileA),
  b = setup(fileB);
// --cpu: this process's CPU time instead of wall-clock time, so time spent
// descheduled on a loaded machine counts for neither build.
const clock = args.includes('--cpu')
  ? () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    }
  : () => performance.now();
const rate = (fn, ms) => {
  const t0 = clock();
  let n = 0;
  while (clock() - t0 < ms) fn(n++);
  return n / ((clock() - t0) / 1000);
};
rate(a, 300);
rate(b, 300); // warm-up: both tiered up before the first round
const ra = [],
  rb = [];
for (let r = 0; r < rounds; r++) {
  if (r & 1) {
    rb.push(rate(b, 150));
    ra.push(rate(a, 150));
  } else {
    ra.push(rate(a, 150));
    rb.push(rate(b, 150));
  }
}
const ma = median(ra),
  mb = median(rb);
console.log(
  `${op} ${slh ? `set ${slhSet}` : `level ${level}`}: A ${ma.toFixed(0)} ops/s, B ${mb.toFixed(0)} ops/s, B ÷ A ${(mb / ma).toFixed(3)}`,
);
