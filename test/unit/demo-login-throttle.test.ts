/*
 * issue 18 #6, the window arithmetic of the demo's login throttle
 * (examples/demo/limits.mjs) with a controlled clock; the HTTP behaviour is
 * tested against the real server in test/e2e/demo-security.e2e.test.mjs.
 */
import { describe, it, expect } from 'vitest';
// A plain ESM module of the demo (examples/ is JavaScript).
import { createLoginThrottle, TooManyAttempts } from '../../examples/demo/limits.mjs';

const limits = { perAccount: 3, perClient: 5, windowMs: 60_000, hashConcurrency: 1, hashQueue: 1, maxEntries: 4 };

describe('issue 18 #6: login throttle windows', () => {
  it('locks an account after perAccount failures until the window ends; a success clears it', async () => {
    let t = 0;
    const th = createLoginThrottle(limits, () => t);
    for (let i = 0; i < 3; i++) expect(await th.attempt('alice', 'c1', async () => false)).toBe(false);
    const e = await th.attempt('alice', 'c1', async () => true).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TooManyAttempts);
    expect((e as { retryAfter: number }).retryAfter).toBe(60);
    t = 30_000;
    expect(
      ((await th.attempt('alice', 'c2', async () => true).catch((x: unknown) => x)) as { retryAfter: number })
        .retryAfter,
    ).toBe(30);
    t = 60_000;
    expect(await th.attempt('alice', 'c2', async () => true)).toBe(true);
    // The success cleared alice's count: three more failures are allowed again.
    for (let i = 0; i < 3; i++) expect(await th.attempt('alice', 'c3', async () => false)).toBe(false);
  });

  it('counts an attempt before its hash runs, so parallel attempts cannot pass the limit together', async () => {
    const th = createLoginThrottle({ ...limits, hashConcurrency: 10, hashQueue: 10 }, () => 0);
    let hashed = 0;
    const rs = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        th.attempt('bob', 'c', async () => {
          hashed++;
          await new Promise((r) => setTimeout(r, 5));
          return false;
        }),
      ),
    );
    expect(hashed).toBe(3);
    expect(rs.filter((r) => r.status === 'rejected')).toHaveLength(7);
  });

  it('turns away attempts beyond the hashing queue at once, and the refused ones do not count', async () => {
    const th = createLoginThrottle(limits, () => 0);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = th.attempt('u1', 'c', async () => (await gate, false));
    const queued = th.attempt('u2', 'c', async () => false);
    const refused = await th.attempt('u3', 'c', async () => false).catch((x: unknown) => x);
    expect(refused).toBeInstanceOf(TooManyAttempts);
    release();
    await Promise.all([first, queued]);
    // u3 was refused before counting: it still has all three attempts.
    for (let i = 0; i < 3; i++) expect(await th.attempt('u3', 'd', async () => false)).toBe(false);
  });
});
