import type { KeyCache } from './auth/key-cache.js';
import type { Viewer } from './auth/viewer.js';
import type { Database, Db } from './db/client.js';
import type { Provider } from './db/config.js';
import type { Catalogs } from './workspaces/catalog.js';
import type { Freshness } from './delivery/freshness.js';
import type { InteractionSettings } from './interactions/settings.js';
import type { WebhookSettings } from './webhooks/settings.js';

/** What every resolver gets. */
export interface Context {
  /** For reads; writes go through runMutation, which uses the writer (`database.prisma`). */
  prisma: Db;
  provider: Provider;
  database: Database;
  /** Null when the request carries no API key. */
  viewer: Viewer | null;
  /** Recently authenticated keys; a revocation must forget the key here. */
  keyCache: KeyCache;
  /** How long the answer stays true by the clock; resolvers that read live content narrow it (delivery/freshness.ts). */
  freshness: Freshness;
  /** The workspaces' key catalogs, kept per version. */
  catalogs: Catalogs;
  /** Signs and checks paging cursors (see shared/cursor.ts); the same on every instance. */
  cursorKey: Buffer;
  /** The server's public origin (and path prefix, no trailing slash), for absolute URLs in answers. */
  publicUrl: string;
  /** How webhook endpoints are checked and their secrets kept; null where nothing manages them (analysis threads). */
  webhooks: WebhookSettings | null;
  /** How interactions are recorded: the retention window and the workspaces' hashing secrets. */
  interactions: InteractionSettings;
}

/** The caller's workspace; resolvers run only after scope checks, so a viewer is present. */
export function workspaceId(ctx: Context): string {
  if (!ctx.viewer) throw new Error('workspaceId() called without a viewer: the field lacks an authScopes check');
  return ctx.viewer.workspaceId;
}
