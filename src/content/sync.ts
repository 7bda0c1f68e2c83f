import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../builder.js';
import { workspaceId } from '../context.js';
import type { ContentSync as SyncRow } from '../generated/sqlite/client.js';
import { runMutation, type Payload } from '../shared/mutation.js';
import { refuse, UserError } from '../shared/user-errors.js';
import { labelSchema, parseInput } from '../shared/validation.js';
import { deletePieces } from './mutations.js';
import { archivePieces, ContentPieceIds, type PieceIds } from './removal.js';
import { serialiseImports } from './import.js';
import { openSync, SYNC_EXPIRY_HOURS, SYNC_EXPIRY_MS } from './sync-state.js';

/**
 * Mirror mode: a CMS opens a sync for its source, imports any number of
 * batches under it, and completes it; the pieces of that source the sync did
 * not see are archived or deleted then, in one transaction. A sync nobody
 * completes expires and changes nothing.
 */

export const MAX_SOURCE = 100;
const sourceSchema = labelSchema(MAX_SOURCE);

export const SyncMissingAction = builder.enumType('SyncMissingAction', {
  description: 'What completeContentSync does to the pieces of the source that the sync did not see.',
  values: {
    ARCHIVE: { description: 'Moves them to ARCHIVED (pieces ARCHIVED already are left untouched).' },
    DELETE: { description: 'Deletes them with their targeting.' },
  } as const,
});

interface SyncShape {
  row: SyncRow;
  seen: number;
}

const ContentSync = builder.objectRef<SyncShape>('ContentSync').implement({
  description: `A mirror sync of one source. Open until completed; expires ${SYNC_EXPIRY_HOURS} hours after its last batch.`,
  fields: (t) => ({
    id: t.id({ description: 'Its global ID; pass it to importContent (input.sync) and completeContentSync.', resolve: (s) => encodeGlobalID('ContentSync', s.row.id) }),
    source: t.string({ description: 'The source it mirrors.', resolve: (s) => s.row.source }),
    onMissing: t.field({ type: SyncMissingAction, description: 'What completing it does to the pieces it did not see.', resolve: (s) => s.row.onMissing }),
    startedAt: t.field({ type: 'DateTime', description: 'When it was opened.', resolve: (s) => s.row.startedAt }),
    expiresAt: t.field({ type: 'DateTime', description: 'When it expires unless another batch is imported under it or it is completed.', resolve: (s) => s.row.expiresAt }),
    completedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it was completed; null while open.', resolve: (s) => s.row.completedAt }),
    seen: t.int({ description: 'Pieces imported under it so far.', resolve: (s) => s.seen }),
  }),
});

const StartContentSyncInput = builder.inputType('StartContentSyncInput', {
  description: 'The source to mirror.',
  fields: (t) => ({
    source: t.string({ required: true, description: `The CMS or other source, e.g. "contentful-main"; 1 to ${MAX_SOURCE} characters, one line.` }),
    onMissing: t.field({ type: SyncMissingAction, defaultValue: 'ARCHIVE', description: 'What completing the sync does to the pieces of the source it did not see; default ARCHIVE.' }),
  }),
});

const CompleteContentSyncInput = builder.inputType('CompleteContentSyncInput', {
  description: 'The sync to complete.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The global ID of an open sync, as startContentSync answered it.' }),
  }),
});

interface StartPayloadShape extends Payload {
  contentSync?: SyncShape;
}

const StartContentSyncPayload = builder.objectRef<StartPayloadShape>('StartContentSyncPayload').implement({
  description: 'The result of startContentSync.',
  fields: (t) => ({
    contentSync: t.field({ type: ContentSync, nullable: true, description: 'The opened sync; null when refused.', resolve: (p) => p.contentSync ?? null }),
    userErrors: t.field({ type: [UserError], description: 'Why it was refused; empty on success.', resolve: (p) => p.userErrors }),
  }),
});

interface CompletePayloadShape extends Payload {
  contentSync?: SyncShape;
  archived?: number;
  deleted?: number;
  pieces?: PieceIds[];
}

const CompleteContentSyncPayload = builder.objectRef<CompletePayloadShape>('CompleteContentSyncPayload').implement({
  description: 'The result of completeContentSync. When refused, nothing changed, the counts are 0 and the list empty.',
  fields: (t) => ({
    contentSync: t.field({ type: ContentSync, nullable: true, description: 'The completed sync, with its seen count; null when refused.', resolve: (p) => p.contentSync ?? null }),
    archived: t.int({ description: 'Pieces of the source not seen that were moved to ARCHIVED (ARCHIVE mode).', resolve: (p) => p.archived ?? 0 }),
    deleted: t.int({ description: 'Pieces of the source not seen that were deleted (DELETE mode).', resolve: (p) => p.deleted ?? 0 }),
    pieces: t.field({ type: [ContentPieceIds], description: 'The pieces archived or deleted; empty when refused.', resolve: (p) => p.pieces ?? [] }),
    userErrors: t.field({ type: [UserError], description: 'Why it was refused; empty on success.', resolve: (p) => p.userErrors }),
  }),
});

builder.mutationFields((t) => ({
  startContentSync: t.field({
    type: StartContentSyncPayload,
    description: `Opens a mirror sync of one source: import its pieces with importContent(input: { sync }), then completeContentSync. One open sync per source; a second is CONFLICT until the first is completed or expires (${SYNC_EXPIRY_HOURS} hours after its last batch). EDITOR.`,
    authScopes: { editor: true },
    args: { input: t.arg({ type: StartContentSyncInput, required: true, description: 'The source.' }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const source = parseInput(sourceSchema, input.source, ['input', 'source']);
        await serialiseImports(tx, ctx);
        const now = new Date();
        const open = await tx.contentSync.findFirst({ where: { workspaceId: workspaceId(ctx), source, completedAt: null, expiresAt: { gt: now } }, select: { id: true } });
        if (open) {
          refuse(['input', 'source'], 'CONFLICT', `Source "${source}" has an open sync (${encodeGlobalID('ContentSync', open.id)}); complete it or let it expire first.`);
        }
        const row = await tx.contentSync.create({
          data: { workspaceId: workspaceId(ctx), source, onMissing: input.onMissing ?? 'ARCHIVE', startedAt: now, expiresAt: new Date(now.getTime() + SYNC_EXPIRY_MS) },
        });
        return { contentSync: { row, seen: 0 } };
      }),
  }),
  completeContentSync: t.field({
    type: CompleteContentSyncPayload,
    description: 'Completes an open sync in one transaction: every piece of its source that no batch of the sync imported is archived or deleted (its onMissing), then the sync closes. An unknown sync is NOT_FOUND; a completed or expired one INVALID; either way nothing changes. EDITOR.',
    authScopes: { editor: true },
    args: { input: t.arg({ type: CompleteContentSyncInput, required: true, description: 'The sync.' }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        await serialiseImports(tx, ctx);
        const sync = await openSync(tx, ctx, input.id, ['input', 'id']);
        const missing = await tx.contentPiece.findMany({
          where: { workspaceId: workspaceId(ctx), source: sync.source, syncsSeenIn: { none: { syncId: sync.id } } },
          select: { id: true, externalId: true, status: true, source: true },
          orderBy: { id: 'asc' },
        });
        // Archiving skips what is ARCHIVED already, so a piece counts once, as archiveContent does.
        const affected = sync.onMissing === 'DELETE' ? missing : missing.filter((p) => p.status !== 'ARCHIVED');
        const ids = affected.map((p) => p.id);
        if (sync.onMissing === 'DELETE') {
          if (ids.length > 0) await deletePieces(tx, workspaceId(ctx), affected);
        } else {
          await archivePieces(tx, workspaceId(ctx), affected);
        }
        const row = await tx.contentSync.update({ where: { id: sync.id }, data: { completedAt: new Date() } });
        const seen = await tx.contentSyncSeen.count({ where: { syncId: sync.id } });
        return {
          contentSync: { row, seen },
          archived: sync.onMissing === 'ARCHIVE' ? ids.length : 0,
          deleted: sync.onMissing === 'DELETE' ? ids.length : 0,
          // Pieces made in a sync always have an externalId; a hand-set source without one answers an empty string.
          pieces: affected.map((p) => ({ id: p.id, externalId: p.externalId ?? '' })),
        };
      }),
  }),
}));
