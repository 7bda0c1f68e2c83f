import { decodeGlobalID } from '@pothos/plugin-relay';
import { refuse } from './user-errors.js';
import { idSchema, isOneLine, parseInput } from './validation.js';

/**
 * The database id inside a global ID of the expected type. An id that breaks
 * the string rules (too long, control characters) is INVALID on `field`; a
 * malformed one, one of another type or one whose content could name no row
 * is NOT_FOUND: to the caller it names nothing they own.
 */
export function idOf(globalId: string, typename: string, field: string[]): string {
  const id = databaseIdOf(parseInput(idSchema, globalId, field), typename);
  return id ?? refuse(field, 'NOT_FOUND', `No ${typename} with id "${globalId}" in this workspace.`);
}

/** The database id inside a global ID of `typename`, or null. */
export function databaseIdOf(globalId: string, typename: string): string | null {
  try {
    const decoded = decodeGlobalID(globalId);
    // Decoded text with U+0000 would be refused by PostgreSQL as a parameter; no id holds a control character.
    if (decoded.typename === typename && decoded.id && isOneLine(decoded.id)) return decoded.id;
  } catch {
    // fall through: not a global ID at all
  }
  return null;
}
