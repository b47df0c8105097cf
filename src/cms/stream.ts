/**
 * Detached SignedData over a stream: the content (a `ReadableStream`, a
 * Node stream or any async iterable of bytes) is hashed chunk by chunk, so
 * a 1 GiB file signs and verifies with flat memory. Only the
 * message-digest attribute depends on the content; the ML-DSA signature
 * covers the small signed attributes, so streaming needs signed attributes.
 *
 * The default digest here is SHAKE256 (RFC 9882 §3.3: SHOULD be supported;
 * it is ML-DSA's own hash and runs in the wasm core at the streaming
 * signer's speed); SHA-512 (the RFC's MUST) is available with
 * `digest: 'SHA-512'` but is pure JavaScript and about 4× slower. OpenSSL
 * 3.5 verifies both.
 */
import { drain, type ByteSource } from '../sig/stream.js';
import { createDigest, digestByOid, type Digest, type DigestName } from './algorithms.js';
import { CmsError, CmsErrorCodes as E } from './errors.js';
import { CMS_OIDS } from './oids.js';
import {
  assembleSignedData,
  parseSignedData,
  prepareSigner,
  signerInfo,
  verifySignerInfo,
  type SignDataOptions,
  type VerifiedSigner,
  type VerifySignedDataOptions,
} from './signed.js';

export type { ByteSource };

/** The result of {@link verifyDetachedStream}. */
export interface VerifiedStream {
  contentType: string;
  /** Bytes read from the content stream. */
  contentLength: number;
  signers: VerifiedSigner[];
}

/** Feeds every chunk of `source` to one digest per algorithm; returns the digests and the byte count. */
async function digestStream(
  source: ByteSource,
  names: Set<DigestName>,
): Promise<{ digests: Map<DigestName, Uint8Array>; length: number }> {
  const hashers = new Map<DigestName, Digest>([...names].map((n) => [n, createDigest(n)]));
  let length = 0;
  await drain(source, (chunk) => {
    length += chunk.length;
    for (const h of hashers.values()) h.update(chunk);
  });
  return { digests: new Map([...hashers].map(([n, h]) => [n, h.digest()])), length };
}

/**
 * Signs the content read from `source` into a detached SignedData (`.p7s`,
 * DER). Each signer must use signed attributes; the default digest is
 * SHAKE256 (see the module note), `digest: 'SHA-512'` picks SHA-512.
 *
 * @example
 * ```ts
 * const file = await showOpenFilePicker().then(([h]) => h.getFile());
 * const p7s = await signDetachedStream(file.stream(), { signers: [{ certificate, key, chain: [ca] }] });
 * ```
 */
export async function signDetachedStream(source: ByteSource, opts: SignDataOptions): Promise<Uint8Array> {
  if (!opts || !Array.isArray(opts.signers) || opts.signers.length === 0)
    throw new CmsError(E.INVALID_OPTIONS, 'signers must be a non-empty array of { certificate, key }');
  const prepared = opts.signers.map((s, i) => {
    if (s?.signedAttributes === false)
      throw new CmsError(
        E.INVALID_OPTIONS,
        `signers[${i}]: a streamed signature needs signed attributes (only the message digest sees the content)`,
      );
    return prepareSigner({ ...s, digest: s?.digest ?? 'SHAKE256' }, i);
  });
  const { digests } = await digestStream(source, new Set(prepared.map((p) => p.digest)));
  const contentType = opts.contentType ?? CMS_OIDS.data;
  const infos: Uint8Array[] = [];
  for (const p of prepared) infos.push(await signerInfo(p, contentType, digests.get(p.digest), undefined));
  return assembleSignedData(prepared, infos, { ...opts, detached: true }, undefined);
}

/**
 * Verifies a detached SignedData against content read from `source`, in
 * one pass whatever the number of signers and digest algorithms. Same
 * checks and error codes as `verifySignedData`.
 *
 * @example
 * ```ts
 * const { signers } = await verifyDetachedStream(p7s, fs.createReadStream('big.iso'), { trustAnchors: [root] });
 * ```
 */
export async function verifyDetachedStream(
  signature: Uint8Array | string,
  source: ByteSource,
  opts: VerifySignedDataOptions,
): Promise<VerifiedStream> {
  if (!opts || !Array.isArray(opts.trustAnchors) || opts.trustAnchors.length === 0)
    throw new CmsError(E.INVALID_OPTIONS, 'trustAnchors must list at least one trusted root certificate');
  const parsed = parseSignedData(signature);
  if (parsed.content)
    throw new CmsError(E.INVALID_OPTIONS, 'the SignedData carries its content; use verifySignedData for it');
  if (parsed.signerInfos.length === 0) throw new CmsError(E.UNKNOWN_SIGNER, 'SignedData has no SignerInfo');
  // Which digests to compute: the signers' own, once each. A signer without
  // signed attributes (signature over the whole content) cannot be checked
  // from a stream; verifySignerInfo reports it.
  const names = new Set<DigestName>();
  for (const si of parsed.signerInfos) {
    const d = digestByOid(si.digestAlgorithm.oid);
    if (d && si.signedAttrs) names.add(d);
  }
  const { digests, length } = await digestStream(source, names);
  const signers: VerifiedSigner[] = [];
  for (const si of parsed.signerInfos)
    signers.push(
      await verifySignerInfo(
        si,
        parsed,
        opts,
        (d) => digests.get(d) ?? new Uint8Array(0), // an unknown digest was refused before this is called
        undefined,
      ),
    );
  return { contentType: parsed.contentType, contentLength: length, signers };
}
