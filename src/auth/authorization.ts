import { hashSecret } from './keys.js';

/**
 * What a request's Authorization header carries. Parsed once per request:
 * rate limiting and authentication both use this one result, so they can
 * never disagree about which key a request carries.
 */
export type Credential =
  | { kind: 'none' }
  /** Present but not "Bearer <key>": refused as UNAUTHENTICATED. */
  | { kind: 'malformed' }
  /** `hash` is the key's SHA-256: its rate-limit bucket and its lookup. */
  | { kind: 'key'; secret: string; hash: string };

/**
 * "Bearer <key>" (RFC 6750): the scheme in any case, spaces or tabs around
 * the key, and the key in token characters only. Every spelling of one key
 * yields the same secret, so all of them share one budget.
 */
const BEARER = /^[ \t]*bearer[ \t]+([A-Za-z0-9\-._~+/]+=*)[ \t]*$/i;

export function parseAuthorization(header: string | null): Credential {
  // An empty header is what clients without a configured key send: no key.
  if (!header) return { kind: 'none' };
  const secret = BEARER.exec(header)?.[1];
  return secret ? { kind: 'key', secret, hash: hashSecret(secret) } : { kind: 'malformed' };
}
