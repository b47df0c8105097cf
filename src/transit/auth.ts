/**
 * Token authentication and Vault-style ACL policies.
 *
 * A token maps to policy names; a policy is a list of path rules with
 * capabilities (`create`, `read`, `update`, `delete`, `list`, `sudo`, `deny`).
 * Paths are relative to `/v1/` (e.g. `oqs-transit/encrypt/app-*`); a trailing
 * `*` matches any suffix and `+` matches exactly one path segment, as in
 * Vault. The capabilities of all matching rules are united; a matching `deny`
 * wins over everything. The built-in `root` policy allows every path.
 *
 * Tokens are matched by the HTTP kit's `createTokenMatcher` (SHA-256 digests,
 * compared in constant time against *every* configured token). Policy names
 * are looked up in a Map, so a token listing `constructor` or `__proto__`
 * finds no policy rather than an `Object.prototype` member.
 *
 * `path` is the canonical path the handler computed (decoded once, see
 * `canonicalPath` in src/http/kit.ts) — the same value it routes on.
 */
import { createTokenMatcher } from '../http/kit.js';

/** A Vault ACL capability; `deny` on a matching rule overrides every other capability. */
export type Capability = 'create' | 'read' | 'update' | 'delete' | 'list' | 'sudo' | 'deny';

/** One ACL rule: a path pattern relative to `/v1/` (`*` suffix, `+` one segment) and the capabilities it grants. */
export interface PolicyRule {
  path: string;
  capabilities: Capability[];
}

/** A client token and the policy names it carries. */
export interface TokenEntry {
  token: string;
  policies: string[];
  /** Shown (HMAC'd) in the audit log; defaults to the first policy name. */
  displayName?: string;
}

/**
 * Tokens and named policies for {@link createAuth}.
 *
 * @example
 * ```ts
 * const auth = createAuth({
 *   tokens: [
 *     { token: process.env.ROOT_TOKEN!, policies: ['root'] },
 *     { token: process.env.APP_TOKEN!, policies: ['app'], displayName: 'app-server' },
 *   ],
 *   policies: { app: [{ path: 'oqs-transit/encrypt/app-*', capabilities: ['update'] }] },
 * });
 * auth.check(process.env.APP_TOKEN, 'oqs-transit/encrypt/app-orders', 'update').allowed; // true
 * ```
 */
export interface AuthConfig {
  tokens: TokenEntry[];
  /** Named policies; `root` is built in. */
  policies?: Record<string, PolicyRule[]>;
}

export interface AuthResult {
  allowed: boolean;
  /** Set when the token is known (even if the capability is missing). */
  policies?: string[];
  displayName?: string;
}

/** Decides whether a token may use a capability on a path. */
export interface Authorizer {
  /** Whether `token` holds `capability` on the canonical `path` (relative to `/v1/`); an unknown token is not allowed. */
  check(token: string | null | undefined, path: string, capability: Capability): AuthResult;
}

function ruleMatches(pattern: string, path: string): boolean {
  const p = pattern.replace(/^\/+/, '');
  const prefix = p.endsWith('*');
  const segs = (prefix ? p.slice(0, -1) : p).split('/');
  const parts = path.split('/');
  // Compare segment by segment so `+` can stand for one whole segment.
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    const last = i === segs.length - 1;
    const part = parts[i];
    if (part === undefined) return false;
    if (s === '+') {
      if (part === '') return false;
      continue;
    }
    // `*` matches any suffix, across later segments too (Vault semantics).
    if (last && prefix) return part.startsWith(s);
    if (s !== part) return false;
  }
  return prefix || parts.length === segs.length;
}

/** Builds an authorizer from tokens and policies. */
export function createAuth(config: AuthConfig): Authorizer {
  const policies = new Map<string, readonly PolicyRule[]>([
    ['root', [{ path: '*', capabilities: ['create', 'read', 'update', 'delete', 'list', 'sudo'] }]],
  ]);
  for (const [name, rules] of Object.entries(config.policies ?? {}))
    if (Array.isArray(rules)) policies.set(name, rules);
  const match = createTokenMatcher(
    config.tokens.map((t) => ({
      token: t.token,
      value: { policies: t.policies, displayName: t.displayName ?? t.policies[0] ?? 'token' },
    })),
  );
  return {
    check(token, path, capability) {
      const found = match(token);
      if (!found) return { allowed: false };
      let allowed = false,
        denied = false;
      for (const name of found.policies) {
        for (const rule of policies.get(name) ?? []) {
          if (!ruleMatches(rule.path, path)) continue;
          if (rule.capabilities.includes('deny')) denied = true;
          if (rule.capabilities.includes(capability)) allowed = true;
        }
      }
      return { allowed: allowed && !denied, policies: found.policies, displayName: found.displayName };
    },
  };
}
