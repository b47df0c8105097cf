/**
 * CMS EnvelopedData (RFC 5652 §6) and AuthEnvelopedData (RFC 5083) to
 * ML-KEM recipients through KEMRecipientInfo (RFC 9629, RFC 9936).
 *
 * For each recipient: ML-KEM.Encaps to the certificate's key gives a
 * shared secret; HKDF (RFC 8619; SHA-256 by default, the one RFC 9936
 * requires) turns it into a key-encryption key with the DER of
 * CMSORIforKEMOtherInfo as `info`; AES key wrap (RFC 3394) wraps the
 * content-encryption key. The content is AES-GCM (AuthEnvelopedData, the
 * default) or AES-CBC (EnvelopedData, for older readers).
 *
 * AES (GCM, CBC, key wrap) runs on Web Crypto where the runtime has it
 * (./aes.ts). Every secret (shared secret, KEK, CEK) is wiped before the
 * call returns.
 */
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { decapsulate, encapsulate, type KemAlgorithm } from '../engine/index.js';
import { QsignError } from '../errors.js';
import { findAlgorithm, findAlgorithmByOid } from '../registry.js';
import { equalBytes, randomBytes } from '../util/bytes.js';
import { Certificate, isKemAlgorithm, type KeyAlgorithm } from '../x509/index.js';
import {
  algId,
  algIdDer,
  children,
  concat,
  intDer,
  octets,
  oid,
  oidDer,
  seq,
  setOf,
  smallInt,
  tlv,
  type AlgId,
  type Ber,
} from './asn1.js';
import { registryEntry } from './algorithms.js';
import { cbcDecrypt, cbcEncrypt, gcmOpen, gcmSeal, keyUnwrap, keyWrap } from './aes.js';
import { CmsError, CmsErrorCodes as E, malformed } from './errors.js';
import { CMS_OIDS } from './oids.js';
import { contentInfo, type CertificateInput } from './signed.js';
import { certIdDer, matchesCertId, parseCertId, type CertId } from './identifier.js';

/** Content encryption: AES-GCM gives AuthEnvelopedData, AES-CBC gives EnvelopedData. */
export type ContentEncryption =
  'AES-128-GCM' | 'AES-192-GCM' | 'AES-256-GCM' | 'AES-128-CBC' | 'AES-192-CBC' | 'AES-256-CBC';
/** KEMRecipientInfo key derivation (RFC 8619 HKDF). */
export type KemKdf = 'HKDF-SHA256' | 'HKDF-SHA384' | 'HKDF-SHA512';
/** KEMRecipientInfo key wrap (RFC 3394). */
export type KeyWrap = 'AES-128-KW' | 'AES-192-KW' | 'AES-256-KW';

/** One recipient: a certificate for an ML-KEM key, and how to address it. */
export interface KemRecipient {
  certificate: CertificateInput;
  /** How the KEMRecipientInfo names the certificate; default issuerAndSerialNumber. */
  rid?: 'issuerAndSerialNumber' | 'subjectKeyIdentifier';
  /** Default HKDF-SHA256 (RFC 9936 §3 MUST). */
  kdf?: KemKdf;
  /** Default AES-128-KW for ML-KEM-512, AES-256-KW for ML-KEM-768/1024 (RFC 9936 §3). */
  wrap?: KeyWrap;
  /** Optional user keying material, fed to the KDF through CMSORIforKEMOtherInfo. */
  ukm?: Uint8Array;
}

/** Options for {@link encryptData}. */
export interface EncryptDataOptions {
  /** One or more recipients (certificates, or objects with addressing options). */
  recipients: (CertificateInput | KemRecipient)[];
  /** Default AES-256-GCM (AuthEnvelopedData). */
  contentEncryption?: ContentEncryption;
  /** Inner content type OID; default id-data. */
  contentType?: string;
}

/** A recipient's private key: a decoded ML-KEM PKCS#8 key from `qsign-pqc/x509` fits. */
export interface CmsDecryptionKey {
  alg: KeyAlgorithm;
  secretKey: Uint8Array;
  publicKey: Uint8Array;
}

/** Options for {@link decryptData}. */
export interface DecryptDataOptions {
  /** The recipient's ML-KEM private key. */
  key: CmsDecryptionKey;
  /** The recipient's certificate: picks its RecipientInfo by rid. Without it every KEM recipient of the key's algorithm is tried. */
  certificate?: CertificateInput;
}

/** A decrypted message. */
export interface DecryptedData {
  content: Uint8Array;
  contentType: string;
  /** true for AuthEnvelopedData (AES-GCM), false for EnvelopedData. */
  authenticated: boolean;
  contentEncryption: ContentEncryption;
}

const HASHES = { 'HKDF-SHA256': sha256, 'HKDF-SHA384': sha384, 'HKDF-SHA512': sha512 } as const;

/** Mode, key, IV/nonce and tag lengths of a content-encryption algorithm, from the registry. */
function cipherSpec(name: string): { mode: 'GCM' | 'CBC'; keyLen: number; ivLen: number; tagLen: number; oid: string } {
  const a = findAlgorithm(name, 'cipher');
  const m = a && /^AES-(128|192|256)-(GCM|CBC)$/.exec(a.name);
  if (!m) throw new CmsError(E.INVALID_OPTIONS, `contentEncryption must be AES-128/192/256-GCM or -CBC, got ${name}`);
  const z = a.sizes;
  return { mode: m[2] as 'GCM' | 'CBC', keyLen: z.key!, ivLen: (z.nonce ?? z.iv)!, tagLen: z.tag ?? 0, oid: a.oid! };
}

function wrapKeyLen(wrap: string): number {
  const a = findAlgorithm(wrap, 'key-wrap');
  if (!a) throw new CmsError(E.INVALID_OPTIONS, `wrap must be AES-128-KW, AES-192-KW or AES-256-KW, got ${wrap}`);
  return a.sizes.key!;
}

const toCert = (c: CertificateInput) => (c instanceof Certificate ? c : Certificate.parse(c));

/** DER of CMSORIforKEMOtherInfo (RFC 9629 §5), the HKDF `info`. */
function kdfInfo(wrapAlg: Uint8Array, kekLength: number, ukm: Uint8Array | undefined): Uint8Array {
  return tlv(0x30, wrapAlg, intDer(kekLength), ...(ukm ? [tlv(0xa0, tlv(0x04, ukm))] : []));
}

function deriveKek(kdf: KemKdf, ss: Uint8Array, info: Uint8Array, len: number): Uint8Array {
  // RFC 9936 §3: HKDF with an empty salt (equal to HashLen zero bytes, RFC 5869 §2.2).
  return hkdf(HASHES[kdf], ss, undefined, info, len);
}

async function kemRecipientInfo(r: KemRecipient, cek: Uint8Array, index: number): Promise<Uint8Array> {
  let cert: Certificate;
  try {
    cert = toCert(r.certificate);
  } catch (e) {
    throw new CmsError(E.INVALID_OPTIONS, `recipients[${index}] is not a certificate: ${(e as Error).message}`, {
      cause: e,
    });
  }
  const alg = cert.publicKey.alg;
  if (!isKemAlgorithm(alg))
    throw new CmsError(
      E.INVALID_OPTIONS,
      `recipient "${cert.subject}" has an ${alg} key; KEMRecipientInfo needs an ML-KEM certificate (RFC 9936)`,
    );
  const ku = cert.extensions.keyUsage;
  if (ku && !ku.includes('keyEncipherment'))
    throw new CmsError(E.INVALID_OPTIONS, `recipient "${cert.subject}": keyUsage lacks keyEncipherment (RFC 9629 §3)`);
  const kdf = r.kdf ?? 'HKDF-SHA256';
  if (!(kdf in HASHES)) throw new CmsError(E.INVALID_OPTIONS, `kdf must be HKDF-SHA256/384/512, got ${String(kdf)}`);
  const wrap = r.wrap ?? (alg === 'ML-KEM-512' ? 'AES-128-KW' : 'AES-256-KW');
  const kekLength = wrapKeyLen(wrap);
  const wrapAlg = algIdDer(registryEntry(wrap).oid);
  const rid = certIdDer(cert, r.rid ?? 'issuerAndSerialNumber');
  const { cipherText, sharedSecret } = await encapsulate(alg, cert.publicKey.publicKey);
  let kek: Uint8Array | undefined;
  try {
    kek = deriveKek(kdf, sharedSecret, kdfInfo(wrapAlg, kekLength, r.ukm), kekLength);
    const encryptedKey = await keyWrap(kek, cek);
    return tlv(
      0xa4,
      oidDer(CMS_OIDS.oriKem),
      tlv(
        0x30,
        intDer(0),
        rid,
        algIdDer(registryEntry(alg).oid),
        tlv(0x04, cipherText),
        algIdDer(registryEntry(kdf).oid),
        intDer(kekLength),
        ...(r.ukm ? [tlv(0xa0, tlv(0x04, r.ukm))] : []),
        wrapAlg,
        tlv(0x04, encryptedKey),
      ),
    );
  } finally {
    sharedSecret.fill(0);
    kek?.fill(0);
  }
}

/**
 * Encrypts `content` to ML-KEM recipients. AES-GCM (default AES-256-GCM)
 * yields AuthEnvelopedData (RFC 5083), AES-CBC yields EnvelopedData; both
 * as a DER ContentInfo (`.p7m`) that OpenSSL 3.6 decrypts.
 *
 * @example
 * ```ts
 * const p7m = await encryptData(doc, { recipients: [aliceKemCert, bobKemCert] });
 * // openssl cms -decrypt -inform DER -in doc.p7m -recip alice.crt -inkey alice.key
 * ```
 */
export async function encryptData(content: Uint8Array, opts: EncryptDataOptions): Promise<Uint8Array> {
  if (!(content instanceof Uint8Array)) throw new QsignError('ERR_INVALID_ARGUMENT', 'content must be a Uint8Array');
  if (!opts || !Array.isArray(opts.recipients) || opts.recipients.length === 0)
    throw new CmsError(E.INVALID_OPTIONS, 'recipients must list at least one ML-KEM certificate');
  const spec = cipherSpec(opts.contentEncryption ?? 'AES-256-GCM');
  const contentType = opts.contentType ?? CMS_OIDS.data;
  const cek = randomBytes(spec.keyLen);
  try {
    const ris: Uint8Array[] = [];
    for (let i = 0; i < opts.recipients.length; i++) {
      const r = opts.recipients[i]!;
      const rec: KemRecipient =
        r instanceof Certificate || typeof r === 'string' || r instanceof Uint8Array ? { certificate: r } : r;
      ris.push(await kemRecipientInfo(rec, cek, i));
    }
    if (spec.mode === 'GCM') {
      const nonce = randomBytes(spec.ivLen);
      const sealed = await gcmSeal(cek, nonce, content);
      const ct = sealed.subarray(0, sealed.length - spec.tagLen);
      const tag = sealed.subarray(sealed.length - spec.tagLen);
      // RFC 5084 §3.2: GCMParameters { aes-nonce, aes-ICVlen (16 ≠ DEFAULT 12, so written) }.
      const params = tlv(0x30, tlv(0x04, nonce), intDer(spec.tagLen));
      const body = tlv(
        0x30,
        intDer(0),
        setOf(0x31, ris),
        tlv(0x30, oidDer(contentType), algIdDer(spec.oid, params), tlv(0x80, ct)),
        tlv(0x04, tag),
      );
      return tlv(0x30, oidDer(CMS_OIDS.authEnvelopedData), tlv(0xa0, body));
    }
    const iv = randomBytes(spec.ivLen);
    const ct = await cbcEncrypt(cek, iv, content);
    // RFC 5652 §6.1: version 3 because an OtherRecipientInfo (ori) is present.
    const body = tlv(
      0x30,
      intDer(3),
      setOf(0x31, ris),
      tlv(0x30, oidDer(contentType), algIdDer(spec.oid, tlv(0x04, iv)), tlv(0x80, ct)),
    );
    return tlv(0x30, oidDer(CMS_OIDS.envelopedData), tlv(0xa0, body));
  } finally {
    cek.fill(0);
  }
}

// ---------------------------------------------------------------- decryption

/** A parsed KEMRecipientInfo. */
interface KemRi {
  rid: CertId;
  kem: KemAlgorithm;
  kemct: Uint8Array;
  kdf: KemKdf;
  kekLength: number;
  ukm?: Uint8Array;
  wrap: AlgId;
  encryptedKey: Uint8Array;
}

/** The parts of an (Auth)EnvelopedData needed to decrypt it. */
export interface ParsedEnvelope {
  authenticated: boolean;
  recipients: KemRi[];
  /** How many RecipientInfos were of other kinds (ktri, kari, …) and skipped. */
  otherRecipients: number;
  contentType: string;
  contentEncryption: ContentEncryption;
  /** GCM nonce or CBC IV. */
  iv: Uint8Array;
  encryptedContent: Uint8Array;
  /** AuthEnvelopedData: the tag and the AAD (DER of authAttrs, or empty). */
  mac?: Uint8Array;
  aad?: Uint8Array;
}

function parseKemRi(e: Ber): KemRi {
  const p = seq(e, 'KEMRecipientInfo');
  if (p.length < 8 || p.length > 9) malformed('KEMRecipientInfo has the wrong number of fields');
  if (smallInt(p[0]!, 'KEMRecipientInfo.version') !== 0) malformed('KEMRecipientInfo version must be 0');
  const rid = parseCertId(p[1]!, 'KEMRecipientInfo.rid');
  const kemId = algId(p[2]!, 'KEMRecipientInfo.kem');
  const kem = findAlgorithmByOid(kemId.oid, 'kem')?.name;
  if (!kem || !isKemAlgorithm(kem))
    throw new CmsError(E.UNSUPPORTED, `KEMRecipientInfo KEM ${kemId.oid} is not ML-KEM`);
  if (kemId.params) throw new CmsError(E.UNSUPPORTED, `${kem} AlgorithmIdentifier must have absent parameters`);
  const kemct = octets(p[3]!, 'KEMRecipientInfo.kemct');
  const kdfId = algId(p[4]!, 'KEMRecipientInfo.kdf');
  const kdf = findAlgorithmByOid(kdfId.oid, 'kdf')?.name as KemKdf | undefined;
  if (!kdf || !(kdf in HASHES)) throw new CmsError(E.UNSUPPORTED, `KEMRecipientInfo KDF ${kdfId.oid} is not supported`);
  if (kdfId.params) throw new CmsError(E.UNSUPPORTED, `${kdf} parameters must be absent (RFC 9936 §3)`);
  const kekLength = smallInt(p[5]!, 'KEMRecipientInfo.kekLength');
  let i = 6;
  let ukm: Uint8Array | undefined;
  if (p[i]?.tag === 0xa0) {
    const inner = children(p[i++]!);
    if (inner.length !== 1) malformed('ukm [0] must hold one OCTET STRING');
    ukm = octets(inner[0]!, 'ukm');
  }
  if (!p[i] || !p[i + 1] || p.length !== i + 2) malformed('KEMRecipientInfo has the wrong number of fields');
  const wrap = algId(p[i]!, 'KEMRecipientInfo.wrap');
  const encryptedKey = octets(p[i + 1]!, 'KEMRecipientInfo.encryptedKey');
  return { rid, kem, kemct, kdf, kekLength, ...(ukm ? { ukm } : {}), wrap, encryptedKey };
}

/** Parses an EnvelopedData or AuthEnvelopedData ContentInfo (DER/BER bytes or PEM). */
export function parseEnvelope(input: Uint8Array | string): ParsedEnvelope {
  let inner: Ber;
  let authenticated: boolean;
  try {
    inner = contentInfo(input, CMS_OIDS.authEnvelopedData, 'AuthEnvelopedData');
    authenticated = true;
  } catch (e) {
    if (!(e instanceof CmsError) || e.code !== E.UNSUPPORTED) throw e;
    inner = contentInfo(input, CMS_OIDS.envelopedData, 'EnvelopedData');
    authenticated = false;
  }
  const what = authenticated ? 'AuthEnvelopedData' : 'EnvelopedData';
  const p = seq(inner, what);
  let i = 0;
  if (!p[i]) malformed(`${what} is empty`);
  smallInt(p[i++]!, `${what}.version`);
  if (p[i]?.tag === 0xa0) i++; // originatorInfo: certificates for the originator, not needed to decrypt
  if (!p[i] || p[i]!.tag !== 0x31) malformed(`${what}.recipientInfos must be a SET`);
  const recipients: KemRi[] = [];
  let otherRecipients = 0;
  for (const ri of children(p[i++]!)) {
    if (ri.tag === 0xa4) {
      const ori = children(ri);
      if (ori.length !== 2) malformed('OtherRecipientInfo must be SEQUENCE { oriType, oriValue }');
      if (oid(ori[0]!, 'oriType') === CMS_OIDS.oriKem) {
        recipients.push(parseKemRi(ori[1]!));
        continue;
      }
    }
    otherRecipients++;
  }
  if (!p[i]) malformed(`${what} has no encrypted content info`);
  const eci = seq(p[i++]!, 'EncryptedContentInfo');
  if (eci.length < 2 || eci.length > 3)
    malformed('EncryptedContentInfo must be SEQUENCE { type, algorithm, [0] content? }');
  const contentType = oid(eci[0]!, 'EncryptedContentInfo.contentType');
  const cea = algId(eci[1]!, 'contentEncryptionAlgorithm');
  const cipherEntry = findAlgorithmByOid(cea.oid, 'cipher');
  const cipher = cipherEntry?.name as ContentEncryption | undefined;
  if (!cipherEntry || !cipher)
    throw new CmsError(E.UNSUPPORTED, `content encryption ${cea.oid} is not AES-GCM or AES-CBC`);
  const gcmMode = cipher.endsWith('GCM');
  if (gcmMode !== authenticated)
    throw new CmsError(E.UNSUPPORTED, `${cipher} in ${what}: GCM belongs in AuthEnvelopedData, CBC in EnvelopedData`);
  if (!cea.params) malformed(`${cipher} needs parameters (IV or GCMParameters)`);
  let iv: Uint8Array;
  if (gcmMode) {
    const gp = seq(cea.params, 'GCMParameters');
    if (gp.length < 1 || gp.length > 2) malformed('GCMParameters must be SEQUENCE { nonce, ICVlen? }');
    iv = octets(gp[0]!, 'GCM nonce');
    // RFC 5084 §3.2: aes-ICVlen DEFAULT 12.
    const icv = gp[1] ? smallInt(gp[1], 'aes-ICVlen') : 12;
    const { tag, nonce } = cipherEntry.sizes;
    if (icv !== tag)
      throw new CmsError(E.UNSUPPORTED, `AES-GCM with a ${icv}-byte tag; only ${tag}-byte tags are accepted`);
    if (iv.length < nonce!) malformed(`AES-GCM nonce of ${iv.length} bytes`);
  } else {
    iv = octets(cea.params, 'AES-CBC IV');
    const want = cipherEntry.sizes.iv;
    if (iv.length !== want) malformed(`AES-CBC IV must be ${want} bytes, got ${iv.length}`);
  }
  if (!eci[2]) throw new CmsError(E.CONTENT_MISSING, 'encrypted content is detached (not carried in the message)');
  const encryptedContent = octets(eci[2], 'encryptedContent', 0x80);
  const out: ParsedEnvelope = {
    authenticated,
    recipients,
    otherRecipients,
    contentType,
    contentEncryption: cipher,
    iv,
    encryptedContent,
  };
  if (authenticated) {
    let aad: Uint8Array = new Uint8Array(0);
    if (p[i]?.tag === 0xa1) {
      // RFC 5083 §2.2: the AAD is the DER of authAttrs with a SET OF tag.
      aad = concat([Uint8Array.of(0x31), p[i++]!.raw.subarray(1)]);
    }
    if (!p[i]) malformed('AuthEnvelopedData has no mac');
    out.mac = octets(p[i++]!, 'mac');
    out.aad = aad;
    if (p[i]?.tag === 0xa2) i++; // unauthAttrs
  } else if (p[i]?.tag === 0xa1) i++; // unprotectedAttrs
  if (i !== p.length) malformed(`${what} has unexpected trailing fields`);
  return out;
}

/** Recovers the CEK from the first KEMRecipientInfo the key opens; the caller wipes it. */
export async function unwrapCek(env: ParsedEnvelope, opts: DecryptDataOptions): Promise<Uint8Array> {
  const key = opts.key;
  if (!key || !isKemAlgorithm(key.alg))
    throw new CmsError(E.INVALID_OPTIONS, 'key must be an ML-KEM private key (a decoded PKCS#8 from qsign-pqc/x509)');
  const cert = opts.certificate === undefined ? undefined : toCert(opts.certificate);
  if (cert && (cert.publicKey.alg !== key.alg || !equalBytes(cert.publicKey.publicKey, key.publicKey)))
    throw new CmsError(E.INVALID_OPTIONS, `key does not belong to certificate "${cert.subject}"`);
  const candidates = env.recipients.filter((r) => r.kem === key.alg && (!cert || matchesCertId(r.rid, cert)));
  if (candidates.length === 0)
    throw new CmsError(
      E.NO_RECIPIENT,
      cert
        ? `no KEMRecipientInfo is addressed to "${cert.subject}" (${env.recipients.length} KEM recipient(s), ${env.otherRecipients} other)`
        : `no ${key.alg} KEMRecipientInfo in the message`,
    );
  const cekLen = cipherSpec(env.contentEncryption).keyLen;
  for (const r of candidates) {
    const wrap = findAlgorithmByOid(r.wrap.oid, 'key-wrap');
    if (!wrap) throw new CmsError(E.UNSUPPORTED, `key wrap ${r.wrap.oid} is not AES key wrap`);
    if (r.wrap.params) throw new CmsError(E.UNSUPPORTED, `${wrap.name} parameters must be absent (RFC 3565)`);
    // RFC 9629 §3: kekLength must be consistent with the wrap algorithm.
    if (r.kekLength !== wrap.sizes.key)
      throw new CmsError(
        E.UNSUPPORTED,
        `kekLength ${r.kekLength} does not match ${wrap.name} (${wrap.sizes.key} bytes)`,
      );
    const ss = await decapsulate(r.kem, r.kemct, key.secretKey);
    let kek: Uint8Array | undefined;
    try {
      kek = deriveKek(r.kdf, ss, kdfInfo(r.wrap.raw, r.kekLength, r.ukm), r.kekLength);
      let cek: Uint8Array;
      try {
        cek = await keyUnwrap(kek, r.encryptedKey);
      } catch {
        continue; // ML-KEM implicit rejection: another recipient's entry, or a tampered one
      }
      if (cek.length !== cekLen) {
        cek.fill(0);
        throw new CmsError(E.DECRYPT, `unwrapped key is ${cek.length} bytes, ${env.contentEncryption} needs ${cekLen}`);
      }
      return cek;
    } finally {
      ss.fill(0);
      kek?.fill(0);
    }
  }
  throw new CmsError(
    E.DECRYPT,
    'key unwrap failed for every matching KEMRecipientInfo: wrong private key, or the message was altered',
  );
}

/**
 * Decrypts an EnvelopedData or AuthEnvelopedData addressed to an ML-KEM
 * key. Rejects with ERR_CMS_NO_RECIPIENT when nothing is addressed to the
 * key/certificate and ERR_CMS_DECRYPT when unwrapping or authentication fails.
 *
 * @example
 * ```ts
 * const { content } = await decryptData(p7m, { key: decodePKCS8(kemKeyPem), certificate: kemCertPem });
 * ```
 */
export async function decryptData(input: Uint8Array | string, opts: DecryptDataOptions): Promise<DecryptedData> {
  if (!opts) throw new CmsError(E.INVALID_OPTIONS, 'options { key, certificate? } are required');
  const env = parseEnvelope(input);
  const cek = await unwrapCek(env, opts);
  try {
    let content: Uint8Array;
    try {
      content = env.authenticated
        ? await gcmOpen(cek, env.iv, env.aad!, concat([env.encryptedContent, env.mac!]))
        : await cbcDecrypt(cek, env.iv, env.encryptedContent);
    } catch (e) {
      throw new CmsError(
        E.DECRYPT,
        env.authenticated
          ? 'AES-GCM authentication failed: the ciphertext or its tag was altered'
          : 'AES-CBC decryption failed (bad padding): wrong key or altered ciphertext',
        { cause: e },
      );
    }
    return {
      content,
      contentType: env.contentType,
      authenticated: env.authenticated,
      contentEncryption: env.contentEncryption,
    };
  } finally {
    cek.fill(0);
  }
}
