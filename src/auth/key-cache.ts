import { ExpiringMap } from '../shared/expiring-map.js';
import type { Viewer } from './viewer.js';

/**
 * Remembers recently seen valid keys for a few seconds, so the hot read
 * path (recommendations, many times a second) does not pay a key lookup
 * per request, and rate limiting counts a known key in its own budget
 * only. A key revoked through this server is forgotten at once; one
 * revoked elsewhere (another instance, the command line) keeps working
 * here for at most the time-to-live.
 */
export class KeyCache {
  private readonly viewers: ExpiringMap<Viewer>;

  constructor(ttlMs: number, maxEntries = 10_000) {
    this.viewers = new ExpiringMap(ttlMs, maxEntries);
  }

  get(secretHash: string, now = Date.now()): Viewer | undefined {
    return this.viewers.get(secretHash, now);
  }

  set(secretHash: string, viewer: Viewer, now = Date.now()): void {
    this.viewers.set(secretHash, viewer, now);
  }

  /** Drops every cached entry of one key (after it is revoked). */
  forget(apiKeyId: string): void {
    this.viewers.deleteWhere((viewer) => viewer.apiKeyId === apiKeyId);
  }
}
