/**
 * Login throttling for POST /token (issue 18 #6): without it the endpoint was
 * a password-guessing oracle and, at ~150 ms of scrypt per try, a CPU sink.
 *
 * - Per account and per client: failed attempts inside a window. An attempt
 *   counts from the moment it is admitted (before the hash runs), so N
 *   parallel requests cannot all slip past the check; a success refunds it.
 *   Over the limit, 429 with Retry-After until the window ends, whatever the
 *   password (a locked account must not answer "right password" differently).
 * - Hashing: at most `hashConcurrency` scrypt runs at once and `hashQueue`
 *   waiting; anything beyond is 429 at once instead of queuing CPU work.
 *
 * Unknown user names are counted like real ones, so the answers do not tell
 * which accounts exist. The tables are bounded (oldest entries evicted).
 * Web APIs only: Node and Deno run the same code.
 */

/** The limits `npm start` uses. */
export const LOGIN_LIMITS = Object.freeze({
  /** Failed attempts per account per window. */
  perAccount: 5,
  /** Failed attempts per client address per window. */
  perClient: 20,
  windowMs: 15 * 60_000,
  /** Concurrent password hashes (the demo host has 2 cores). */
  hashConcurrency: 2,
  /** Logins waiting for a hashing slot before new ones are turned away. */
  hashQueue: 8,
  /** Entries kept per table. */
  maxEntries: 10_000,
});

/** Thrown when a login must wait: the handler answers 429 with `Retry-After: retryAfter`. */
export class TooManyAttempts extends Error {
  constructor(retryAfter, message) {
    super(message);
    this.name = 'TooManyAttempts';
    this.retryAfter = Math.max(1, Math.ceil(retryAfter));
  }
}

class WindowCounter {
  constructor(limit, windowMs, maxEntries, now) {
    this.limit = limit;
    this.windowMs = windowMs;
    this.maxEntries = maxEntries;
    this.now = now;
    this.map = new Map();
  }
  #entry(key) {
    const t = this.now();
    let e = this.map.get(key);
    if (!e || t >= e.resetAt) {
      e = { count: 0, resetAt: t + this.windowMs };
      this.map.delete(key);
      this.map.set(key, e);
      if (this.map.size > this.maxEntries) this.map.delete(this.map.keys().next().value);
    }
    return e;
  }
  /** Seconds to wait when `key` is at its limit, else 0. */
  waitFor(key) {
    const e = this.#entry(key);
    return e.count >= this.limit ? (e.resetAt - this.now()) / 1000 : 0;
  }
  add(key) {
    this.#entry(key).count++;
  }
  refund(key) {
    const e = this.map.get(key);
    if (e && e.count > 0) e.count--;
  }
  clear(key) {
    this.map.delete(key);
  }
}

/** A login throttle; `now` is injectable for tests of the window arithmetic. */
export function createLoginThrottle(limits = LOGIN_LIMITS, now = () => Date.now()) {
  const accounts = new WindowCounter(limits.perAccount, limits.windowMs, limits.maxEntries, now);
  const clients = new WindowCounter(limits.perClient, limits.windowMs, limits.maxEntries, now);
  let running = 0;
  const waiting = [];

  async function slot() {
    if (running < limits.hashConcurrency) {
      running++;
      return;
    }
    if (waiting.length >= limits.hashQueue)
      throw new TooManyAttempts(1, 'too many logins in progress; retry in a moment');
    await new Promise((resolve) => waiting.push(resolve));
  }
  function release() {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }

  return {
    /**
     * Runs `check()` (the password hash and compare, resolving to true on
     * success) under the limits for `account` from `client`.
     */
    async attempt(account, client, check) {
      const a = accounts.waitFor(account);
      const c = clients.waitFor(client);
      if (a > 0 || c > 0)
        throw new TooManyAttempts(
          Math.max(a, c),
          a > 0 ? 'too many failed logins for this account' : 'too many failed logins from this client',
        );
      // Counted in the same tick as the check, before any waiting: parallel attempts see each other.
      accounts.add(account);
      clients.add(client);
      try {
        await slot();
      } catch (e) {
        accounts.refund(account);
        clients.refund(client);
        throw e;
      }
      let ok = false;
      try {
        ok = await check();
      } finally {
        release();
      }
      if (ok) {
        accounts.clear(account);
        clients.refund(client);
      }
      return ok;
    },
  };
}
