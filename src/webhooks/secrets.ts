import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/**
 * Endpoint secrets. Each is `whsec_` + 32 random bytes in base64, as the
 * Standard Webhooks specification lays them out; the server keeps it
 * encrypted (AES-256-GCM) under a key derived from WEBHOOK_SECRET_KEY, which
 * lives in the environment and never in the database, so a dump of the
 * database alone cannot sign a webhook. The workspace's id is bound into
 * each ciphertext: a secret copied to another workspace's row does not open.
 */
export const SECRET_PREFIX = 'whsec_';

/** The webhook key from its setting: at least 32 characters (e.g. `openssl rand -base64 32`). */
export const MIN_KEY_LENGTH = 32;

export function webhookKey(setting: string): Buffer {
  return Buffer.from(hkdfSync('sha256', setting, 'content-planning', 'webhook endpoint secrets', 32));
}

export function newSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

export function sealSecret(key: Buffer, workspaceId: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(workspaceId));
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `v1.${iv.toString('base64url')}.${sealed.toString('base64url')}`;
}

/** Throws when the key is not the one that sealed it (or the row was tampered with). */
export function openSecret(key: Buffer, workspaceId: string, stored: string): string {
  const [version, iv, sealed] = stored.split('.');
  if (version !== 'v1' || !iv || !sealed) throw new Error('Unknown secret format');
  const bytes = Buffer.from(sealed, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url')).setAAD(Buffer.from(workspaceId));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString('utf8');
}

/** The webhook-signature header: one `v1,<base64>` per secret, space-separated (a rotated secret signs too for a while). */
export function signature(secrets: string[], id: string, timestamp: Date, body: string): string {
  return secrets.map((secret) => new Webhook(secret).sign(id, timestamp, body)).join(' ');
}
