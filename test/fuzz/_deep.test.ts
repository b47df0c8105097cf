import { it } from 'vitest';
import { init } from '../../src/index.js';
import { Keyring, memoryStore, generateMasterKey, createTransitHandler, AuditLog, memoryAuditSink } from '../../src/transit/index.js';
it('deep', async () => {
  await init();
  const keyring = new Keyring({ store: memoryStore(), masterKey: (await generateMasterKey()).masterKey });
  await keyring.createKey('k', { type: 'kyber768' });
  for (const audit of [undefined, new AuditLog(memoryAuditSink())]) {
    const h = createTransitHandler({ keyring, auth: { tokens: [{ token: 't', policies: ['root'] }] }, audit });
    for (const d of [1000, 10000, 100000, 1000000]) {
      for (const body of [`{"plaintext":"aGk=","x":${'['.repeat(d)}${']'.repeat(d)}}`, `{"batch_input":[{"plaintext":"aGk=","x":${'['.repeat(d)}${']'.repeat(d)}}]}`]) {
        try { const r = await h(new Request('http://127.0.0.1/v1/oqs-transit/encrypt/k', { method: 'POST', headers: { 'x-vault-token': 't' }, body })); console.log('audit', !!audit, d, r.status, (await r.text()).slice(0, 80)); }
        catch (e) { console.log('audit', !!audit, d, 'THREW', String(e).slice(0, 100)); }
      }
    }
  }
});
