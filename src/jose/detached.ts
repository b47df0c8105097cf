/**
 * Detached JWS with an unencoded payload (RFC 7797): the protected header
 * carries `"b64": false` and `"crit": ["b64"]`, the signing input is
 * `BASE64URL(header) || "." || payload` with the payload as raw bytes, and
 * the compact form leaves the payload out (`header..signature`). Because
 * the payload enters the signing input unencoded, it can be hashed as a
 * stream: signing and verifying a file of any size takes one pass and
 * flat memory (the streaming ML-DSA signer of src/sig, external μ).
 */
import { sig, type ByteSource } from '../sig/index.js';
import { drain } from '../sig/stream.js';
import { encode as b64u, decode as b64uDecode } from './base64url.js';
import { JWSInvalid, JWSSignatureVerificationFailed } from './errors.js';
import { AkpKey, expandedSecret, SIGNATURE_BYTES } from './keys.js';
import {
  checkAlgAllowed,
  checkKeyAlg,
  DEFAULT_MAX_TOKEN_SIZE,
  parseHeader,
  resolveKey,
  validateCrit,
  type JWSHeaderParameters,
  type KeyInput,
  type KeyResolver,
  type VerifyOptions,
} from './jws.js';

const enc = new TextEncoder();

/** Options for {@link signDetached}. */
export interface SignDetachedOptions {
  /** More protected header parameters (`typ`, `cty`, …); `alg`, `b64` and `crit` are set here. */
  protectedHeader?: JWSHeaderParameters;
  /** Deterministic ML-DSA (FIPS 204 §3.4); default hedged. */
  deterministic?: boolean;
}

/**
 * Signs the bytes `source` yields into a detached compact JWS
 * (`header..signature`, RFC 7797 `b64: false`). The key's `kid` goes in
 * the header unless `protectedHeader.kid` says otherwise.
 *
 * @example
 * ```ts
 * const jws = await signDetached(file.stream(), privateKey);
 * // send jws next to the file; verifyDetached(jws, file.stream(), publicKey) checks it
 * ```
 */
export async function signDetached(source: ByteSource, key: AkpKey, opts: SignDetachedOptions = {}): Promise<string> {
  if (!(key instanceof AkpKey)) throw new JWSInvalid('signDetached needs an AkpKey (private)');
  const crit = [...new Set([...((opts.protectedHeader?.crit as string[] | undefined) ?? []), 'b64'])];
  const header: JWSHeaderParameters = { kid: key.kid, ...opts.protectedHeader, alg: key.alg, b64: false, crit };
  const headerB64 = b64u(enc.encode(JSON.stringify(header)));
  const signer = sig(key.alg).signer(await expandedSecret(key), opts.deterministic ? { extraEntropy: false } : {});
  try {
    signer.update(enc.encode(headerB64 + '.'));
    await drain(source, (c) => signer.update(c));
    return `${headerB64}..${b64u(signer.sign())}`;
  } finally {
    signer.destroy();
  }
}

/** The result of {@link verifyDetached}. */
export interface VerifyDetachedResult {
  protectedHeader: JWSHeaderParameters;
  /** Bytes read from the payload stream. */
  payloadLength: number;
  /** The key that verified, when a resolver picked it. */
  key?: AkpKey;
}

/**
 * Verifies a detached compact JWS with `b64: false` against the payload
 * read from `source`. Same header checks as `compactVerify` (`crit`, `alg`
 * allow-list, key binding); rejects with ERR_JWS_SIGNATURE_VERIFICATION_FAILED
 * when no key verifies. With a key set that yields several candidates each
 * is checked in the same single pass over the payload.
 *
 * @example
 * ```ts
 * const { protectedHeader } = await verifyDetached(jws, fs.createReadStream('doc.pdf'), jwks);
 * ```
 */
export async function verifyDetached(
  jws: string,
  source: ByteSource,
  key: KeyInput | KeyResolver,
  options: VerifyOptions = {},
): Promise<VerifyDetachedResult> {
  if (typeof jws !== 'string') throw new JWSInvalid('detached JWS must be a compact string');
  const max = options.maxTokenSize ?? DEFAULT_MAX_TOKEN_SIZE;
  if (jws.length > max) throw new JWSInvalid(`JWS exceeds the maximum size of ${max} characters`);
  const parts = jws.split('.');
  if (parts.length !== 3 || parts[1] !== '')
    throw new JWSInvalid('a detached compact JWS has the form header..signature (empty payload part)');
  const [headerB64, , sigB64] = parts as [string, string, string];
  const protectedHeader = parseHeader(headerB64);
  const crit = validateCrit(new Map([['b64', true]]), { b64: true }, protectedHeader, protectedHeader);
  // RFC 7797 §3/§6: this function is for unencoded payloads only, and b64 must be critical.
  if (!crit.has('b64') || protectedHeader.b64 !== false)
    throw new JWSInvalid('verifyDetached expects "b64": false with "crit": ["b64"] (RFC 7797)');
  const alg = checkAlgAllowed(protectedHeader.alg, options.algorithms);
  const signature = b64uDecode(sigB64, 'ERR_JWS_INVALID', 'JWS Signature');
  const { keys, resolved } = await resolveKey(key, protectedHeader, {
    protected: headerB64,
    payload: '',
    signature: sigB64,
  });
  for (const k of keys) checkKeyAlg(k, alg);
  if (signature.length !== SIGNATURE_BYTES[alg]) throw new JWSSignatureVerificationFailed();
  const verifiers = keys.map((k) => sig(alg).verifier(k._pub()));
  let payloadLength = 0;
  try {
    const prefix = enc.encode(headerB64 + '.');
    for (const v of verifiers) v.update(prefix);
    await drain(source, (c) => {
      payloadLength += c.length;
      for (const v of verifiers) v.update(c);
    });
    const i = verifiers.findIndex((v) => v.verify(signature));
    if (i < 0) throw new JWSSignatureVerificationFailed();
    const out: VerifyDetachedResult = { protectedHeader, payloadLength };
    if (resolved) out.key = keys[i];
    return out;
  } finally {
    for (const v of verifiers) v.destroy();
  }
}
