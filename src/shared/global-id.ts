import { decodeGlobalID } from '@pothos/plugin-relay';
import { refuse } from './user-errors.js';

/**
 * The database id inside a global ID of the expected type. A malformed id
 * or one of another type is refused as NOT_FOUND on `field`: to the caller
 * it names nothing they own.
 */
export function idOf(globalId: string, typename: string, field: string[]): string {
  try {
    const decoded = decodeGlobalID(globalId);
    if (decoded.typename === typename && decoded.id) return decoded.id;
  } catch {
    // fall through: not a global ID at all
  }
  return refuse(field, 'NOT_FOUND', `No ${typename} with id "${globalId}" in this workspace.`);
}
