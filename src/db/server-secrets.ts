import { randomBytes } from 'node:crypto';
import { uniqueViolationFields } from '../shared/mutation.js';
import type { Db } from './client.js';

/** The name of the key that signs paging cursors. */
export const CURSOR_SECRET = 'cursor';

/**
 * A secret the server keeps for itself, by name: read from the database,
 * or made (256 random bits) the first time any instance asks. Every
 * instance on the same database gets the same bytes, so what one signs the
 * others accept, with nothing to configure.
 */
export async function serverSecret(db: Db, name: string): Promise<Buffer> {
  const existing = await db.serverSecret.findUnique({ where: { name } });
  if (existing) return Buffer.from(existing.value, 'base64url');
  try {
    await db.serverSecret.create({ data: { name, value: randomBytes(32).toString('base64url') } });
  } catch (error) {
    // Another instance made it at the same moment: read theirs.
    if (!uniqueViolationFields(error)) throw error;
  }
  const made = await db.serverSecret.findUniqueOrThrow({ where: { name } });
  return Buffer.from(made.value, 'base64url');
}

/** serverSecret read once and then remembered; a failed read (database down) is tried again next time. */
export function rememberedSecret(db: Db, name: string): () => Promise<Buffer> {
  let secret: Promise<Buffer> | null = null;
  return () =>
    (secret ??= serverSecret(db, name).catch((error: unknown) => {
      secret = null;
      throw error;
    }));
}
