import { ExpiringMap } from '../shared/expiring-map.js';

/** How long an unknown or revoked secret is remembered. */
export const REFUSAL_MEMORY_MS = 60_000;

/**
 * Secrets (by hash) recently looked up and found unknown or revoked, so
 * that sending one again costs no SQL: a flood of the same bad key or
 * calendar token is refused from memory. Remembering is safe because
 * revocation cannot be undone and a new secret is 256 random bits, never
 * one that was tried before. Bounded: under a flood of distinct secrets
 * the oldest are forgotten first. Keep one per kind of secret, so that a
 * calendar token sent as an API key is not refused as a calendar token.
 */
export class Refusals {
  private readonly hashes: ExpiringMap<true>;

  constructor(ttlMs = REFUSAL_MEMORY_MS, maxEntries = 10_000) {
    this.hashes = new ExpiringMap(ttlMs, maxEntries);
  }

  has(secretHash: string): boolean {
    return this.hashes.get(secretHash) === true;
  }

  add(secretHash: string): void {
    this.hashes.set(secretHash, true);
  }
}
