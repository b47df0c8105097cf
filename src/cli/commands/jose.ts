/**
 * `qsign jwk …` and `qsign jwt …`: ML-DSA JWK generation, public-key
 * extraction, JWT signing and verification (exit 0 valid, 1 invalid with the
 * error code on stderr, 2 usage).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { QsignError } from '../../errors.js';
import { parseJsonStrict } from '../../util/json.js';
import type { Command } from '../command.js';
import { requireOpt, stringOpt, type OptionSpec, type ParsedArgs } from '../command.js';
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

function alg(p: ParsedArgs) {
  const a = stringOpt(p, 'alg') ?? 'ML-DSA-65';
  if (!isJoseAlgorithm(a))
    throw new QsignError('ERR_USAGE', `--alg must be ML-DSA-44, ML-DSA-65 or ML-DSA-87, got ${a}`);
  return a;
}

const ALG_OPTION: OptionSpec = {
  name: 'alg',
  value: 'ALG',
  description: 'ML-DSA-44, ML-DSA-65 (default) or ML-DSA-87',
};

export const joseCommands: Command[] = [
  {
    path: ['jwk', 'generate'],
    summary: 'Generate an ML-DSA private JWK (RFC 9964 AKP, seed priv)',
    options: [
      ALG_OPTION,
      { name: 'out', value: 'FILE', description: 'Write the key to FILE (mode 0600) instead of stdout' },
    ],
    async run(p, io) {
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
    args: 'KEY.jwk',
    summary: 'Print the public JWK of a private JWK',
    options: [{ name: 'jwks', description: 'Print it as a one-key JWKS ({"keys":[…]}) for `jwt verify --jwks`' }],
    async run(p, io) {
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
    summary: 'Sign an ML-DSA JWT (alg and kid from the key); prints the token',
    options: [
      { name: 'key', value: 'KEY.jwk', required: true, description: 'Private JWK from `qsign jwk generate`' },
      { name: 'claims', value: 'JSON', description: 'Payload claims as a JSON object' },
      {
        name: 'exp',
        value: 'SPAN',
        description: "Expiry: a time span ('15m', '2h') or seconds from now; a past time is written --exp=-1m",
      },
      { name: 'iss', value: 'ISSUER', description: 'The iss (issuer) claim' },
      { name: 'aud', value: 'AUDIENCE', description: 'The aud (audience) claim' },
      { name: 'sub', value: 'SUBJECT', description: 'The sub (subject) claim' },
      { name: 'typ', value: 'TYPE', description: 'The typ header (default JWT)' },
    ],
    help: 'iat is set to now unless --claims gives one.',
    async run(p, io) {
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
    args: 'TOKEN|-',
    summary: 'Verify a JWT; exit 0 valid, 1 invalid (prints the error code)',
    options: [
      {
        name: 'jwks',
        value: 'FILE|URL',
        required: true,
        description: 'The keys: a JWKS file, a single public JWK file or an http(s) JWKS URL',
      },
      { name: 'iss', value: 'ISSUER', description: 'Require this iss claim' },
      { name: 'aud', value: 'AUDIENCE', description: 'Require this aud claim' },
      { name: 'alg', value: 'ALG', description: 'Accept only this algorithm (ML-DSA-44, ML-DSA-65 or ML-DSA-87)' },
      { name: 'clock-tolerance', value: 'SPAN', description: "Allowed clock skew: seconds or a span ('30s')" },
    ],
    help: 'TOKEN `-` reads the token from stdin. Prints {valid, protectedHeader, payload} as JSON when valid; otherwise {valid:false, code} on stdout and "invalid: CODE: message" on stderr.',
    async run(p, io) {
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
