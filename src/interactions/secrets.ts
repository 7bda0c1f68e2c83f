import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import type { Db } from '../db/client.js';
import { storedSecret } from '../db/server-secrets.js';

/**
 * The keys visitor and session ids are hashed with: one random 256-bit
 * secret per workspace, made on its first interaction and never changed
 * (a new one would split every session and visitor in two). Kept in memory
 * once read: it is read on every batch.
 */
export class InteractionSecrets {
  readonly #known = new Map<string, Promise<Buffer>>();

  constructor(private readonly db: Db) {}

  of(workspaceId: string): Promise<Buffer> {
    let secret = this.#known.get(workspaceId);
    if (!secret) {
      secret = workspaceSecret(this.db, workspaceId);
      this.#known.set(workspaceId, secret);
      // A failed read (database down) is tried again next time.
      secret.catch(() => this.#known.delete(workspaceId));
    }
    return secret;
  }
}

/**
 * HMAC-SHA-256 of an id under the workspace's secret, its first 128 bits in
 * base64url (plenty to tell a workspace's visitors apart, and a smaller row):
 * the same id always gives the same hash within a workspace, and nothing
 * else can be learnt from it without the secret.
 */
export function hashId(secret: Buffer | KeyObject, kind: 'visitor' | 'session', id: string): string {
  return createHmac('sha256', secret).update(`${kind}\n${id}`).digest().subarray(0, 16).toString('base64url');
}

/**
 * hashId for one batch: each distinct id is hashed once (a batch repeats its
 * visitors and sessions many times), under the secret imported once.
 */
export function batchHasher(secret: Buffer): (kind: 'visitor' | 'session', id: string) => string {
  const key = createSecretKey(secret);
  const known = new Map<string, string>();
  return (kind, id) => {
    const name = `${kind}\n${id}`;
    let hash = known.get(name);
    if (hash === undefined) known.set(name, (hash = hashId(key, kind, id)));
    return hash;
  };
}

function workspaceSecret(db: Db, workspaceId: string): Promise<Buffer> {
  return storedSecret(
    () => db.interactionSecret.findUnique({ where: { workspaceId } }),
    (value) => db.interactionSecret.create({ data: { workspaceId, value } }),
  );
}
