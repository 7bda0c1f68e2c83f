import { builder } from '../builder.js';
import { workspaceId, type Context } from '../context.js';
import type { Prisma } from '../generated/sqlite/client.js';
import type { ContentStatus as StatusValue } from '../generated/sqlite/enums.js';
import { NeedType } from '../shared/enums.js';
import { idOf } from '../shared/global-id.js';
import { runMutation, type Payload, type Tx } from '../shared/mutation.js';
import { DeletePayload } from '../shared/payloads.js';
import { PhaseRefInput } from '../shared/refs.js';
import { refuse, UserError, type UserErrorShape } from '../shared/user-errors.js';
import { ContentFormat, ContentStatus } from './enums.js';
import { canTransition, TRANSITIONS_DESCRIPTION } from './status.js';
import { loadTargetingIndex, resolveTargeting, type Targeting } from './targeting.js';
import { checkScheduled, checkWindow, collect, failIfAny, pieceFieldsSchema, type PieceFields } from './validation.js';
import { syncTargets } from './targets.js';
import { chunksOf } from '../db/chunks.js';
import { takeOffCells } from '../interactions/cells.js';
import { recordContentChanges, type PieceChange } from '../webhooks/content-events.js';

// Mutations (EDITOR): create, update, set status, delete. Status moves only
// through setContentStatus, which enforces the workflow.

const CreateContentPieceInput = builder.inputType('CreateContentPieceInput', {
  description: 'A new content piece and its targeting.',
  fields: (t) => ({
    title: t.string({ required: true, description: 'Title.' }),
    summary: t.string({ description: 'A short summary.' }),
    format: t.field({ type: ContentFormat, required: true, description: 'What kind of content it is.' }),
    status: t.field({
      type: ContentStatus,
      defaultValue: 'IDEA',
      description: 'Its starting status (default IDEA). SCHEDULED needs a publishAt. Later changes go through setContentStatus.',
    }),
    locale: t.field({ type: 'Locale', required: true, description: 'Its language, e.g. nl-NL.' }),
    url: t.string({ description: 'Where it can be read or watched: an absolute http or https URL.' }),
    externalId: t.string({ description: 'Its id in the CMS; unique in the workspace.' }),
    publishAt: t.field({ type: 'DateTime', description: 'When it goes live.' }),
    expiresAt: t.field({ type: 'DateTime', description: 'When it stops being live; must be after publishAt.' }),
    reviewAt: t.field({ type: 'DateTime', description: 'When it should be checked for freshness.' }),
    priority: t.int({ defaultValue: 50, description: '0..100, default 50; higher is recommended first.' }),
    needType: t.field({ type: NeedType, description: 'Whether it answers a functional or an emotional need.' }),
    phases: t.field({ type: [PhaseRefInput], required: true, description: 'The phases it serves; at least one.' }),
    channels: t.stringList({ required: true, description: 'Keys of the channels it is for; at least one.' }),
    segments: t.stringList({ description: 'Keys of the segments it targets; omit or leave empty for generic content. Each must follow a journey containing one of its phases.' }),
    touchpoints: t.idList({ description: 'Global IDs of the touchpoints it serves.' }),
  }),
});

const UpdateContentPieceInput = builder.inputType('UpdateContentPieceInput', {
  description: 'Changes to a content piece; omitted fields stay as they are, and a given targeting list replaces the old one. The status changes only through setContentStatus.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The piece\'s global ID.' }),
    title: t.string({ description: 'New title.' }),
    summary: t.string({ description: 'New summary; null clears it.' }),
    format: t.field({ type: ContentFormat, description: 'New format.' }),
    locale: t.field({ type: 'Locale', description: 'New locale.' }),
    url: t.string({ description: 'New URL (absolute, http or https); null clears it.' }),
    externalId: t.string({ description: 'New CMS id; null clears it.' }),
    publishAt: t.field({ type: 'DateTime', description: 'New publishAt; null clears it (not allowed while SCHEDULED).' }),
    expiresAt: t.field({ type: 'DateTime', description: 'New expiresAt; null clears it.' }),
    reviewAt: t.field({ type: 'DateTime', description: 'New reviewAt; null clears it.' }),
    priority: t.int({ description: 'New priority, 0..100.' }),
    needType: t.field({ type: NeedType, description: 'New need type; null clears it.' }),
    phases: t.field({ type: [PhaseRefInput], description: 'Replaces its phases; at least one.' }),
    channels: t.stringList({ description: 'Replaces its channels (keys); at least one.' }),
    segments: t.stringList({ description: 'Replaces its segments (keys); empty makes it generic.' }),
    touchpoints: t.idList({ description: 'Replaces its touchpoints (global IDs).' }),
  }),
});

const SetContentStatusInput = builder.inputType('SetContentStatusInput', {
  description: `A move in the content workflow. ${TRANSITIONS_DESCRIPTION}`,
  fields: (t) => ({
    id: t.id({ required: true, description: 'The piece\'s global ID.' }),
    status: t.field({ type: ContentStatus, required: true, description: 'The status to move to.' }),
  }),
});

const DeleteContentPieceInput = builder.inputType('DeleteContentPieceInput', {
  description: 'The content piece to delete.',
  fields: (t) => ({ id: t.id({ required: true, description: 'The piece\'s global ID.' }) }),
});

interface ContentPiecePayloadShape extends Payload {
  pieceId?: string | null;
}

const ContentPiecePayload = builder.objectRef<ContentPiecePayloadShape>('ContentPiecePayload').implement({
  description: 'The result of a content piece mutation.',
  fields: (t) => ({
    contentPiece: t.prismaField({
      type: 'ContentPiece',
      nullable: true,
      description: 'The piece as saved; null when refused.',
      // Read after the transaction, with the nested selection planned into one query.
      resolve: (query, p, _args, ctx) => (p.pieceId ? ctx.prisma.contentPiece.findUnique({ ...query, where: { id: p.pieceId } }) : null),
    }),
    userErrors: t.field({ type: [UserError], description: 'Why the input was refused; empty on success.', resolve: (p) => p.userErrors }),
  }),
});

const updateFieldsSchema = pieceFieldsSchema.omit({ status: true }).partial();

builder.mutationFields((t) => ({
  createContentPiece: t.field({
    type: ContentPiecePayload,
    description: 'Adds a content piece with its targeting. EDITOR.',
    authScopes: { editor: true },
    args: { input: t.arg({ type: CreateContentPieceInput, required: true, description: 'The new piece.' }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const errors: UserErrorShape[] = [];
        const data = collect(pieceFieldsSchema, input, ['input'], errors);
        checkWindow(input.publishAt, input.expiresAt, ['input'], errors);
        checkScheduled(input.status ?? 'IDEA', input.publishAt, ['input'], errors);
        const targeting = resolveTargeting(await loadTargetingIndex(tx, ctx, [input]), input, ['input'], errors);
        if (data?.externalId) await checkExternalIdFree(tx, ctx, data.externalId, errors);
        failIfAny(errors);
        return { pieceId: await insertPiece(tx, workspaceId(ctx), { ...scalarData(data!), status: data!.status as StatusValue }, targeting) };
      }, ['input']),
  }),
  updateContentPiece: t.field({
    type: ContentPiecePayload,
    description: 'Changes a content piece; a given targeting list replaces the old one. Does not change the status: use setContentStatus. EDITOR.',
    authScopes: { editor: true },
    args: { input: t.arg({ type: UpdateContentPieceInput, required: true, description: 'The changes.' }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const existing = await ownedPiece(tx, ctx, input.id);
        const errors: UserErrorShape[] = [];
        const { id: _id, ...fields } = input;
        const data = collect(updateFieldsSchema, fields, ['input'], errors);
        const publishAt = input.publishAt === undefined ? existing.publishAt : input.publishAt;
        const expiresAt = input.expiresAt === undefined ? existing.expiresAt : input.expiresAt;
        checkWindow(publishAt, expiresAt, ['input'], errors);
        checkScheduled(existing.status, publishAt, ['input'], errors);
        const stored = { phases: existing.phases.map((l) => l.phase), segments: existing.segments.map((l) => l.segment) };
        const targeting = resolveTargeting(await loadTargetingIndex(tx, ctx, [input]), input, ['input'], errors, stored);
        if (data?.externalId && data.externalId !== existing.externalId) await checkExternalIdFree(tx, ctx, data.externalId, errors);
        failIfAny(errors);
        await savePiece(tx, workspaceId(ctx), existing, scalarData(data!), targeting);
        return { pieceId: existing.id };
      }, ['input']),
  }),
  setContentStatus: t.field({
    type: ContentPiecePayload,
    description: `Moves a piece in the content workflow, refusing INVALID_TRANSITION otherwise. ${TRANSITIONS_DESCRIPTION} Publishing a piece without a publishAt sets it to now, so the calendar knows when it went out. EDITOR.`,
    authScopes: { editor: true },
    args: { input: t.arg({ type: SetContentStatusInput, required: true, description: 'The piece and its new status.' }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const existing = await ownedPiece(tx, ctx, input.id);
        const from = existing.status;
        const to = input.status;
        if (!canTransition(from, to)) refuse(['input', 'status'], 'INVALID_TRANSITION', `A piece cannot move from ${from} to ${to}. ${TRANSITIONS_DESCRIPTION}`);
        if (to === 'SCHEDULED' && !existing.publishAt) {
          refuse(['input', 'status'], 'INVALID_TRANSITION', `A piece cannot move from ${from} to SCHEDULED without a publishAt; set one with updateContentPiece first.`);
        }
        await moveStatus(tx, workspaceId(ctx), existing, to);
        return { pieceId: existing.id };
      }),
  }),
  deleteContentPiece: t.field({
    type: DeletePayload,
    description: 'Deletes a content piece and its targeting. EDITOR.',
    authScopes: { editor: true },
    args: { input: t.arg({ type: DeleteContentPieceInput, required: true, description: 'The piece to delete.' }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const existing = await ownedPiece(tx, ctx, input.id);
        await deletePieces(tx, workspaceId(ctx), [existing]);
        return { deletedId: input.id };
      }),
  }),
}));

/** Creates a piece with its targeting, its read models and its content event: what every way of making a piece ends with. */
export async function insertPiece(tx: Tx, workspaceId: string, data: ReturnType<typeof scalarData> & { status: StatusValue }, targeting: Targeting): Promise<string> {
  const piece = await tx.contentPiece.create({ data: { ...data, workspaceId, ...linksCreate(targeting) }, select: { id: true } });
  await syncTargets(tx, [piece.id]);
  await recordContentChanges(tx, workspaceId, [{ id: piece.id, externalId: data.externalId ?? null, source: null, before: null, after: data.status, edited: true }]);
  return piece.id;
}

/** Saves checked changes to a piece's fields (and given targeting lists), its read models and its content event. */
export async function savePiece(tx: Tx, workspaceId: string, existing: PieceRef, data: Partial<ReturnType<typeof scalarData>>, targeting: Targeting = {}): Promise<void> {
  const saved = await tx.contentPiece.update({ where: { id: existing.id }, data: { ...data, ...linksReplace(targeting) }, select: { externalId: true } });
  await syncTargets(tx, [existing.id]);
  await recordContentChanges(tx, workspaceId, [{ ...changeOf(existing, existing.status), externalId: saved.externalId, edited: true }]);
}

/** Moves a piece to an allowed status (checked by the caller): publishing without a publishAt stamps now. Setting the current status changes nothing. */
export async function moveStatus(tx: Tx, workspaceId: string, existing: PieceRef & { publishAt: Date | null; expiresAt: Date | null }, to: StatusValue): Promise<void> {
  if (existing.status === to) return;
  const now = new Date();
  const stampPublishAt = to === 'PUBLISHED' && !existing.publishAt && (!existing.expiresAt || existing.expiresAt > now);
  await tx.contentPiece.update({ where: { id: existing.id }, data: { status: to, ...(stampPublishAt ? { publishAt: now } : {}) } });
  await syncTargets(tx, [existing.id]);
  await recordContentChanges(tx, workspaceId, [changeOf(existing, to)]);
}

/** A stored piece as the content events name it. */
export interface PieceRef {
  id: string;
  externalId: string | null;
  source: string | null;
  status: StatusValue;
}

/** A change of a stored piece that leaves it `after` (its fields unchanged unless the caller says so). */
export function changeOf(piece: PieceRef, after: StatusValue | null): PieceChange {
  return { id: piece.id, externalId: piece.externalId, source: piece.source, before: piece.status, after, edited: false };
}

/** Deletes pieces with their targeting (links cascade) and interaction totals (their cells' sums lose them); their cells are counted again without them; content.deleted goes out. */
export async function deletePieces(tx: Tx, workspaceId: string, pieces: PieceRef[]) {
  const pieceIds = pieces.map((p) => p.id);
  await syncTargets(tx, pieceIds, { removing: true });
  for (const ids of chunksOf(pieceIds)) {
    await takeOffCells(tx, ids);
    await tx.contentPiece.deleteMany({ where: { id: { in: ids } } });
  }
  await recordContentChanges(tx, workspaceId, pieces.map((p) => changeOf(p, null)));
}

/** The piece's own columns from validated fields; undefined leaves a column unchanged. */
export function scalarData(data: Partial<PieceFields>) {
  return {
    title: data.title,
    summary: data.summary,
    format: data.format as Prisma.ContentPieceCreateInput['format'],
    locale: data.locale,
    url: data.url,
    externalId: data.externalId,
    publishAt: data.publishAt,
    expiresAt: data.expiresAt,
    reviewAt: data.reviewAt,
    priority: data.priority,
    needType: data.needType as Prisma.ContentPieceCreateInput['needType'],
  } as Omit<Prisma.ContentPieceUncheckedCreateInput, 'workspaceId'>;
}

function linksCreate(targeting: Targeting) {
  return {
    phases: { create: (targeting.phaseIds ?? []).map((phaseId) => ({ phaseId })) },
    channels: { create: (targeting.channelIds ?? []).map((channelId) => ({ channelId })) },
    segments: { create: (targeting.segmentIds ?? []).map((segmentId) => ({ segmentId })) },
    touchpoints: { create: (targeting.touchpointIds ?? []).map((touchpointId) => ({ touchpointId })) },
  };
}

/** Nested writes that replace each given list and leave the others alone. */
function linksReplace(targeting: Targeting) {
  const replace = <K extends string>(ids: string[] | undefined, column: K) =>
    ids ? { deleteMany: {}, create: ids.map((id) => ({ [column]: id }) as Record<K, string>) } : undefined;
  return {
    phases: replace(targeting.phaseIds, 'phaseId'),
    channels: replace(targeting.channelIds, 'channelId'),
    segments: replace(targeting.segmentIds, 'segmentId'),
    touchpoints: replace(targeting.touchpointIds, 'touchpointId'),
  };
}

/** A piece of the caller's workspace with the targeting the segment rule needs, or NOT_FOUND on input.id. */
async function ownedPiece(tx: Tx, ctx: Context, globalId: string) {
  const id = idOf(globalId, 'ContentPiece', ['input', 'id']);
  const piece = await tx.contentPiece.findFirst({
    where: { id, workspaceId: workspaceId(ctx) },
    include: {
      phases: { select: { phase: { select: { id: true, journeyId: true } } } },
      segments: { select: { segment: { select: { id: true, key: true, journeyId: true } } } },
    },
  });
  return piece ?? refuse(['input', 'id'], 'NOT_FOUND', `No ContentPiece with id "${globalId}" in this workspace.`);
}

async function checkExternalIdFree(tx: Tx, ctx: Context, externalId: string, errors: UserErrorShape[]) {
  const taken = await tx.contentPiece.findUnique({ where: { workspaceId_externalId: { workspaceId: workspaceId(ctx), externalId } }, select: { id: true } });
  if (taken) errors.push({ field: ['input', 'externalId'], code: 'CONFLICT', message: `A content piece with externalId "${externalId}" already exists.` });
}
