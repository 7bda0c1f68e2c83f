import type { Viewer } from './viewer.js';

/**
 * Remembers recently seen valid keys for a few seconds, so the hot read
 * path (recommendations, many times a second) does not pay a key lookup
 * per request. A key revoked through this server is forgotten at once;
 * one revoked elsewhere (another instance, the command line) keeps working
 * here for at most the time-to-live.
 */
export class KeyCache {
  private readonly entries = new Map<string, { viewer: Viewer; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(secretHash: string, now = Date.now()): Viewer | undefined {
    const entry = this.entries.get(secretHash);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.entries.delete(secretHash);
      return undefined;
    }
    return entry.viewer;
  }

  set(secretHash: string, viewer: Viewer, now = Date.now()): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(secretHash, { viewer, until: now + this.ttlMs });
  }

  /** Drops every cached entry of one key (after it is revoked). */
  forget(apiKeyId: string): void {
    for (const [hash, entry] of this.entries) if (entry.viewer.apiKeyId === apiKeyId) this.entries.delete(hash);
  }
}
