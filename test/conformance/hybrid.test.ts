// qsign-pqc/hybrid in every runtime: one X-Wing draft vector, one HPKE-PQ
// vector (X-Wing / HKDF-SHA256 / ChaCha20-Poly1305), HPKE round trips on the
// runtime's own Web Crypto (AES-GCM) and a tamper case. Values are inlined
// (large ones as SHA3-256 digests) because this suite cannot read files.
import { describe, it, expect } from '../helpers/harness.js';
import { init, sha3_256 } from '../../src/index.js';
import {
  xwing,
  x25519mlkem768,
  suite,
  seal,
  open,
  setupBaseS,
  setupBaseR,
  deriveKeyPair,
  generateKeyPair,
} from '../../src/hybrid/index.js';

const hex = (s: string) => Uint8Array.from(s.match(/../g) ?? [], (b) => parseInt(b, 16));
const toHex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const utf8 = (s: string) => new TextEncoder().encode(s);

// draft-connolly-cfrg-xwing-kem-10 spec/test-vectors.json, vector 0.
const XW = {
  seed: '7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26',
  eseed:
    '3cb1eea988004b93103cfb0aeefd2a686e01fa4a58e8a3639ca8a1e3f9ae57e235b8cc873c23dc62b8d260169afa2f75ab916a58d974918835d25e6a435085b2',
  ss: 'd2df0522128f09dd8e2c92b1e905c793d8f57a54c3da25861f10bf4ca613e384',
  pkSha3: '5121745904643ad9dfacca7869292c19a8a69533b53e60666b7db910b4ad6367',
  ctSha3: 'c0abd149f83f45324ac3a7ddc7606c71f257e5ea86113522834a0ee1bcb34e3e',
};

// hpkewg/hpke-pq test-vectors.json, kem 0x647a / kdf 0x0001 / aead 0x0003.
const HV = {
  info: '34663634363532303666366532303631323034373732363536333639363136653230353537323665',
  ikmR: 'b86e76a59fabfc87b30cd7b1f7aaa28a834eb64e7a261c197b9a842893fbce56',
  ikmE: '2a1c0a3745fe8a48fb62034d300f54dfe1974a5b2e169e580a8789cb1cf5fd190fc00f3fd899594e01a8b15334b9f3fa03d8de44da86e19f5776850fb689e6c8',
  skRm: '3ec47fa82dd5689d27c6190e724c74ec8f608df3331ce331929e37b829676630',
  pkRSha3: 'c7ac6b87db7d43003c3a62271b2ad0d822b55859c3b0762ed559dc08f6ddc0c8',
  encSha3: '8b30fbc5c39649259e6b1e2d273233191828ea558e521918d27435fa55ea7c87',
  pt: '34323635363137353734373932303639373332303734373237353734363832633230373437323735373436383230363236353631373537343739',
  enc0: {
    aad: '436f756e742d30',
    ct: 'c5c591f99092d5e38df0a52699af249c66f8275a863423c076de8147a53e65cc584041c963b77a7e59ea93841b1339b5efda8909b71f74bb0073ad62e899de310c1566dea2fd29eba377',
  },
  enc1: {
    aad: '436f756e742d31',
    ct: 'ce339b2b956509cf9a9d3d736e8529f4eb87f27483e0c647869bd1d32c6c95ab3ff3f151abb11f863e5ea7cb852dc0c92346b46ac340ab390f8d3b6bd85d5d2d11c77499e006e36e3699',
  },
  exp0: {
    ctx: '70736575646f72616e646f6d30',
    L: 32,
    value: '5a78d37f40e078c17ef43fa40963f1ff7dcdee56e366da9099dc181c3eccaee5',
  },
};

describe('hybrid', () => {
  it('X-Wing draft vector 0: keygen, encapsulate (derand), decapsulate', async () => {
    await init();
    const { publicKey, secretKey } = xwing.keygen(hex(XW.seed));
    expect(toHex(sha3_256(publicKey))).toBe(XW.pkSha3);
    const { cipherText, sharedSecret } = xwing.encapsulate(publicKey, hex(XW.eseed));
    expect(toHex(sha3_256(cipherText))).toBe(XW.ctSha3);
    expect(toHex(sharedSecret)).toBe(XW.ss);
    expect(toHex(xwing.decapsulate(cipherText, secretKey))).toBe(XW.ss);
  });

  it('HPKE-PQ vector (X-Wing, HKDF-SHA256, ChaCha20-Poly1305): keys, enc, two messages, export', async () => {
    const s = suite({ kem: 'X-Wing', kdf: 'HKDF-SHA256', aead: 'ChaCha20Poly1305' });
    const kp = await deriveKeyPair(s, hex(HV.ikmR));
    expect(toHex(kp.secretKey)).toBe(HV.skRm);
    expect(toHex(sha3_256(kp.publicKey))).toBe(HV.pkRSha3);
    const S = await setupBaseS(s, kp.publicKey, hex(HV.info), { ikmE: hex(HV.ikmE) });
    expect(toHex(sha3_256(S.enc))).toBe(HV.encSha3);
    expect(toHex(await S.seal(hex(HV.pt), hex(HV.enc0.aad)))).toBe(HV.enc0.ct);
    expect(toHex(await S.seal(hex(HV.pt), hex(HV.enc1.aad)))).toBe(HV.enc1.ct);
    const R = await setupBaseR(s, S.enc, kp.secretKey, hex(HV.info));
    expect(toHex(await R.open(hex(HV.enc0.ct), hex(HV.enc0.aad)))).toBe(HV.pt);
    expect(toHex(await R.open(hex(HV.enc1.ct), hex(HV.enc1.aad)))).toBe(HV.pt);
    expect(toHex(await R.export(hex(HV.exp0.ctx), HV.exp0.L))).toBe(HV.exp0.value);
  });

  it("HPKE round trip on this runtime's Web Crypto AES-GCM (X-Wing and ML-KEM-768), 1 KiB", async () => {
    const doc = new Uint8Array(1024).map((_, i) => i * 7);
    for (const kem of ['X-Wing', 'ML-KEM-768'] as const) {
      const s = suite({ kem, kdf: 'HKDF-SHA256', aead: 'AES-256-GCM' });
      const kp = await generateKeyPair(s);
      const { enc, ciphertext } = await seal(s, kp.publicKey, doc, { info: 'conformance', aad: 'doc-1' });
      expect(ciphertext.length).toBe(1024 + 16);
      expect(await open(s, kp.secretKey, enc, ciphertext, { info: 'conformance', aad: 'doc-1' })).toEqual(doc);
    }
  });

  it('tampered HPKE ciphertext, enc or aad is ERR_DECRYPTION_FAILED; bad shares are refused', async () => {
    const s = suite({ kem: 'X-Wing', kdf: 'SHAKE256', aead: 'AES-128-GCM' });
    const kp = await generateKeyPair(s);
    const msg = utf8('hello');
    const { enc, ciphertext } = await seal(s, kp.publicKey, msg, { aad: 'a' });
    const badCt = ciphertext.slice();
    badCt[0]! ^= 1;
    const badEnc = enc.slice();
    badEnc[100]! ^= 1;
    await expect(open(s, kp.secretKey, enc, badCt, { aad: 'a' })).rejects('ERR_DECRYPTION_FAILED');
    await expect(open(s, kp.secretKey, badEnc, ciphertext, { aad: 'a' })).rejects('ERR_DECRYPTION_FAILED');
    await expect(open(s, kp.secretKey, enc, ciphertext, { aad: 'b' })).rejects('ERR_DECRYPTION_FAILED');
    expect(await open(s, kp.secretKey, enc, ciphertext, { aad: 'a' })).toEqual(msg);
    const client = x25519mlkem768.clientKeyShare();
    const lowOrder = client.keyShare.slice();
    lowOrder.fill(0, 1184);
    expect(() => x25519mlkem768.serverRespond(lowOrder)).toThrow('ERR_INVALID_PUBLIC_KEY');
    const server = x25519mlkem768.serverRespond(client.keyShare);
    expect(x25519mlkem768.clientFinish(client.secretKey, server.keyShare)).toEqual(server.sharedSecret);
  });
});
