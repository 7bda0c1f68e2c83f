import type { WorkspaceVersions } from '../db/versions.js';
import { ExpiringMap } from '../shared/expiring-map.js';
import type { Viewer } from './viewer.js';

/**
 * Remembers recently seen valid keys, so the hot read path
 * (recommendations, many times a second) does not pay a key lookup per
 * request, and rate limiting counts a known key in its own budget only.
 * A key is remembered under its workspace's version (db/versions.ts): any
 * write to the workspace, here or in another process, among them a
 * revocation, makes the next request look the key up again. The
 * time-to-live bounds what a lost watch (PostgreSQL's notifications down)
 * could miss.
 */
export class KeyCache {
  private readonly viewers: ExpiringMap<{ viewer: Viewer; version: string }>;

  constructor(
    ttlMs: number,
    private readonly versions: WorkspaceVersions,
    maxEntries = 10_000,
  ) {
    this.viewers = new ExpiringMap(ttlMs, maxEntries);
  }

  get(secretHash: string, now = Date.now()): Viewer | undefined {
    const entry = this.viewers.get(secretHash, now);
    if (!entry) return undefined;
    return entry.version === this.versions.of(entry.viewer.workspaceId) ? entry.viewer : undefined;
  }

  /**
   * Remembers a key looked up at `stamp` (versions.stamp(), taken before the
   * lookup); if anything was written since, the lookup may predate a
   * revocation, so it is not remembered.
   */
  set(secretHash: string, viewer: Viewer, stamp: string, now = Date.now()): void {
    if (this.versions.stamp() !== stamp) return;
    this.viewers.set(secretHash, { viewer, version: this.versions.of(viewer.workspaceId) }, now);
  }

  /** Drops every cached entry of one key (after it is revoked). */
  forget(apiKeyId: string): void {
    this.viewers.deleteWhere((entry) => entry.viewer.apiKeyId === apiKeyId);
  }
}
