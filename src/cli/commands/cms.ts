/**
 * `qsign cms sign|verify|encrypt|decrypt`: CMS files that `openssl cms`
 * reads and writes (SignedData with ML-DSA, KEMRecipientInfo with ML-KEM),
 * on top of qsign-pqc/cms. Output is DER unless --pem; input may be DER or
 * PEM; keys and certificates are read as OpenSSL writes them (PEM or DER,
 * seed-only or seed+expanded PKCS#8). Detached signing, detached
 * verification and decryption stream the file, so size does not matter.
 */
import { createReadStream } from 'node:fs';
import { readFile, rename, rm, writeFile, open } from 'node:fs/promises';
import { QsignError } from '../../errors.js';
import { init } from '../../index.js';
import { Certificate, decodePKCS8, isPem, pemDecodeAll, pemEncode, type DecodedPrivateKey } from '../../x509/index.js';
import {
  decryptStream,
  encryptData,
  signData,
  signDetachedStream,
  verifyDetachedStream,
  verifySignedData,
  type ContentEncryption,
  type VerifiedSigner,
} from '../../cms/index.js';
import type { Command } from '../command.js';
import { listOpt, requireOpt, stringOpt } from '../command.js';

async function readBytes(file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (e) {
    throw new QsignError('ERR_FILE', `cannot read ${file}: ${(e as Error).message}`);
  }
}

/** Every certificate in a PEM bundle, or the one DER certificate of the file. */
async function readCerts(file: string): Promise<Certificate[]> {
  const b = await readBytes(file);
  if (!isPem(b)) return [Certificate.fromDer(b)];
  const blocks = pemDecodeAll(new TextDecoder().decode(b)).filter((x) => x.label === 'CERTIFICATE');
  if (blocks.length === 0) throw new QsignError('ERR_PEM', `${file} contains no CERTIFICATE`);
  return blocks.map((x) => Certificate.fromDer(x.der));
}

async function readCert(file: string): Promise<Certificate> {
  return (await readCerts(file))[0]!;
}

async function readKey(file: string): Promise<DecodedPrivateKey> {
  return decodePKCS8(await readBytes(file));
}

async function writeOut(file: string, der: Uint8Array, pem: boolean): Promise<void> {
  await writeFile(file, pem ? pemEncode('CMS', der) : der);
}

const CIPHERS: Record<string, ContentEncryption> = {
  'aes-128-gcm': 'AES-128-GCM',
  'aes-192-gcm': 'AES-192-GCM',
  'aes-256-gcm': 'AES-256-GCM',
  'aes-128-cbc': 'AES-128-CBC',
  'aes-192-cbc': 'AES-192-CBC',
  'aes-256-cbc': 'AES-256-CBC',
};

function describeSigner(s: VerifiedSigner): string {
  const when = s.signingTime ? `, signed ${s.signingTime.toISOString()}` : '';
  const how = s.digestAlgorithm
    ? `${s.signatureAlgorithm} with ${s.digestAlgorithm}`
    : `${s.signatureAlgorithm}, no signed attributes`;
  return `Signer: ${s.subject} (${how}${when}); chain: ${s.chain.map((c) => c.subject).join(' <- ')}`;
}

export const cmsCommands: Command[] = [
  {
    path: ['cms', 'sign'],
    summary: 'Sign a file into CMS SignedData with ML-DSA or SLH-DSA (openssl cms -verify reads it)',
    options: [
      { name: 'cert', value: 'CERT', required: true, description: "The signer's certificate (PEM or DER)" },
      {
        name: 'key',
        value: 'KEY',
        required: true,
        description: "The signer's ML-DSA or SLH-DSA private key (PKCS#8 PEM or DER)",
      },
      { name: 'in', value: 'FILE', required: true, description: 'The document to sign' },
      { name: 'out', value: 'FILE', required: true, description: 'Where to write the .p7s' },
      { name: 'detached', description: 'Leave the content out of the .p7s (the input is streamed)' },
      { name: 'chain', value: 'FILE', description: 'Intermediate certificates to embed (a PEM bundle)' },
      { name: 'pem', description: 'Write PEM instead of DER' },
      {
        name: 'digest',
        value: 'ALG',
        description:
          'sha512 (ML-DSA default, RFC 9882), sha384, sha256, sha3-512, shake128 or shake256 (fastest for big files); SLH-DSA defaults to its RFC 9814 digest',
      },
      {
        name: 'no-attrs',
        description: 'Sign the content itself, without signed attributes (OpenSSL 3.5/3.6 cannot verify that form)',
      },
      { name: 'keyid', description: 'Name the signer by subject key identifier instead of issuer and serial' },
    ],
    async run(p, io) {
      const [certFile, keyFile, inFile, outFile] = ['cert', 'key', 'in', 'out'].map((o) => requireOpt(p, o));
      await init();
      const signer = {
        certificate: await readCert(certFile!),
        key: await readKey(keyFile!),
        ...(stringOpt(p, 'digest') ? { digest: stringOpt(p, 'digest')! } : {}),
        ...(p.options['no-attrs'] ? { signedAttributes: false } : {}),
        ...(p.options.keyid ? { sid: 'subjectKeyIdentifier' as const } : {}),
        ...(stringOpt(p, 'chain') ? { chain: await readCerts(stringOpt(p, 'chain')!) } : {}),
      };
      const der =
        p.options.detached && !p.options['no-attrs']
          ? await signDetachedStream(createReadStream(inFile!), { signers: [signer] })
          : await signData(await readBytes(inFile!), { signers: [signer], detached: !!p.options.detached });
      await writeOut(outFile!, der, !!p.options.pem);
      io.out(`signed by ${signer.certificate.subject} (${signer.key.alg}); wrote ${outFile}`);
      return 0;
    },
  },
  {
    path: ['cms', 'verify'],
    summary: 'Verify CMS SignedData: digest, every ML-DSA/SLH-DSA signature and chain; exit 0 only when valid',
    options: [
      { name: 'ca', value: 'ROOT', required: true, description: 'Trusted root certificate(s) (PEM bundle or DER)' },
      { name: 'in', value: 'FILE', required: true, description: 'The .p7s to verify (PEM or DER)' },
      { name: 'content', value: 'FILE', description: 'The file a detached signature covers (streamed)' },
      { name: 'untrusted', value: 'FILE', description: 'Intermediate certificates the message does not embed' },
      { name: 'out', value: 'FILE', description: 'Write the content of an attached signature to FILE' },
    ],
    help: 'Prints one line per signer, then "Verification successful"; any failure exits non-zero with its code.',
    async run(p, io) {
      await init();
      const trustAnchors = await readCerts(requireOpt(p, 'ca'));
      const input = await readBytes(requireOpt(p, 'in'));
      const intermediates = stringOpt(p, 'untrusted') ? await readCerts(stringOpt(p, 'untrusted')!) : [];
      const contentFile = stringOpt(p, 'content');
      let signers: VerifiedSigner[];
      if (contentFile) {
        ({ signers } = await verifyDetachedStream(input, createReadStream(contentFile), {
          trustAnchors,
          intermediates,
        }));
      } else {
        const v = await verifySignedData(input, { trustAnchors, intermediates });
        signers = v.signers;
        const out = stringOpt(p, 'out');
        if (out) await writeFile(out, v.content);
      }
      for (const s of signers) io.out(describeSigner(s));
      io.out('Verification successful');
      return 0;
    },
  },
  {
    path: ['cms', 'encrypt'],
    summary: 'Encrypt a file to ML-KEM certificates (KEMRecipientInfo; openssl cms -decrypt reads it)',
    options: [
      {
        name: 'recip',
        value: 'CERT',
        multiple: true,
        required: true,
        description: "A recipient's ML-KEM certificate; repeat for several recipients",
      },
      { name: 'in', value: 'FILE', required: true, description: 'The file to encrypt' },
      { name: 'out', value: 'FILE', required: true, description: 'Where to write the .p7m' },
      {
        name: 'cipher',
        value: 'NAME',
        description:
          'aes-256-gcm (default, AuthEnvelopedData), aes-128-gcm, aes-256-cbc or aes-128-cbc (EnvelopedData)',
      },
      { name: 'keyid', description: 'Name recipients by subject key identifier instead of issuer and serial' },
      { name: 'pem', description: 'Write PEM instead of DER' },
    ],
    async run(p, io) {
      const recips = listOpt(p, 'recip');
      if (recips.length === 0) throw new QsignError('ERR_USAGE', 'give at least one --recip CERT');
      const cipherName = (stringOpt(p, 'cipher') ?? 'aes-256-gcm').toLowerCase();
      const contentEncryption = CIPHERS[cipherName];
      if (!contentEncryption)
        throw new QsignError('ERR_USAGE', `--cipher must be one of ${Object.keys(CIPHERS).join(', ')}`);
      const [inFile, outFile] = ['in', 'out'].map((o) => requireOpt(p, o));
      await init();
      const recipients = [];
      for (const r of recips)
        recipients.push({
          certificate: await readCert(r),
          ...(p.options.keyid ? { rid: 'subjectKeyIdentifier' as const } : {}),
        });
      const der = await encryptData(await readBytes(inFile!), { recipients, contentEncryption });
      await writeOut(outFile!, der, !!p.options.pem);
      io.out(
        `encrypted to ${recipients.map((r) => r.certificate.subject).join(', ')} (${contentEncryption}); wrote ${outFile}`,
      );
      return 0;
    },
  },
  {
    path: ['cms', 'decrypt'],
    summary: 'Decrypt CMS (Auth)EnvelopedData with an ML-KEM key, streaming; FILE appears only when authentic',
    options: [
      { name: 'key', value: 'KEY', required: true, description: 'The ML-KEM private key (PKCS#8 PEM or DER)' },
      { name: 'cert', value: 'CERT', description: "The recipient's certificate (else every KEM recipient is tried)" },
      { name: 'in', value: 'FILE', required: true, description: 'The .p7m to decrypt (PEM or DER)' },
      { name: 'out', value: 'FILE', required: true, description: 'Where to write the plaintext' },
    ],
    help: 'The plaintext is written to FILE.partial and renamed to FILE only after the AES-GCM tag checked out; on failure nothing is left behind.',
    async run(p, io) {
      const [keyFile, inFile, outFile] = ['key', 'in', 'out'].map((o) => requireOpt(p, o));
      await init();
      const key = await readKey(keyFile!);
      const certFile = stringOpt(p, 'cert');
      const certificate = certFile ? await readCert(certFile) : undefined;
      const raw = await readBytes(inFile!);
      // PEM input is small enough to decode whole; DER streams from the file.
      const source = isPem(raw) ? [pemBody(raw)] : createReadStream(inFile!);
      const tmp = `${outFile}.partial`;
      const fh = await open(tmp, 'w', 0o600);
      let n = 0;
      try {
        for await (const chunk of decryptStream(source, { key, ...(certificate ? { certificate } : {}) })) {
          await fh.write(chunk);
          n += chunk.length;
        }
        await fh.close();
        await rename(tmp, outFile!);
      } catch (e) {
        await fh.close().catch(() => {});
        await rm(tmp, { force: true });
        throw e;
      }
      io.out(`decrypted ${n} bytes to ${outFile}`);
      return 0;
    },
  },
];

function pemBody(b: Uint8Array): Uint8Array {
  const blocks = pemDecodeAll(new TextDecoder().decode(b)).filter((x) => x.label === 'CMS' || x.label === 'PKCS7');
  if (blocks.length === 0) throw new QsignError('ERR_PEM', 'no CMS PEM block found');
  return blocks[0]!.der;
}
