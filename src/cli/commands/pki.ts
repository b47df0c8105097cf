/**
 * `qsign ca|csr|cert …`: the seed §7.1 OQS CA script and the day-to-day PKI
 * chores on top of qsign-pqc/x509. Files are PEM; private keys are written
 * seed-only PKCS#8 (RFC 9881/9935 RECOMMENDED) with mode 0600 unless
 * `--key-form both` asks for OpenSSL 3.5's default form.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { QsignError } from '../../errors.js';
import { init } from '../../index.js';
import {
  Certificate,
  CertificateError,
  Csr,
  createCaHierarchy,
  createCertificate,
  createCsr,
  decodePKCS8,
  encodePKCS8,
  encodePKCS8Pem,
  encodeSPKI,
  generateKey,
  isSignatureAlgorithm,
  isSlhDsaAlgorithm,
  keyAlg,
  parseSanList,
  pemDecodeAll,
  pemEncode,
  roleFromJson,
  signCsrWithRole,
  verifyChain,
  type DecodedPrivateKey,
  type KeyAlgorithm,
  type PrivateKeyForm,
  type Purpose,
} from '../../x509/index.js';
import type { Command } from '../command.js';
import { listOpt, positiveIntOpt, requireOpt, stringOpt, type OptionSpec, type ParsedArgs } from '../command.js';

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    throw new QsignError('ERR_FILE', `cannot read ${file}: ${(e as Error).message}`);
  }
}

async function readCerts(file: string): Promise<Certificate[]> {
  const blocks = pemDecodeAll(await readText(file)).filter((b) => b.label === 'CERTIFICATE');
  if (blocks.length === 0) throw new QsignError('ERR_PEM', `${file} contains no CERTIFICATE PEM block`);
  return blocks.map((b) => Certificate.fromDer(b.der));
}

async function readKey(file: string): Promise<DecodedPrivateKey> {
  return decodePKCS8(await readText(file));
}

/** Writes a private key PEM readable only by the owner (chmod too, in case the file existed). */
async function writeKey(file: string, pem: string | Uint8Array): Promise<void> {
  await writeFile(file, pem, { mode: 0o600 });
  await chmod(file, 0o600);
}

function keyForm(p: ParsedArgs): PrivateKeyForm {
  const f = stringOpt(p, 'key-form') ?? 'seed';
  if (f !== 'seed' && f !== 'both') throw new QsignError('ERR_USAGE', '--key-form must be "seed" or "both"');
  return f;
}

function sans(p: ParsedArgs): string[] {
  return listOpt(p, 'san');
}

const KEY_FORM: OptionSpec = {
  name: 'key-form',
  value: 'FORM',
  description: 'Private key PKCS#8 form: seed (default, RFC 9881/9935) or both (OpenSSL 3.5 default)',
};
const SAN: OptionSpec = {
  name: 'san',
  value: 'SAN',
  multiple: true,
  description: 'Subject alternative name: a DNS name, *.wildcard, IP:…, URI:… or email:…',
};
const DAYS: OptionSpec = { name: 'days', value: 'N', description: 'Validity in days (default 365)' };

const PURPOSES: Purpose[] = ['serverAuth', 'clientAuth', 'codeSigning', 'emailProtection', 'timeStamping', 'any'];

export const pkiCommands: Command[] = [
  {
    path: ['key', 'generate'],
    summary: 'Generate an ML-DSA, SLH-DSA or ML-KEM key as PKCS#8 (and its SPKI), like openssl genpkey',
    options: [
      {
        name: 'alg',
        value: 'ALG',
        required: true,
        description: 'ML-DSA-44|65|87, SLH-DSA-SHA2-128s … SLH-DSA-SHAKE-256f (all twelve sets), ML-KEM-512|768|1024',
      },
      { name: 'out', value: 'FILE', required: true, description: 'Where to write the private key (mode 0600)' },
      { name: 'pub-out', value: 'FILE', description: 'Also write the public key (SubjectPublicKeyInfo)' },
      { name: 'der', description: 'Write DER instead of PEM (openssl -outform DER)' },
      KEY_FORM,
    ],
    help: 'SLH-DSA keys are written as RFC 9909 specifies (privateKey = SK.seed ‖ SK.prf ‖ PK.seed ‖ PK.root, what OpenSSL writes); --key-form applies to ML-DSA and ML-KEM keys only.',
    async run(p, io) {
      const alg = keyAlg(requireOpt(p, 'alg'));
      const out = requireOpt(p, 'out');
      await init();
      const key = generateKey(alg);
      const der = !!p.options.der;
      const pkcs8 = encodePKCS8(alg, key, { form: keyForm(p) });
      await writeKey(out, der ? pkcs8 : pemEncode('PRIVATE KEY', pkcs8));
      const pubOut = stringOpt(p, 'pub-out');
      if (pubOut) {
        const spki = encodeSPKI(alg, key.publicKey);
        await writeFile(pubOut, der ? spki : pemEncode('PUBLIC KEY', spki));
      }
      io.out(`${alg} key written to ${out}${pubOut ? ` (public key: ${pubOut})` : ''}`);
      return 0;
    },
  },
  {
    path: ['ca', 'create'],
    summary: 'Create a root CA, an intermediate CA and a server certificate (verified)',
    options: [
      { name: 'out', value: 'DIR', required: true, description: 'Directory for the keys and certificates' },
      { name: 'root-alg', value: 'ALG', description: 'Root CA key algorithm, ML-DSA or SLH-DSA (default ML-DSA-87)' },
      { name: 'alg', value: 'ALG', description: 'Intermediate and server key algorithm (default ML-DSA-65)' },
      { name: 'cn', value: 'NAME', description: 'Server common name (default server.example.com)' },
      { name: 'org', value: 'NAME', description: 'Organization in the subjects (default qsign)' },
      SAN,
      DAYS,
      KEY_FORM,
    ],
    help: 'Writes root-ca.key/.crt, intermediate-ca.key/.crt, server.key/.crt and server-chain.crt (server + intermediate) into DIR. Keys are PKCS#8 PEM with mode 0600. The chain is verified before the command returns.',
    async run(p, io) {
      const out = requireOpt(p, 'out');
      await init();
      const started = performance.now();
      const h = await createCaHierarchy({
        rootAlg: keyAlg(stringOpt(p, 'root-alg') ?? 'ML-DSA-87'),
        alg: keyAlg(stringOpt(p, 'alg') ?? 'ML-DSA-65'),
        cn: stringOpt(p, 'cn') ?? 'server.example.com',
        san: sans(p),
        days: positiveIntOpt(p, 'days') ?? 365,
        organization: stringOpt(p, 'org') ?? 'qsign',
      });
      const form = keyForm(p);
      await mkdir(out, { recursive: true });
      for (const [name, level] of [
        ['root-ca', h.root],
        ['intermediate-ca', h.intermediate],
        ['server', h.server],
      ] as const) {
        await writeKey(join(out, `${name}.key`), encodePKCS8Pem(level.key.alg, level.key, { form }));
        await writeFile(join(out, `${name}.crt`), level.certificate.pem);
      }
      await writeFile(join(out, 'server-chain.crt'), h.chainPem);
      io.out(`Root CA:         ${h.root.certificate.subject} (${h.root.key.alg})`);
      io.out(`Intermediate CA: ${h.intermediate.certificate.subject} (${h.intermediate.key.alg})`);
      io.out(`Server:          ${h.server.certificate.subject} (${h.server.key.alg})`);
      io.out(`chain verified; files in ${out} (${Math.round(performance.now() - started)} ms)`);
      return 0;
    },
  },
  {
    path: ['csr', 'create'],
    summary: 'Create a PKCS#10 CSR signed with an ML-DSA or SLH-DSA key',
    options: [
      {
        name: 'subject',
        value: 'DN',
        required: true,
        description: 'Subject, e.g. "CN=server.example.com,O=Example" (or /CN=…/O=…)',
      },
      { name: 'key', value: 'KEY', description: 'Sign with this PKCS#8 private key' },
      { name: 'alg', value: 'ALG', description: 'Algorithm of a new key when --key is not given (default ML-DSA-65)' },
      { name: 'key-out', value: 'FILE', description: 'Where to write the new key (required without --key)' },
      SAN,
      { name: 'out', value: 'FILE', description: 'Write the CSR to FILE instead of stdout' },
      KEY_FORM,
    ],
    async run(p, io) {
      const subject = requireOpt(p, 'subject');
      await init();
      let key: DecodedPrivateKey;
      const keyFile = stringOpt(p, 'key');
      if (keyFile) key = await readKey(keyFile);
      else {
        const keyOut = stringOpt(p, 'key-out');
        if (!keyOut) throw new QsignError('ERR_USAGE', 'give --key KEY, or --key-out FILE for a new key');
        key = generateKey(keyAlg(stringOpt(p, 'alg') ?? 'ML-DSA-65'));
        await writeKey(keyOut, encodePKCS8Pem(key.alg, key, { form: keyForm(p) }));
      }
      const s = sans(p);
      const csr = await createCsr({ subject, ...(s.length ? { subjectAltName: parseSanList(s) } : {}) }, key);
      const out = stringOpt(p, 'out');
      if (out) await writeFile(out, csr.pem);
      else io.out(csr.pem.trimEnd());
      return 0;
    },
  },
  {
    path: ['cert', 'issue'],
    summary: 'Issue a certificate from a CSR or for a new key, optionally under a role policy',
    options: [
      { name: 'ca-cert', value: 'CRT', required: true, description: 'Issuing CA certificate (PEM)' },
      { name: 'ca-key', value: 'KEY', required: true, description: 'Issuing CA private key (PKCS#8 PEM)' },
      { name: 'csr', value: 'CSR', description: 'Certify the key of this CSR' },
      { name: 'cn', value: 'NAME', description: 'Common name of a certificate for a new key (or to override the CSR)' },
      { name: 'alg', value: 'ALG', description: 'Algorithm of the new key (default ML-DSA-65; ML-KEM-768 too)' },
      { name: 'key-out', value: 'FILE', description: 'Where to write the new key (with --cn)' },
      SAN,
      DAYS,
      { name: 'role', value: 'ROLE.json', description: 'Issue under a Vault-style role policy' },
      { name: 'ca', description: 'Make a CA certificate (without --role)' },
      { name: 'path-len', value: 'N', description: 'pathLenConstraint of a --ca certificate' },
      { name: 'out', value: 'FILE', description: 'Write the certificate to FILE instead of stdout' },
      KEY_FORM,
    ],
    help: "--role takes a Vault-style role JSON (allowed_domains, allow_subdomains, allow_bare_domains, allow_glob_domains, allow_wildcard_certificates, allowed_key_types, max_ttl, ttl, key_usage, ext_key_usage, use_csr_sans, use_csr_extensions…); a violation fails with the rule's error code (e.g. ERR_ROLE_DOMAIN_NOT_ALLOWED). Without --role the CSR's SANs and requested keyUsage/EKU are used as given. ML-KEM keys get keyEncipherment only (RFC 9935).",
    async run(p, io) {
      await init();
      const [caCert] = await readCerts(requireOpt(p, 'ca-cert'));
      const caKey = await readKey(requireOpt(p, 'ca-key'));
      const issuer = { certificate: caCert!, key: caKey };
      const days = positiveIntOpt(p, 'days');
      const csrFile = stringOpt(p, 'csr');
      const cn = stringOpt(p, 'cn');
      if (!csrFile && !cn) throw new QsignError('ERR_USAGE', 'give --csr CSR or --cn NAME');
      let cert: Certificate;
      const roleFile = stringOpt(p, 'role');
      if (roleFile) {
        let raw: Record<string, unknown>;
        try {
          raw = JSON.parse(await readText(roleFile));
        } catch (e) {
          if (e instanceof QsignError) throw e;
          throw new QsignError('ERR_ROLE_INVALID', `${roleFile} is not valid JSON: ${(e as Error).message}`);
        }
        const role = roleFromJson(
          raw,
          (raw.name as string | undefined) ?? roleFile.replace(/^.*\//, '').replace(/\.json$/, ''),
        );
        const s = parseSanList(sans(p));
        const req = {
          ...(cn ? { commonName: cn } : {}),
          altNames: [...s.dns, ...s.email],
          ipSans: s.ip,
          uriSans: s.uri,
          ...(days ? { ttl: days * 86_400 } : {}),
        };
        if (csrFile) cert = (await signCsrWithRole(role, Csr.parse(await readText(csrFile)), req, issuer)).certificate;
        else {
          const alg = keyAlg(stringOpt(p, 'alg') ?? role.keyType ?? 'ML-DSA-65', role);
          const keyOut = requireOpt(p, 'key-out');
          const { issueFromRole } = await import('../../x509/role.js');
          const r = await issueFromRole(role, { ...req, keyType: alg }, issuer);
          await writeKey(keyOut, encodePKCS8Pem(r.privateKey!.alg, r.privateKey!, { form: keyForm(p) }));
          cert = r.certificate;
        }
      } else {
        let publicKey: { alg: KeyAlgorithm; publicKey: Uint8Array };
        let subject: string;
        const s = parseSanList(sans(p));
        let extra: Partial<Parameters<typeof createCertificate>[0]> = {};
        if (csrFile) {
          const csr = Csr.parse(await readText(csrFile));
          await csr.assertValid();
          publicKey = csr.publicKey;
          subject = cn ? `CN=${cn}` : csr.subject;
          const x = csr.requestedExtensions;
          if (x.subjectAltName)
            for (const k of ['dns', 'ip', 'uri', 'email'] as const)
              s[k] = [...new Set([...(s[k] ?? []), ...x.subjectAltName[k]])];
          extra = {
            ...(x.keyUsage ? { keyUsage: x.keyUsage } : {}),
            ...(x.extendedKeyUsage ? { extendedKeyUsage: x.extendedKeyUsage } : {}),
          };
        } else {
          const key = generateKey(keyAlg(stringOpt(p, 'alg') ?? 'ML-DSA-65'));
          await writeKey(requireOpt(p, 'key-out'), encodePKCS8Pem(key.alg, key, { form: keyForm(p) }));
          publicKey = key;
          subject = `CN=${cn}`;
          if (!p.options.ca && !s.dns?.includes(cn!) && !/[\s@]/.test(cn!)) s.dns = [cn!, ...(s.dns ?? [])];
        }
        const isCa = p.options.ca === true;
        const pathLen = stringOpt(p, 'path-len');
        cert = await createCertificate(
          {
            subject,
            publicKey,
            days: days ?? 365,
            ...extra,
            ...(isCa
              ? { ca: true, ...(pathLen !== undefined ? { pathLength: Number(pathLen) } : {}) }
              : {
                  extendedKeyUsage:
                    extra.extendedKeyUsage ?? (isSignatureAlgorithm(publicKey.alg) ? ['serverAuth', 'clientAuth'] : []),
                }),
            ...(s.dns?.length || s.ip?.length || s.uri?.length || s.email?.length ? { subjectAltName: s } : {}),
          },
          issuer,
        );
      }
      const out = stringOpt(p, 'out');
      if (out) await writeFile(out, cert.pem);
      else io.out(cert.pem.trimEnd());
      io.err(
        `issued ${cert.subject} serial ${cert.serialNumber} by ${caCert!.subject}, valid until ${cert.notAfter.toISOString()}`,
      );
      return 0;
    },
  },
  {
    path: ['cert', 'verify'],
    args: 'LEAF',
    summary: 'Validate a certificate chain; exit 0 valid, 1 invalid (prints the error code)',
    options: [
      { name: 'ca', value: 'ROOT', required: true, description: 'Trust anchors (PEM; may hold several)' },
      { name: 'untrusted', value: 'FILE', multiple: true, description: 'Intermediate certificates (PEM)' },
      { name: 'host', value: 'NAME', description: 'Require the leaf to be valid for this host name or IP' },
      { name: 'purpose', value: 'EKU', description: `One of ${PURPOSES.join(', ')} (default any)` },
      { name: 'at', value: 'ISO-TIME', description: 'Validate at this time instead of now' },
    ],
    help: 'A LEAF file holding a chain (server-chain.crt) contributes its extra certificates as untrusted intermediates.',
    async run(p, io) {
      const leafFile = p.positionals[0];
      if (!leafFile) throw new QsignError('ERR_USAGE', 'usage: qsign cert verify --ca ROOT [--untrusted FILE]… LEAF');
      const purpose = (stringOpt(p, 'purpose') ?? 'any') as Purpose;
      if (!PURPOSES.includes(purpose))
        throw new QsignError('ERR_USAGE', `--purpose must be one of ${PURPOSES.join(', ')}`);
      const at = stringOpt(p, 'at');
      const time = at ? new Date(at) : new Date();
      if (Number.isNaN(time.getTime())) throw new QsignError('ERR_USAGE', `--at "${at}" is not a date`);
      await init();
      const anchors = await readCerts(requireOpt(p, 'ca'));
      const [leaf, ...rest] = await readCerts(leafFile);
      const untrusted = [...rest];
      for (const f of listOpt(p, 'untrusted')) untrusted.push(...(await readCerts(f)));
      const host = stringOpt(p, 'host');
      try {
        const r = await verifyChain(leaf!, {
          trustAnchors: anchors,
          intermediates: untrusted,
          time,
          purpose,
          ...(host !== undefined ? { hostname: host } : {}),
        });
        io.out(`${leafFile}: OK`);
        for (const [i, c] of r.chain.entries()) io.out(`  depth ${i}: ${c.subject} (${c.publicKey.alg})`);
        return 0;
      } catch (e) {
        if (e instanceof CertificateError) {
          io.err(`${leafFile}: FAIL ${e.code} (TLS alert ${e.tlsAlert}) at depth ${e.depth}: ${e.message}`);
          return 1;
        }
        throw e;
      }
    },
  },
  {
    path: ['cert', 'show'],
    args: 'FILE',
    summary: 'Print the fields of certificates, CSRs and keys in a PEM/DER file',
    options: [],
    async run(p, io) {
      const file = p.positionals[0];
      if (!file) throw new QsignError('ERR_USAGE', 'usage: qsign cert show FILE');
      await init();
      let raw: Uint8Array;
      try {
        raw = new Uint8Array(await readFile(file));
      } catch (e) {
        throw new QsignError('ERR_FILE', `cannot read ${file}: ${(e as Error).message}`);
      }
      const text = new TextDecoder().decode(raw);
      const blocks = text.includes('-----BEGIN ') ? pemDecodeAll(text) : [{ label: 'CERTIFICATE', der: raw }];
      const outs: string[] = [];
      for (const b of blocks) {
        if (b.label === 'CERTIFICATE') outs.push(Certificate.fromDer(b.der).describe());
        else if (b.label === 'CERTIFICATE REQUEST') {
          const c = Csr.fromDer(b.der);
          const x = c.requestedExtensions.subjectAltName;
          outs.push(
            [
              `CSR subject:    ${c.subject}`,
              `Public key:     ${c.publicKey.alg}`,
              `Self-signature: ${(await c.verify()) ? 'OK' : 'INVALID'}`,
              ...(x ? [`Requested SAN:  ${[...x.dns, ...x.ip, ...x.uri, ...x.email].join(', ')}`] : []),
            ].join('\n'),
          );
        } else if (b.label === 'PRIVATE KEY') {
          const k = decodePKCS8(b.der);
          const shape = isSlhDsaAlgorithm(k.alg)
            ? 'RFC 9909 private key (SK.seed‖SK.prf‖PK.seed‖PK.root)'
            : `PKCS#8 form "${k.form}"`;
          outs.push(`Private key:    ${k.alg}, ${shape} (consistency checked)`);
        } else outs.push(`(skipped PEM block ${b.label})`);
      }
      io.out(outs.join('\n\n'));
      return 0;
    },
  },
];
