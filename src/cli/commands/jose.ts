/**
 * `qsign jwk …` and `qsign jwt …`: ML-DSA JWK generation, public-key
 * extraction, JWT signing and verification (exit 0 valid, 1 invalid with the
 * error code on stderr, 2 usage).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { QsignError } from '../../errors.js';
import { parseJsonStrict } from '../../util/json.js';
import type { Command } from '../command.js';
import { parseArgs, requireOpt, stringOpt } from '../command.js';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  isJoseAlgorithm,
  jwtVerify,
  SignJWT,
  type JSONWebKeySet,
  type JWTPayload,
  type KeyResolver,
} from '../../jose/index.js';

async function readJson(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new QsignError('ERR_FILE', `cannot read ${what} ${file}: ${(e as Error).message}`);
  }
  // Strict: a JWK or JWKS file with a member twice ("kty" twice, "pub" twice) is refused, as on the wire.
  return parseJsonStrict(text, (why) => new QsignError('ERR_USAGE', `${what} ${file} is not valid JSON: ${why}`));
}

function alg(p: ReturnType<typeof parseArgs>) {
  const a = stringOpt(p, 'alg') ?? 'ML-DSA-65';
  if (!isJoseAlgorithm(a))
    throw new QsignError('ERR_USAGE', `--alg must be ML-DSA-44, ML-DSA-65 or ML-DSA-87, got ${a}`);
  return a;
}

export const joseCommands: Command[] = [
  {
    path: ['jwk', 'generate'],
    usage: 'jwk generate [--alg ML-DSA-65] [--out key.jwk]',
    summary: 'Generate an ML-DSA private JWK (RFC 9964 AKP, seed priv)',
    async run(args, io) {
      const p = parseArgs(args, { strings: ['alg', 'out'] });
      const { privateKey } = await generateKeyPair(alg(p), { extractable: true });
      const json = JSON.stringify(await exportJWK(privateKey), null, 2);
      privateKey.destroy();
      const out = stringOpt(p, 'out');
      // The file holds a private key: owner-only permissions.
      if (out) {
        await writeFile(out, json + '\n', { mode: 0o600 });
        io.err(`wrote ${out} (kid ${JSON.parse(json).kid})`);
      } else io.out(json);
      return 0;
    },
  },
  {
    path: ['jwk', 'public'],
    usage: 'jwk public KEY.jwk [--jwks]',
    summary: 'Print the public JWK (--jwks: as a one-key JWKS)',
    async run(args, io) {
      const p = parseArgs(args, { booleans: ['jwks'] });
      const file = p.positionals[0];
      if (!file) throw new QsignError('ERR_USAGE', 'usage: qsign jwk public KEY.jwk');
      const key = await importJWK((await readJson(file, 'key')) as Record<string, unknown>);
      const pub = await exportJWK(key.toPublic());
      key.destroy();
      io.out(JSON.stringify(p.options.jwks ? { keys: [{ ...pub, use: 'sig' }] } : pub, null, 2));
      return 0;
    },
  },
  {
    path: ['jwt', 'sign'],
    usage: "jwt sign --key KEY.jwk [--claims '{…}'] [--exp 1h] [--iss --aud --sub]",
    summary: 'Sign an ML-DSA JWT (alg and kid from the key)',
    help: "Options: --claims JSON object, --exp time span ('15m', '2h', '-1m') or seconds from now,\n--iss/--aud/--sub registered claims, --typ header typ (default JWT). iat is set to now.",
    async run(args, io) {
      const p = parseArgs(args, { strings: ['key', 'claims', 'exp', 'iss', 'aud', 'sub', 'typ'] });
      const key = await importJWK((await readJson(requireOpt(p, 'key'), 'key')) as Record<string, unknown>);
      if (key.type !== 'private') throw new QsignError('ERR_USAGE', '--key must be a private JWK (with "priv")');
      let claims: JWTPayload = {};
      const c = stringOpt(p, 'claims');
      if (c !== undefined) {
        claims = parseJsonStrict(
          c,
          (why) => new QsignError('ERR_USAGE', `--claims is not valid JSON: ${why}`),
        ) as JWTPayload;
        if (!claims || typeof claims !== 'object' || Array.isArray(claims))
          throw new QsignError('ERR_USAGE', '--claims must be a JSON object');
      }
      const jwt = new SignJWT(claims).setProtectedHeader({
        alg: key.alg,
        kid: key.kid,
        typ: stringOpt(p, 'typ') ?? 'JWT',
      });
      if (claims.iat === undefined) jwt.setIssuedAt();
      const exp = stringOpt(p, 'exp');
      if (exp !== undefined)
        jwt.setExpirationTime(/^\d+$/.test(exp) ? Math.floor(Date.now() / 1000) + Number(exp) : exp);
      const iss = stringOpt(p, 'iss');
      if (iss !== undefined) jwt.setIssuer(iss);
      const aud = stringOpt(p, 'aud');
      if (aud !== undefined) jwt.setAudience(aud);
      const sub = stringOpt(p, 'sub');
      if (sub !== undefined) jwt.setSubject(sub);
      io.out(await jwt.sign(key));
      key.destroy();
      return 0;
    },
  },
  {
    path: ['jwt', 'verify'],
    usage: 'jwt verify --jwks JWKS.json|URL [--iss --aud --alg] TOKEN|-',
    summary: 'Verify a JWT; exit 0 valid, 1 invalid (prints the error code)',
    help: 'Prints {valid, protectedHeader, payload} as JSON when valid; otherwise {valid:false, code} on stdout and\n"invalid: CODE: message" on stderr. --jwks takes a JWKS file, a single JWK file or an http(s) URL.\n--clock-tolerance takes seconds or a time span.',
    async run(args, io) {
      const p = parseArgs(args, { strings: ['jwks', 'iss', 'aud', 'alg', 'clock-tolerance'] });
      let token = p.positionals[0];
      if (!token) throw new QsignError('ERR_USAGE', 'usage: qsign jwt verify --jwks JWKS.json|URL TOKEN');
      if (token === '-') {
        let s = '';
        for await (const chunk of process.stdin) s += chunk;
        token = s.trim();
      }
      const src = requireOpt(p, 'jwks');
      let keys: KeyResolver;
      if (/^https?:\/\//.test(src)) keys = createRemoteJWKSet(new URL(src));
      else {
        const j = (await readJson(src, 'JWKS')) as JSONWebKeySet & { kty?: string };
        // A single JWK is accepted too, as a one-key set.
        keys = createLocalJWKSet(j.kty ? { keys: [j as unknown as Record<string, unknown>] } : j);
      }
      const a = stringOpt(p, 'alg');
      const tol = stringOpt(p, 'clock-tolerance');
      try {
        const { payload, protectedHeader } = await jwtVerify(token, keys, {
          ...(stringOpt(p, 'iss') !== undefined ? { issuer: stringOpt(p, 'iss')! } : {}),
          ...(stringOpt(p, 'aud') !== undefined ? { audience: stringOpt(p, 'aud')! } : {}),
          ...(a !== undefined ? { algorithms: [a] } : {}),
          ...(tol !== undefined ? { clockTolerance: /^\d+$/.test(tol) ? Number(tol) : tol } : {}),
        });
        io.out(JSON.stringify({ valid: true, protectedHeader, payload }, null, 2));
        return 0;
      } catch (e) {
        if (e instanceof QsignError) {
          const extra = 'claim' in e ? ` (claim ${(e as { claim: string }).claim})` : '';
          io.err(`invalid: ${e.code}${extra}: ${e.message}`);
          io.out(JSON.stringify({ valid: false, code: e.code }));
          return 1;
        }
        throw e;
      }
    },
  },
];
