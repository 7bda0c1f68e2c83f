import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/client.js';
import type { Role } from '../generated/sqlite/enums.js';
import type { Tx } from '../shared/mutation.js';
import type { Viewer } from './viewer.js';

/**
 * API keys: a random secret shown once, stored only as its SHA-256 (the
 * secrets are 256 random bits, so a fast hash is enough and keeps the
 * per-request lookup a single indexed read).
 */
const SECRET_PREFIX = 'cpk_';

export interface NewKey {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  /** The only time the secret exists outside the caller's hands. */
  secret: string;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export async function createApiKey(db: Db | Tx, workspaceId: string, name: string, role: Role, secret = newSecret()): Promise<NewKey> {
  const prefix = secret.slice(0, SECRET_PREFIX.length + 6);
  const key = await db.apiKey.create({ data: { workspaceId, name, role, prefix, secretHash: hashSecret(secret) } });
  return { id: key.id, name: key.name, role: key.role, prefix, secret };
}

/** The viewer a bearer secret stands for, or null when it is unknown or revoked. */
export function authenticate(db: Db, secret: string): Promise<Viewer | null> {
  return findKey(db, hashSecret(secret));
}

/** The viewer of the key with this secret hash, or null when it is unknown or revoked. One indexed read. */
export async function findKey(db: Db, secretHash: string): Promise<Viewer | null> {
  const key = await db.apiKey.findUnique({
    where: { secretHash },
    select: { id: true, workspaceId: true, role: true, revokedAt: true },
  });
  if (!key || key.revokedAt) return null;
  return { workspaceId: key.workspaceId, role: key.role, apiKeyId: key.id };
}

function newSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64url');
}
