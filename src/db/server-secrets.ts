import { randomBytes } from 'node:crypto';
import { uniqueViolationFields } from '../shared/mutation.js';
import type { Db } from './client.js';

/** The name of the key that signs paging cursors. */
export const CURSOR_SECRET = 'cursor';

/**
 * A secret the server keeps for itself, by name: read from the database,
 * or made the first time any instance asks. Every instance on the same
 * database gets the same bytes, so what one signs the others accept, with
 * nothing to configure.
 */
export function serverSecret(db: Db, name: string): Promise<Buffer> {
  return storedSecret(
    () => db.serverSecret.findUnique({ where: { name } }),
    (value) => db.serverSecret.create({ data: { name, value } }),
  );
}

/**
 * A 256-bit random secret kept in one row: `find` reads the row, `make`
 * stores a new value. Made on first use; when another instance makes it at
 * the same moment (a unique-key clash), theirs is read and used, so all
 * agree on one value.
 */
export async function storedSecret(find: () => Promise<{ value: string } | null>, make: (value: string) => Promise<unknown>): Promise<Buffer> {
  const existing = await find();
  if (existing) return Buffer.from(existing.value, 'base64url');
  try {
    await make(randomBytes(32).toString('base64url'));
  } catch (error) {
    // Another instance made it at the same moment: read theirs.
    if (!uniqueViolationFields(error)) throw error;
  }
  const made = await find();
  if (!made) throw new Error('The secret was made but cannot be read back.');
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
