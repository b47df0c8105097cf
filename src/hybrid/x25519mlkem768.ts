/*
 * X25519MLKEM768, the TLS 1.3 hybrid key-agreement group 0x11EC of
 * draft-ietf-tls-ecdhe-mlkem. It is NOT X-Wing: there is no combiner hash,
 * the 64-byte secret is the plain concatenation ss_ML-KEM ‖ ss_X25519 that
 * TLS feeds into its key schedule (which binds the transcript), and the
 * ML-KEM part comes first in every field. Its outputs never equal X-Wing's.
 */
import { QsignError } from '../errors.js';
import { sizeOf, type SizesOf } from '../registry.js';
import { concatBytes, ensureBytes, randomBytes, wipe } from '../util/bytes.js';
import { x25519Base, x25519Checked } from '../x25519/index.js';
import { MLKEM, mlkemDecaps, mlkemEncaps, mlkemFromSeed } from './mlkem.js';

const M = MLKEM['ML-KEM-768'];

/** What the client keeps between `clientKeyShare` and `clientFinish`. */
export interface X25519MLKEM768Client {
  /** The client's key_share `key_exchange` value: ML-KEM-768 ek (1184) ‖ X25519 public key (32). */
  keyShare: Uint8Array;
  /**
   * The client's private state, 96 bytes: ML-KEM-768 seed d‖z (64) ‖ X25519
   * secret scalar (32). Secret; use it once and drop it.
   */
  secretKey: Uint8Array;
}

/** What the server sends and keeps. */
export interface X25519MLKEM768Server {
  /** The server's key_share `key_exchange` value: ML-KEM-768 ciphertext (1088) ‖ X25519 public key (32). */
  keyShare: Uint8Array;
  /** The 64-byte TLS shared secret ss_ML-KEM (32) ‖ ss_X25519 (32). */
  sharedSecret: Uint8Array;
}

type Sizes = SizesOf<'X25519MLKEM768'>;

/** Sizes in bytes, from the registry. */
export interface X25519MLKEM768Lengths {
  readonly clientKeyShare: Sizes['clientShare'];
  readonly serverKeyShare: Sizes['serverShare'];
  readonly clientSecretKey: Sizes['clientSecret'];
  readonly sharedSecret: Sizes['sharedSecret'];
  /** Server randomness: ML-KEM encapsulation m (32) ‖ X25519 ephemeral scalar (32). */
  readonly serverRand: Sizes['encapsRand'];
}

const LENGTHS: X25519MLKEM768Lengths = Object.freeze({
  clientKeyShare: sizeOf('X25519MLKEM768', 'clientShare'),
  serverKeyShare: sizeOf('X25519MLKEM768', 'serverShare'),
  clientSecretKey: sizeOf('X25519MLKEM768', 'clientSecret'),
  sharedSecret: sizeOf('X25519MLKEM768', 'sharedSecret'),
  serverRand: sizeOf('X25519MLKEM768', 'encapsRand'),
});
const CLIENT_SHARE = LENGTHS.clientKeyShare;
const SERVER_SHARE = LENGTHS.serverKeyShare;

/** The X25519MLKEM768 key agreement (TLS NamedGroup 0x11EC). */
export interface X25519MLKEM768 {
  readonly name: 'X25519MLKEM768';
  /** TLS NamedGroup codepoint, 0x11EC (4588). */
  readonly group: 0x11ec;
  readonly lengths: X25519MLKEM768Lengths;
  /**
   * Client side, step 1: a fresh key share. `seed` (96 bytes: ML-KEM d‖z,
   * then the X25519 scalar) makes it deterministic for tests.
   */
  clientKeyShare(seed?: Uint8Array): X25519MLKEM768Client;
  /**
   * Server side: encapsulates to the client's share and answers with its own.
   * `rand` (64 bytes) makes it deterministic for tests.
   * @throws QsignError ERR_INVALID_PUBLIC_KEY for a wrong-size share, an
   *   ML-KEM key failing the FIPS 203 §7.2 check, or a low-order X25519 key
   *   (all-zero secret, refused as RFC 8446 §7.4.2 requires).
   */
  serverRespond(clientKeyShare: Uint8Array, rand?: Uint8Array): X25519MLKEM768Server;
  /**
   * Client side, step 2: the 64-byte shared secret from the server's share.
   * @throws QsignError ERR_INVALID_CIPHERTEXT_LENGTH for a share that is not
   *   1120 bytes, ERR_INVALID_PUBLIC_KEY for a low-order X25519 value.
   */
  clientFinish(secretKey: Uint8Array, serverKeyShare: Uint8Array): Uint8Array;
}

/**
 * X25519MLKEM768 for TLS 1.3 (draft-ietf-tls-ecdhe-mlkem). Synchronous: await
 * `init()` from `qsign-pqc` first.
 *
 * @example
 * ```ts
 * const client = x25519mlkem768.clientKeyShare();          // send client.keyShare
 * const server = x25519mlkem768.serverRespond(client.keyShare); // send server.keyShare
 * const ss = x25519mlkem768.clientFinish(client.secretKey, server.keyShare);
 * // ss equals server.sharedSecret (64 bytes)
 * ```
 */
export const x25519mlkem768: X25519MLKEM768 = Object.freeze({
  name: 'X25519MLKEM768' as const,
  group: 0x11ec as const,
  lengths: LENGTHS,

  clientKeyShare(seed?: Uint8Array): X25519MLKEM768Client {
    const secretKey = seed === undefined ? randomBytes(96) : ensureBytes('seed', seed, 96).slice();
    const { publicKey: ek, secretKey: dk } = mlkemFromSeed(M, secretKey.subarray(0, 64));
    wipe(dk);
    return { keyShare: concatBytes(ek, x25519Base(secretKey.subarray(64, 96))), secretKey };
  },

  serverRespond(clientKeyShare: Uint8Array, rand?: Uint8Array): X25519MLKEM768Server {
    if (!(clientKeyShare instanceof Uint8Array) || clientKeyShare.length !== CLIENT_SHARE) {
      throw new QsignError(
        'ERR_INVALID_PUBLIC_KEY',
        `X25519MLKEM768 client key share must be ${CLIENT_SHARE} bytes (ML-KEM-768 ek ‖ X25519 key), got ${clientKeyShare instanceof Uint8Array ? `${clientKeyShare.length} bytes` : typeof clientKeyShare}`,
      );
    }
    const r = rand === undefined ? randomBytes(64) : ensureBytes('rand', rand, 64);
    const skX = r.slice(32, 64);
    try {
      const ssX = x25519Checked(skX, clientKeyShare.subarray(M.publicKey), 'the X25519 part of the client key share');
      const { cipherText, sharedSecret: ssM } = mlkemEncaps(
        M,
        clientKeyShare.subarray(0, M.publicKey),
        r.subarray(0, 32),
      );
      const sharedSecret = concatBytes(ssM, ssX);
      wipe(ssM, ssX);
      return { keyShare: concatBytes(cipherText, x25519Base(skX)), sharedSecret };
    } finally {
      wipe(skX);
      if (rand === undefined) wipe(r);
    }
  },

  clientFinish(secretKey: Uint8Array, serverKeyShare: Uint8Array): Uint8Array {
    if (!(secretKey instanceof Uint8Array) || secretKey.length !== 96) {
      throw new QsignError(
        'ERR_INVALID_SECRET_KEY',
        `X25519MLKEM768 client secret must be the 96-byte value from clientKeyShare(), got ${secretKey instanceof Uint8Array ? `${secretKey.length} bytes` : typeof secretKey}`,
      );
    }
    if (!(serverKeyShare instanceof Uint8Array) || serverKeyShare.length !== SERVER_SHARE) {
      throw new QsignError(
        'ERR_INVALID_CIPHERTEXT_LENGTH',
        `X25519MLKEM768 server key share must be ${SERVER_SHARE} bytes (ML-KEM-768 ciphertext ‖ X25519 key), got ${serverKeyShare instanceof Uint8Array ? `${serverKeyShare.length} bytes` : typeof serverKeyShare}`,
      );
    }
    const ssX = x25519Checked(
      secretKey.subarray(64, 96),
      serverKeyShare.subarray(M.cipherText),
      'the X25519 part of the server key share',
    );
    const { secretKey: dk } = mlkemFromSeed(M, secretKey.subarray(0, 64));
    try {
      const ssM = mlkemDecaps(M, serverKeyShare.subarray(0, M.cipherText), dk);
      const out = concatBytes(ssM, ssX);
      wipe(ssM);
      return out;
    } finally {
      wipe(dk, ssX);
    }
  },
});
