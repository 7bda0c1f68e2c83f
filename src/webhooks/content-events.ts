import { encodeGlobalID } from '@pothos/plugin-relay';
import type { ContentStatus } from '../generated/sqlite/enums.js';
import type { Tx } from '../shared/mutation.js';
import { recordEvents, type NewEvent } from './outbox.js';

/**
 * What a content write did to one piece, told by the write itself. From it
 * come the content.* events: created, updated (its fields or targeting),
 * status_changed (with both statuses), archived (a move to ARCHIVED, also a
 * status change) and deleted. Events are thin: they name the piece (global
 * id, externalId, source) and its status; receivers read the rest.
 */
export interface PieceChange {
  id: string;
  externalId: string | null;
  source: string | null;
  /** Null for a piece the write created. */
  before: ContentStatus | null;
  /** Null for a piece the write deleted. */
  after: ContentStatus | null;
  /** Whether its fields or targeting changed (not only its status). */
  edited: boolean;
}

export function contentEvents(change: PieceChange): NewEvent[] {
  const data = {
    object: 'ContentPiece',
    id: encodeGlobalID('ContentPiece', change.id),
    externalId: change.externalId,
    source: change.source,
    status: change.after ?? change.before,
    previousStatus: change.before,
  };
  if (change.before === null) return [{ type: 'content.created', data: { ...data, previousStatus: null } }];
  if (change.after === null) return [{ type: 'content.deleted', data }];
  const events: NewEvent[] = [];
  if (change.edited) events.push({ type: 'content.updated', data });
  if (change.before !== change.after) {
    events.push({ type: 'content.status_changed', data });
    if (change.after === 'ARCHIVED') events.push({ type: 'content.archived', data });
  }
  return events;
}

/** Records the events of a write's changes in its transaction (one statement). */
export function recordContentChanges(tx: Tx, workspaceId: string, changes: PieceChange[]): Promise<void> {
  return recordEvents(tx, workspaceId, changes.flatMap(contentEvents));
}
