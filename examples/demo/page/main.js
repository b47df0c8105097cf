/**
 * The in-page half of the QSIGN demo: key generation, streaming signing and
 * verification run here on the SDK's WebAssembly core; the server only sees
 * the signed result. Bundled by server.mjs with esbuild (browser condition).
 */
import { init, backend, algorithms, ml_dsa65, sha3_256 } from '../../../dist/index.js';
import { createCsr, Certificate, encodePKCS8Pem, generateKey } from '../../../dist/x509/index.js';
import { decryptData, signDetachedStream } from '../../../dist/cms/index.js';

// Replaced at bundle time by server.mjs with the service's DOCUMENT_LIMIT.
const DOCUMENT_LIMIT = globalThis.QSIGN_DOCUMENT_LIMIT ?? 8 * 1024 * 1024;
const MiB = 1024 * 1024;
const $ = (id) => document.getElementById(id);
const enc = new TextEncoder();
const dec = new TextDecoder();

const state = {
  key: undefined, // { seed, publicKey, secretKey }
  file: undefined, // File
  signature: undefined,
  digest: undefined,
  submission: undefined, // { document: Uint8Array, signature: Uint8Array, mode }
  token: undefined,
  record: undefined,
  certificate: undefined, // the demo CA's certificate for this account's key (Certificate)
  caPem: undefined, // the demo CA certificate (PEM), embedded in document.p7s and offered as the -CAfile
  kem: undefined, // the page's ML-KEM-768 recipient key { alg, seed, publicKey, secretKey }
  recipientPem: undefined, // the demo CA's certificate for that key (PEM)
  p7s: undefined, // document.p7s: detached CMS SignedData over state.file, made in the page
  downloads: [], // object URLs to revoke when replaced
};

// ---- small helpers ------------------------------------------------------

function b64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
function unb64(s) {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
function b64urlJson(part) {
  const s = part.replace(/-/g, '+').replace(/_/g, '/');
  return JSON.parse(dec.decode(unb64(s + '='.repeat((4 - (s.length % 4)) % 4))));
}
const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const size = (n) =>
  n >= MiB ? `${(n / MiB).toFixed(n >= 10 * MiB ? 0 : 1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`;
const ms = (t) => (t >= 1000 ? `${(t / 1000).toFixed(2)} s` : `${t.toFixed(0)} ms`);
const head = (s, n = 64) => (s.length > n ? `${s.slice(0, n)}…` : s);
const nextFrame = () => new Promise((r) => setTimeout(r, 0));

function status(text, isError = false) {
  const el = $('status');
  el.textContent = text;
  el.classList.toggle('error', isError);
}
function out(el, text, ok) {
  el.textContent = text;
  el.className = el.className.replace(/\b(ok|bad)\b/g, '').trim();
  if (ok !== undefined) el.classList.add(ok ? 'ok' : 'bad');
}

/** JSON fetch that turns the service's `{error, error_description}` into a thrown Error with `.status`/`.code`. */
async function api(path, { method = 'GET', body, token, headers = {} } = {}) {
  const res = await fetch(path, {
    method,
    headers: {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    const e = new Error(data.error_description ?? data.errors?.[0] ?? `HTTP ${res.status}`);
    e.status = res.status;
    e.code = data.error;
    e.data = data;
    throw e;
  }
  return data;
}
/** A file name as a POSIX shell word, so the command shown runs as printed. */
const shellWord = (s) => (/^[\w.,@%+=:/-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** Points the link `id` at `blob` (or a URL) under the download name `name`. */
function offer(id, name, blob) {
  const a = $(id);
  const url = typeof blob === 'string' ? blob : URL.createObjectURL(blob);
  if (typeof blob !== 'string') state.downloads.push(url);
  a.href = url;
  a.download = name;
  a.hidden = false;
  a.textContent = name;
}
function revokeDownloads() {
  for (const u of state.downloads.splice(0)) URL.revokeObjectURL(u);
  for (const id of ['dl-doc', 'dl-p7s', 'dl-ca', 'dl-p7m', 'dl-recip-key', 'dl-recip-crt']) $(id).hidden = true;
  for (const id of ['p7s-result', 'openssl-verify', 'cms-result', 'openssl-decrypt']) $(id).textContent = '–';
}

const errText = (e) => `${e.status ? `HTTP ${e.status} ` : ''}${e.code ? `${e.code}: ` : ''}${e.message}`;

function refresh() {
  const ready = !!state.key;
  $('sign').disabled = !(ready && state.file);
  $('verify').disabled = !state.signature;
  $('login').disabled = false;
  $('submit').disabled = !(state.signature && state.token);
  $('fetch').disabled = !(state.record && state.token);
  $('fetch-cms').disabled = !(state.record && state.token && state.recipientPem);
  $('case-tamper').disabled = !(state.submission && state.token);
  $('case-otherkey').disabled = !(state.submission && state.token);
  $('case-expired').disabled = !state.submission;
  $('case-version').disabled = !(state.record && state.token);
}

// ---- key storage (IndexedDB) -------------------------------------------

function idb() {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open('qsign-demo', 1);
    req.onupgradeneeded = () => req.result.createObjectStore('keys');
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}
async function idbDo(mode, fn) {
  const db = await idb();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction('keys', mode);
      const req = fn(tx.objectStore('keys'));
      tx.oncomplete = () => resolve(req?.result);
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

/**
 * The seeds (32-byte ML-DSA-65, then 64-byte ML-KEM-768) are sealed with a non-extractable AES-GCM key
 * stored beside them: script can use it but never read it.
 */
async function saveKey(seed, kemSeed, publicKey) {
  const wrap = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const both = new Uint8Array(96);
  both.set(seed);
  both.set(kemSeed, 32);
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, wrap, both));
  both.fill(0);
  await idbDo('readwrite', (s) => s.put({ wrap, iv, sealed, publicKey, created: Date.now() }, 'ml-dsa-65'));
}
async function loadKey() {
  const rec = await idbDo('readonly', (s) => s.get('ml-dsa-65'));
  if (!rec) return undefined;
  const opened = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: rec.iv }, rec.wrap, rec.sealed));
  const seed = opened.slice(0, 32);
  // A key stored before the page had a recipient key gets one now.
  const kemSeed = opened.length === 96 ? opened.slice(32) : crypto.getRandomValues(new Uint8Array(64));
  opened.fill(0);
  if (rec.sealed.length !== 96 + 16) await saveKey(seed, kemSeed, rec.publicKey);
  const kp = ml_dsa65.keygen(seed);
  return { seed, ...kp, created: rec.created, kem: generateKey('ML-KEM-768', kemSeed) };
}

function showKey(k, extra = '') {
  $('key-info').textContent =
    `ML-DSA-65 · public key ${size(k.publicKey.length)} · fingerprint ${hex(sha3_256(k.publicKey)).slice(0, 16)}${extra}`;
}

// ---- steps ---------------------------------------------------------------

async function keygen() {
  const t = performance.now();
  const seed = crypto.getRandomValues(new Uint8Array(32));
  const kp = ml_dsa65.keygen(seed);
  const kem = generateKey('ML-KEM-768');
  const dt = performance.now() - t;
  await saveKey(seed, kem.seed, kp.publicKey);
  state.key = { seed, ...kp, kem };
  state.certificate = undefined; // a new key needs its own certificate (the account may already have another)
  state.recipientPem = undefined;
  state.signature = undefined;
  state.submission = undefined;
  state.p7s = undefined;
  revokeDownloads();
  showKey(state.key, ` · generated in ${ms(dt)}, saved to IndexedDB`);
  status('New ML-DSA-65 key generated and stored in IndexedDB.');
  refresh();
}

function setFile(file, how) {
  state.file = file;
  state.signature = undefined;
  state.submission = undefined;
  state.record = undefined;
  state.p7s = undefined;
  revokeDownloads();
  $('doc-info').textContent =
    `${file.name} · ${size(file.size)} (${file.size.toLocaleString('en')} bytes) · ${how}${file.size > DOCUMENT_LIMIT ? ` · over the ${size(DOCUMENT_LIMIT)} upload limit: a signed manifest will be submitted` : ''}`;
  for (const id of ['signature', 'digest', 'throughput', 'verify-result']) $(id).textContent = '–';
  $('progress').value = 0;
  $('progress-text').textContent = '–';
  refresh();
}

async function generateFile() {
  const mib = Number($('gen-size').value);
  if (!Number.isFinite(mib) || mib < 1 || mib > 2048) {
    status('Choose a size between 1 and 2048 MiB.', true);
    return;
  }
  const t = performance.now();
  const parts = [];
  // getRandomValues fills at most 64 KiB per call.
  for (let i = 0; i < mib; i++) {
    const chunk = new Uint8Array(MiB);
    for (let o = 0; o < MiB; o += 65536) crypto.getRandomValues(chunk.subarray(o, o + 65536));
    parts.push(chunk);
  }
  const file = new File(parts, `random-${mib}MiB.bin`, { type: 'application/octet-stream' });
  setFile(file, `generated in ${ms(performance.now() - t)}`);
  status(`Generated a ${mib} MiB random test file in the page.`);
}

/** Streams the file through the ML-DSA signer and SHA3-256 at once, updating the progress bar. */
async function signFile() {
  const file = state.file;
  const total = file.size;
  const signer = ml_dsa65.signer(state.key.secretKey);
  const hasher = sha3_256.create();
  const reader = file.stream().getReader();
  const t0 = performance.now();
  let done = 0,
    lastPaint = 0;
  status(`Signing ${file.name}…`);
  $('sign').disabled = true;
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      signer.update(r.value);
      hasher.update(r.value);
      done += r.value.length;
      const now = performance.now();
      if (now - lastPaint > 80) {
        lastPaint = now;
        $('progress').value = total ? done / total : 1;
        $('progress-text').textContent = `${size(done)} / ${size(total)}`;
        await nextFrame(); // let the progress bar paint
      }
    }
    state.signature = signer.sign();
    state.digest = hasher.digest();
  } catch (e) {
    signer.destroy();
    hasher.destroy();
    throw e;
  }
  const dt = performance.now() - t0;
  $('progress').value = 1;
  $('progress-text').textContent = `${size(total)} / ${size(total)}`;
  const rate = total / MiB / Math.max(dt / 1000, 1e-3);
  $('throughput').textContent = `${size(total)} signed in ${ms(dt)} · ${rate.toFixed(1)} MiB/s`;
  $('throughput').dataset.ms = String(Math.round(dt));
  $('digest').textContent = hex(state.digest);
  $('signature').textContent = `${head(b64(state.signature), 88)} (${state.signature.length} bytes)`;
  $('verify-result').textContent = '–';
  await prepareSubmission();
  status(`Signed ${file.name} (${size(total)}) in ${ms(dt)}.`);
  refresh();
}

/** What goes to the service: the file itself up to the limit, else a signed manifest describing it. */
async function prepareSubmission() {
  const file = state.file;
  if (file.size <= DOCUMENT_LIMIT) {
    state.submission = {
      mode: 'document',
      name: file.name,
      document: new Uint8Array(await file.arrayBuffer()),
      signature: state.signature,
    };
    return;
  }
  const manifest = JSON.stringify({
    type: 'qsign-manifest/v1',
    name: file.name,
    size: file.size,
    sha3_256: hex(state.digest),
    alg: 'ML-DSA-65',
    file_signature: b64(state.signature),
  });
  const document = enc.encode(manifest);
  state.submission = {
    mode: 'manifest',
    name: `${file.name}.manifest.json`,
    document,
    signature: ml_dsa65.sign(document, state.key.secretKey),
  };
}

async function verifyFile() {
  const verifier = ml_dsa65.verifier(state.key.publicKey);
  const reader = state.file.stream().getReader();
  const t0 = performance.now();
  for (;;) {
    const r = await reader.read();
    if (r.done) break;
    verifier.update(r.value);
  }
  const ok = verifier.verify(state.signature);
  out(
    $('verify-result'),
    ok ? `✓ valid ML-DSA-65 signature (${ms(performance.now() - t0)})` : '✗ signature does NOT verify',
    ok,
  );
}

async function login(ev) {
  ev.preventDefault();
  const t0 = performance.now();
  try {
    const tok = await api('/token', {
      method: 'POST',
      body: {
        grant_type: 'password',
        client_id: 'qsign-demo',
        username: $('username').value,
        password: $('password').value,
      },
    });
    state.token = tok.access_token;
    const [h] = tok.access_token.split('.');
    const claims = b64urlJson(tok.access_token.split('.')[1]);
    out(
      $('login-result'),
      `✓ signed in as ${claims.preferred_username} · access token ${size(tok.access_token.length)} (${b64urlJson(h).alg}, kid ${head(b64urlJson(h).kid, 12)}) · expires in ${tok.expires_in} s · ${ms(performance.now() - t0)}`,
      true,
    );
    $('token-decoded').textContent = JSON.stringify(
      {
        access_token: { header: b64urlJson(h), payload: claims },
        id_token: { header: b64urlJson(tok.id_token.split('.')[0]), payload: b64urlJson(tok.id_token.split('.')[1]) },
      },
      null,
      2,
    );
    $('token-details').open = true;
    status(`Signed in as ${claims.preferred_username}.`);
    if (state.key) await enroll();
  } catch (e) {
    state.token = undefined;
    out($('login-result'), `✗ ${errText(e)}`, false);
    status(`Login failed: ${e.message}`, true);
  }
  refresh();
}

/**
 * Binds the page's key to the account: a PKCS#10 request signed by the key
 * (proof of possession) goes to POST /api/enroll, and the demo CA certifies
 * it at the first login. Later logins with the same key get the same
 * certificate back; the service checks documents against that key only.
 */
async function enroll() {
  const el = $('enroll-result');
  state.certificate = undefined;
  state.recipientPem = undefined;
  state.p7s = undefined; // signed with the previous certificate
  revokeDownloads();
  try {
    const csr = await createCsr(
      { subject: `CN=${$('username').value}` },
      { alg: 'ML-DSA-65', publicKey: state.key.publicKey, secretKey: state.key.secretKey },
    );
    const r = await api('/api/enroll', {
      method: 'POST',
      token: state.token,
      body: { csr: csr.pem, recipient_public_key: b64(state.key.kem.publicKey) },
    });
    state.certificate = Certificate.parse(r.certificate);
    state.caPem = r.ca;
    state.recipientPem = r.recipient_certificate;
    const c = state.certificate;
    out(
      el,
      `✓ key ${r.created ? 'certified' : 'already certified'} by ${c.issuer.replace(/,.*/, '').replace('CN=', '')} · ${c.subject} · serial ${head(c.serialNumber, 16)} · valid until ${c.notAfter.toISOString().slice(0, 10)}`,
      true,
    );
  } catch (e) {
    out(
      el,
      e.code === 'signing_key_already_bound'
        ? `✗ this account already has another certified key (${errText(e)}); sign with that key, or have the admin unbind it`
        : `✗ ${errText(e)}`,
      false,
    );
  }
}

function submitBody(sub, document = sub.document) {
  return {
    name: sub.name,
    document: b64(document),
    signature: b64(sub.signature),
    public_key: b64(state.key.publicKey),
    // The service checks the CMS over the bytes it receives; a manifest's p7s covers the big file instead.
    ...(sub.mode === 'document' && state.p7s ? { cms: b64(state.p7s) } : {}),
  };
}

/**
 * document.p7s: a detached CMS SignedData over the whole file (streamed again from `file.stream()`,
 * flat memory), signed in the page with the certified key, carrying the user's certificate and the
 * demo CA. The page offers it with the file and the CA, and the `openssl cms -verify` command that checks it.
 */
async function makeSignedData() {
  const file = state.file;
  const t0 = performance.now();
  state.p7s = await signDetachedStream(file.stream(), {
    signers: [
      {
        certificate: state.certificate,
        key: { alg: 'ML-DSA-65', secretKey: state.key.secretKey, publicKey: state.key.publicKey },
        chain: [state.caPem],
      },
    ],
  });
  offer('dl-doc', file.name, file);
  offer('dl-p7s', 'document.p7s', new Blob([state.p7s], { type: 'application/pkcs7-signature' }));
  offer('dl-ca', 'qsign-demo-ca.pem', new Blob([state.caPem], { type: 'application/x-pem-file' }));
  out(
    $('p7s-result'),
    `✓ document.p7s made in the page: detached CMS SignedData, ML-DSA-65 + SHAKE256, ${size(state.p7s.length)}, signer ${state.certificate.subject} with the demo CA certificate · ${ms(performance.now() - t0)}`,
    true,
  );
  $('openssl-verify').textContent =
    `openssl cms -verify -binary -inform DER -in document.p7s -content ${shellWord(file.name)} -CAfile qsign-demo-ca.pem -out /dev/null`;
}

async function submit() {
  const sub = state.submission;
  const t0 = performance.now();
  try {
    if (!state.certificate) await enroll();
    if (!state.certificate) throw new Error('the signing key is not certified for this account (see step 4)');
    if (!state.p7s) await makeSignedData();
    const rec = await api('/api/sign', { method: 'POST', token: state.token, body: submitBody(sub) });
    state.record = rec;
    out(
      $('submit-result'),
      `✓ stored as ${sub.mode === 'document' ? 'the document itself' : 'a signed manifest'} (${size(sub.document.length)}) in ${ms(performance.now() - t0)}${rec.signatures.cms ? ` · CMS SignedData verified by the service (qsign-pqc/cms): ${rec.signatures.cms.signer}` : ''}`,
      true,
    );
    $('rec-id').textContent = rec.id;
    $('rec-countersig').textContent =
      `${head(rec.signatures.service.signature, 72)} (key ${rec.signatures.service.key} v${rec.signatures.service.key_version}, over ${rec.signatures.service.input})`;
    $('rec-envelope').textContent =
      `${head(rec.encrypted_data.preview, 72)} (${size(rec.encrypted_data.length)}, ${rec.encrypted_data.key} v${rec.encrypted_data.key_version})`;
    $('record').textContent = JSON.stringify(rec, null, 2);
    status('Document signed, counter-signed, encrypted and stored.');
  } catch (e) {
    out($('submit-result'), `✗ ${errText(e)}`, false);
    status(`Submit failed: ${e.message}`, true);
  }
  refresh();
}

async function fetchBack() {
  const t0 = performance.now();
  try {
    const rec = await api(`/api/documents/${state.record.id}`, { token: state.token });
    const doc = unb64(rec.document);
    const sig = unb64(rec.signatures.client.signature);
    const pk = unb64(rec.signatures.client.public_key);
    const sigOk = ml_dsa65.verify(sig, doc, pk);
    const same = hex(sha3_256(doc)) === rec.sha3_256;
    let detail = '';
    if (state.submission?.mode === 'manifest') {
      const m = JSON.parse(dec.decode(doc));
      detail =
        m.sha3_256 === hex(state.digest)
          ? ` · manifest matches the local file (${size(m.size)})`
          : ' · manifest does NOT match the local file';
    }
    out(
      $('fetch-result'),
      `${sigOk && same ? '✓' : '✗'} decrypted ${size(doc.length)} in ${ms(performance.now() - t0)} · client signature ${sigOk ? 'valid' : 'INVALID'} · SHA3-256 ${same ? 'matches' : 'differs'}${detail}`,
      sigOk && same,
    );
    status('Fetched the stored document back and verified it.');
  } catch (e) {
    out($('fetch-result'), `✗ ${errText(e)}`, false);
  }
}

/**
 * The stored document back as ML-KEM CMS (AuthEnvelopedData to the account's ML-KEM-768 recipient
 * certificate), decrypted here with qsign-pqc/cms; the page offers it with the recipient key and
 * certificate for `openssl cms -decrypt` (OpenSSL 3.6 reads KEMRecipientInfo).
 */
async function fetchEnveloped() {
  const el = $('cms-result');
  const t0 = performance.now();
  try {
    const res = await fetch(`/api/documents/${state.record.id}/cms`, {
      headers: { authorization: `Bearer ${state.token}` },
    });
    if (!res.ok) {
      const data = await res.json().catch(() => ({}));
      const e = new Error(data.error_description ?? `HTTP ${res.status}`);
      Object.assign(e, { status: res.status, code: data.error });
      throw e;
    }
    const p7m = new Uint8Array(await res.arrayBuffer());
    const { content } = await decryptData(p7m, { key: state.key.kem, certificate: state.recipientPem });
    const same = hex(sha3_256(content)) === state.record.sha3_256;
    const name = state.submission.name;
    offer('dl-p7m', 'document.p7m', new Blob([p7m], { type: 'application/pkcs7-mime' }));
    offer(
      'dl-recip-key',
      'recipient.key',
      new Blob([encodePKCS8Pem('ML-KEM-768', state.key.kem)], { type: 'application/x-pem-file' }),
    );
    offer('dl-recip-crt', 'recipient.crt', new Blob([state.recipientPem], { type: 'application/x-pem-file' }));
    $('openssl-decrypt').textContent =
      `openssl cms -decrypt -binary -inform DER -in document.p7m -recip recipient.crt -inkey recipient.key -out ${shellWord(`received-${name}`)}`;
    out(
      el,
      `${same ? '✓' : '✗'} document.p7m: ML-KEM-768 AuthEnvelopedData (AES-256-GCM), ${size(p7m.length)}, decrypted in the page in ${ms(performance.now() - t0)} · SHA3-256 ${same ? 'matches' : 'differs'}`,
      same,
    );
  } catch (e) {
    out(el, `✗ ${errText(e)}`, false);
  }
}

// ---- failure cases (seed §9) -------------------------------------------

async function caseTamper() {
  const el = $('case-tamper-out');
  const tampered = state.submission.document.slice();
  tampered[Math.floor(tampered.length / 2)] ^= 0x01;
  const localOk = ml_dsa65.verify(state.submission.signature, tampered, state.key.publicKey);
  try {
    await api('/api/sign', { method: 'POST', token: state.token, body: submitBody(state.submission, tampered) });
    out(el, '✗ the service accepted a tampered document', false);
  } catch (e) {
    out(
      el,
      `✓ rejected — ${errText(e)} (local verify: ${localOk ? 'valid?!' : 'invalid'})`,
      e.code === 'invalid_document_signature',
    );
  }
}

/** A document signed by a fresh key that is not the one certified for the account. */
async function caseOtherKey() {
  const el = $('case-otherkey-out');
  const other = ml_dsa65.keygen(crypto.getRandomValues(new Uint8Array(32)));
  const doc = state.submission.document;
  const body = {
    name: state.submission.name,
    document: b64(doc),
    signature: b64(ml_dsa65.sign(doc, other.secretKey)),
    public_key: b64(other.publicKey),
  };
  try {
    await api('/api/sign', { method: 'POST', token: state.token, body });
    out(el, '✗ the service accepted a signature by a key not bound to the account', false);
  } catch (e) {
    out(el, `✓ rejected — ${errText(e)}`, e.code === 'signing_key_mismatch');
  }
}

async function caseExpired() {
  const el = $('case-expired-out');
  try {
    out(el, 'requesting a 1-second token…');
    const tok = await api('/token', {
      method: 'POST',
      body: { username: $('username').value, password: $('password').value, expires_in: 1 },
    });
    out(el, 'waiting 2 s for it to expire…');
    await new Promise((r) => setTimeout(r, 2100));
    await api('/api/sign', { method: 'POST', token: tok.access_token, body: submitBody(state.submission) });
    out(el, '✗ the service accepted an expired token', false);
  } catch (e) {
    out(el, e.code === 'token_expired' ? `✓ rejected — ${errText(e)}` : `✗ ${errText(e)}`, e.code === 'token_expired');
  }
}

async function caseVersion() {
  const el = $('case-version-out');
  const admin = { authorization: `Bearer ${$('admin-token').value.trim()}` };
  let raised = false;
  try {
    const rot = await api('/admin/rotate-data-key', { method: 'POST', headers: admin, body: {} });
    await api('/admin/data-key-config', {
      method: 'POST',
      headers: admin,
      body: { min_decryption_version: rot.latest_version },
    });
    raised = true;
    out(
      el,
      `data key now v${rot.latest_version}, min_decryption_version=${rot.latest_version}; fetching the v${state.record.encrypted_data.key_version} record…`,
    );
    try {
      await api(`/api/documents/${state.record.id}`, { token: state.token });
      out(el, '✗ the old envelope still decrypted', false);
    } catch (e) {
      out(
        el,
        `✓ ${errText(e)}${e.data?.hint ? ` — ${e.data.hint}` : ''}`,
        e.message === 'key version no longer supported',
      );
    }
  } catch (e) {
    out(el, `✗ ${errText(e)}`, false);
  } finally {
    // Put the setting back so the stored documents decrypt again.
    if (raised)
      await api('/admin/data-key-config', {
        method: 'POST',
        headers: admin,
        body: { min_decryption_version: 1 },
      }).catch(() => {});
  }
}

// ---- start -------------------------------------------------------------

function guard(fn) {
  return async (...a) => {
    try {
      await fn(...a);
    } catch (e) {
      status(`Error: ${e?.message ?? e}`, true);
      console.error(e);
      refresh();
    }
  };
}

async function main() {
  const t0 = performance.now();
  await init();
  const b = backend();
  const badge = $('backend');
  badge.textContent = b === 'simd128' ? 'SIMD128' : 'scalar';
  badge.className = `badge ${b === 'simd128' ? 'simd' : 'scalar'}`;
  badge.dataset.backend = b;
  const tbody = $('algs').querySelector('tbody');
  for (const a of algorithms()) {
    const tr = document.createElement('tr');
    const cells = [
      a.name,
      a.kind,
      a.standard,
      a.nistLevel ?? '–',
      a.sizes.publicKey ? `${a.sizes.publicKey} B` : '–',
      a.sizes.signature
        ? `${a.sizes.signature} B`
        : a.sizes.cipherText
          ? `${a.sizes.cipherText} B`
          : a.sizes.digest
            ? `${a.sizes.digest} B digest`
            : '–',
    ];
    for (const c of cells) {
      const td = document.createElement('td');
      td.textContent = String(c);
      tr.append(td);
    }
    tbody.append(tr);
  }
  $('limit').textContent = size(DOCUMENT_LIMIT);
  const loaded = `WebAssembly core loaded (${b === 'simd128' ? 'SIMD128' : 'scalar'}) in ${ms(performance.now() - t0)}.`;
  try {
    state.key = await loadKey();
    if (state.key) showKey(state.key, ' · loaded from IndexedDB');
  } catch (e) {
    console.warn('stored key unreadable, a new one is needed', e);
  }
  status(state.key ? `${loaded} Key restored from IndexedDB.` : `${loaded} Generate a key to begin.`);
  $('keygen').disabled = false;
  $('keygen').addEventListener('click', guard(keygen));
  $('file').addEventListener('change', (e) => {
    const f = e.target.files?.[0];
    if (f) setFile(f, 'picked');
  });
  $('gen').addEventListener('click', guard(generateFile));
  $('sign').addEventListener('click', guard(signFile));
  $('verify').addEventListener('click', guard(verifyFile));
  $('login-form').addEventListener('submit', guard(login));
  $('submit').addEventListener('click', guard(submit));
  $('fetch').addEventListener('click', guard(fetchBack));
  $('fetch-cms').addEventListener('click', guard(fetchEnveloped));
  $('case-tamper').addEventListener('click', guard(caseTamper));
  $('case-otherkey').addEventListener('click', guard(caseOtherKey));
  $('case-expired').addEventListener('click', guard(caseExpired));
  $('case-version').addEventListener('click', guard(caseVersion));
  refresh();
  document.body.dataset.ready = 'true';
}

main().catch((e) => status(`Could not start: ${e?.message ?? e}`, true));
