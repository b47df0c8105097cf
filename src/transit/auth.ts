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
 * Tokens are compared as SHA-256 digests with a constant-time comparison
 * against *every* configured token, so timing reveals neither a prefix match
 * nor which entry matched.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { equalBytes, utf8 } from '../util/bytes.js';
import { transitError, TransitErrorCodes } from './errors.js';

export type Capability = 'create' | 'read' | 'update' | 'delete' | 'list' | 'sudo' | 'deny';

export interface PolicyRule {
  path: string;
  capabilities: Capability[];
}

export interface TokenEntry {
  token: string;
  policies: string[];
  /** Shown (HMAC'd) in the audit log; defaults to the first policy name. */
  displayName?: string;
}

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
  const policies: Record<string, PolicyRule[]> = {
    root: [{ path: '*', capabilities: ['create', 'read', 'update', 'delete', 'list', 'sudo'] }],
    ...(config.policies ?? {}),
  };
  const entries = config.tokens.map((t) => {
    // Short tokens are guessable over the network; refuse them at configuration time.
    if (typeof t.token !== 'string' || t.token.length < 8)
      throw transitError(TransitErrorCodes.INVALID_REQUEST, 'tokens must be strings of at least 8 characters');
    return {
      digest: sha256(utf8(t.token)),
      policies: t.policies,
      displayName: t.displayName ?? t.policies[0] ?? 'token',
    };
  });
  return {
    check(token, path, capability) {
      if (typeof token !== 'string' || token.length === 0) return { allowed: false };
      const d = sha256(utf8(token));
      let found: (typeof entries)[number] | undefined;
      for (const e of entries) if (equalBytes(e.digest, d) && !found) found = e;
      if (!found) return { allowed: false };
      let allowed = false,
        denied = false;
      for (const name of found.policies) {
        for (const rule of policies[name] ?? []) {
          if (!ruleMatches(rule.path, path)) continue;
          if (rule.capabilities.includes('deny')) denied = true;
          if (rule.capabilities.includes(capability)) allowed = true;
        }
      }
      return { allowed: allowed && !denied, policies: found.policies, displayName: found.displayName };
    },
  };
}
