import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../builder.js';
import { workspaceId, type Context } from '../context.js';
import type { ContentStatus as StatusValue } from '../generated/sqlite/enums.js';
import { runMutation, type Payload, type Tx } from '../shared/mutation.js';
import { refuse, UserError, type UserErrorShape } from '../shared/user-errors.js';
import { labelSchema, MAX_NAME } from '../shared/validation.js';
import { MAX_IMPORT_ROWS } from './import.js';
import { changeOf, deletePieces, type PieceRef } from './mutations.js';
import { recordContentChanges } from '../webhooks/content-events.js';
import { canTransition, TRANSITIONS_DESCRIPTION } from './status.js';
import { syncTargets } from './targets.js';
import { chunksOf } from '../db/chunks.js';
import { collect, failIfAny } from './validation.js';

/**
 * CMS sync, the other direction: a CMS mirrors the pieces it deleted or
 * archived, by its own ids (externalId), many at a time. Like importContent:
 * the same limit per call, every bad id reported with its index, and nothing
 * written unless every id names a piece of the caller's workspace.
 */
const FIELD = ['input', 'externalIds'];
const externalIdSchema = labelSchema(MAX_NAME);

const RemoveContentInput = (name: string, verb: string) =>
  builder.inputType(name, {
    description: `The CMS ids of the pieces to ${verb}, at most ${MAX_IMPORT_ROWS} per call.`,
    fields: (t) => ({
      externalIds: t.stringList({
        required: true,
        description: `Their ids in the CMS (externalId), 1 to ${MAX_IMPORT_ROWS}, each once; each must name a piece of this workspace.`,
      }),
    }),
  });

const DeleteContentInput = RemoveContentInput('DeleteContentInput', 'delete');
const ArchiveContentInput = RemoveContentInput('ArchiveContentInput', 'archive');

export interface PieceIds {
  id: string;
  externalId: string;
}

export const ContentPieceIds = builder.objectRef<PieceIds>('ContentPieceIds').implement({
  description: 'A content piece named by both of its ids.',
  fields: (t) => ({
    id: t.id({ description: 'Its global ID.', resolve: (p) => encodeGlobalID('ContentPiece', p.id) }),
    externalId: t.exposeString('externalId', { description: 'Its id in the CMS.' }),
  }),
});

interface DeletePayloadShape extends Payload {
  deleted?: number;
  pieces?: PieceIds[];
}

const DeleteContentPayload = builder.objectRef<DeletePayloadShape>('DeleteContentPayload').implement({
  description: 'The result of deleteContent. When refused, nothing was deleted, the count is 0 and the list empty.',
  fields: (t) => ({
    deleted: t.int({ description: 'Pieces deleted.', resolve: (p) => p.deleted ?? 0 }),
    pieces: t.field({ type: [ContentPieceIds], description: 'The deleted pieces, in input order; empty when refused.', resolve: (p) => p.pieces ?? [] }),
    userErrors: t.field({
      type: [UserError],
      description: 'Every problem with every id (field paths are ["input", "externalIds", "<index>"]); empty on success.',
      resolve: (p) => p.userErrors,
    }),
  }),
});

interface ArchivePayloadShape extends Payload {
  archived?: number;
  unchanged?: number;
  pieces?: PieceIds[];
}

const ArchiveContentPayload = builder.objectRef<ArchivePayloadShape>('ArchiveContentPayload').implement({
  description: 'The result of archiveContent. When refused, nothing was written, the counts are 0 and the list empty.',
  fields: (t) => ({
    archived: t.int({ description: 'Pieces moved to ARCHIVED.', resolve: (p) => p.archived ?? 0 }),
    unchanged: t.int({ description: 'Pieces that were ARCHIVED already; not written, updatedAt untouched.', resolve: (p) => p.unchanged ?? 0 }),
    pieces: t.field({ type: [ContentPieceIds], description: 'Every named piece, archived now or before, in input order; empty when refused.', resolve: (p) => p.pieces ?? [] }),
    userErrors: t.field({
      type: [UserError],
      description: 'Every problem with every id (field paths are ["input", "externalIds", "<index>"]); empty on success.',
      resolve: (p) => p.userErrors,
    }),
  }),
});

builder.mutationFields((t) => ({
  deleteContent: t.field({
    type: DeleteContentPayload,
    description: `Deletes up to ${MAX_IMPORT_ROWS} pieces and their targeting by their CMS ids (externalId), all or nothing: with any unknown, malformed or repeated id nothing is deleted and every such id is reported. EDITOR.`,
    authScopes: { editor: true },
    args: { input: t.arg({ type: DeleteContentInput, required: true, description: 'The pieces.' }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(
        ctx,
        async (tx) => {
          const pieces = await piecesByExternalId(tx, ctx, input.externalIds);
          await deletePieces(tx, workspaceId(ctx), pieces);
          return { deleted: pieces.length, pieces: pieces.map(({ id, externalId }) => ({ id, externalId })) };
        },
        FIELD,
      ),
  }),
  archiveContent: t.field({
    type: ArchiveContentPayload,
    description: `Moves up to ${MAX_IMPORT_ROWS} pieces to ARCHIVED by their CMS ids (externalId), all or nothing: with any unknown, malformed or repeated id nothing is written and every such id is reported. Pieces already ARCHIVED are left untouched, so a retry succeeds. EDITOR.`,
    authScopes: { editor: true },
    args: { input: t.arg({ type: ArchiveContentInput, required: true, description: 'The pieces.' }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(
        ctx,
        async (tx) => {
          const pieces = await piecesByExternalId(tx, ctx, input.externalIds);
          const moving = pieces.filter((p) => p.status !== 'ARCHIVED');
          const errors = moving.flatMap((p) =>
            canTransition(p.status, 'ARCHIVED')
              ? []
              : [{ field: [...FIELD, String(p.index)], code: 'INVALID_TRANSITION' as const, message: `The piece with externalId "${p.externalId}" cannot move from ${p.status} to ARCHIVED. ${TRANSITIONS_DESCRIPTION}` }],
          );
          failIfAny(errors);
          await archivePieces(tx, workspaceId(ctx), moving);
          return { archived: moving.length, unchanged: pieces.length - moving.length, pieces: pieces.map(({ id, externalId }) => ({ id, externalId })) };
        },
        FIELD,
      ),
  }),
}));

/** Moves pieces to ARCHIVED (no workflow check: callers decide); their cells are counted again; content.status_changed and content.archived go out. */
export async function archivePieces(tx: Tx, workspaceId: string, pieces: PieceRef[]) {
  if (pieces.length === 0) return;
  const pieceIds = pieces.map((p) => p.id);
  for (const ids of chunksOf(pieceIds)) await tx.contentPiece.updateMany({ where: { id: { in: ids } }, data: { status: 'ARCHIVED' } });
  await syncTargets(tx, pieceIds);
  await recordContentChanges(tx, workspaceId, pieces.map((p) => changeOf(p, 'ARCHIVED')));
}

interface NamedPiece extends PieceIds, PieceRef {
  index: number;
  externalId: string;
}

/**
 * The caller's pieces named by `externalIds`, in input order, found with one
 * query. Refuses an empty or too long list, and otherwise reports every
 * malformed, repeated (as importContent does) or unknown id at once.
 */
async function piecesByExternalId(tx: Tx, ctx: Context, externalIds: string[]): Promise<NamedPiece[]> {
  if (externalIds.length === 0) refuse(FIELD, 'INVALID', 'Name at least one externalId.');
  if (externalIds.length > MAX_IMPORT_ROWS) {
    refuse(FIELD, 'TOO_MANY', `At most ${MAX_IMPORT_ROWS} externalIds per call; got ${externalIds.length}. Split the call.`);
  }
  const errors: UserErrorShape[] = [];
  const seen = new Map<string, number>();
  const wanted = externalIds.map((raw, index) => {
    const field = [...FIELD, String(index)];
    const externalId = collect(externalIdSchema, raw, field, errors);
    if (externalId === null) return null;
    const first = seen.get(externalId);
    if (first !== undefined) {
      errors.push({ field, code: 'INVALID', message: `externalId "${externalId}" already appears at index ${first}; each piece may appear once per call.` });
      return null;
    }
    seen.set(externalId, index);
    return externalId;
  });
  const stored = await tx.contentPiece.findMany({
    where: { workspaceId: workspaceId(ctx), externalId: { in: [...seen.keys()] } },
    select: { id: true, externalId: true, status: true, source: true },
  });
  const byExternalId = new Map(stored.map((piece) => [piece.externalId!, piece]));
  const pieces: NamedPiece[] = [];
  wanted.forEach((externalId, index) => {
    if (externalId === null) return;
    const piece = byExternalId.get(externalId);
    if (piece) pieces.push({ index, id: piece.id, externalId, status: piece.status, source: piece.source });
    else errors.push({ field: [...FIELD, String(index)], code: 'NOT_FOUND', message: `No content piece with externalId "${externalId}" in this workspace.` });
  });
  // In input order, as a CMS lists its rows.
  failIfAny(errors.sort((a, b) => Number(a.field[2]) - Number(b.field[2])));
  return pieces;
}
