import { builder } from '../builder.js';
import { workspaceId, type Context } from '../context.js';
import type { ContentPiece as PieceRow } from '../generated/sqlite/client.js';
import type { ContentStatus as StatusValue } from '../generated/sqlite/enums.js';
import { NeedType } from '../shared/enums.js';
import { runMutation, type Payload, type Tx } from '../shared/mutation.js';
import { PhaseRefInput } from '../shared/refs.js';
import { refuse, UserError, type UserErrorShape } from '../shared/user-errors.js';
import { ContentFormat, ContentStatus } from './enums.js';
import { scalarData } from './mutations.js';
import { loadTargetingIndex, resolveTargeting, type Targeting } from './targeting.js';
import { checkWindow, collect, failIfAny, pieceFieldsSchema, type PieceFields } from './validation.js';
import { syncTargets } from './targets.js';
import { recordContentChanges } from '../webhooks/content-events.js';
import { markSeen, openSync } from './sync-state.js';

/**
 * CMS sync: a CMS pushes its pieces by its own ids (externalId), many at a
 * time. All or nothing: every row is checked first and every bad row is
 * reported; only then is anything written, in one transaction. Keys and
 * existing pieces are looked up once for the whole batch, not per row.
 */
export const MAX_IMPORT_ROWS = 1000;
const READ_CHUNK = 250;

export const ImportMode = builder.enumType('ImportMode', {
  description: 'How importContent treats the pieces it is given.',
  values: {
    UPSERT: {
      description: 'Creates the pieces whose externalId is new in the workspace and replaces the stored state of the ones that exist; pieces not in the call are left alone.',
    },
  } as const,
});

const ImportContentPieceInput = builder.inputType('ImportContentPieceInput', {
  description: 'One piece as the CMS holds it. The row is the piece\'s whole state: omitted optional fields are stored empty, its targeting replaces the stored one, and its status is taken as given (the CMS is the source of truth; no workflow rules apply).',
  fields: (t) => ({
    externalId: t.string({ required: true, description: 'Its id in the CMS; matches the stored piece within the workspace.' }),
    title: t.string({ required: true, description: 'Title.' }),
    summary: t.string({ description: 'A short summary.' }),
    format: t.field({ type: ContentFormat, required: true, description: 'What kind of content it is.' }),
    status: t.field({ type: ContentStatus, required: true, description: 'Its status in the CMS.' }),
    locale: t.field({ type: 'Locale', required: true, description: 'Its language, e.g. nl-NL.' }),
    url: t.string({ description: 'Where it can be read or watched: an absolute http or https URL.' }),
    publishAt: t.field({ type: 'DateTime', description: 'When it goes live.' }),
    expiresAt: t.field({ type: 'DateTime', description: 'When it stops being live; must be after publishAt.' }),
    reviewAt: t.field({ type: 'DateTime', description: 'When it should be checked for freshness.' }),
    priority: t.int({ defaultValue: 50, description: '0..100, default 50.' }),
    needType: t.field({ type: NeedType, description: 'Whether it answers a functional or an emotional need.' }),
    phases: t.field({ type: [PhaseRefInput], required: true, description: 'The phases it serves; at least one.' }),
    channels: t.stringList({ required: true, description: 'Keys of the channels it is for; at least one.' }),
    segments: t.stringList({ description: 'Keys of the segments it targets; omit or leave empty for generic content.' }),
    touchpoints: t.idList({ description: 'Global IDs of the touchpoints it serves.' }),
  }),
});

const ImportContentInput = builder.inputType('ImportContentInput', {
  description: `Pieces to sync from a CMS, at most ${MAX_IMPORT_ROWS} per call.`,
  fields: (t) => ({
    pieces: t.field({ type: [ImportContentPieceInput], required: true, description: `The pieces, at most ${MAX_IMPORT_ROWS}; externalIds must be distinct.` }),
    mode: t.field({ type: ImportMode, defaultValue: 'UPSERT', description: 'How to treat them; UPSERT is the only mode so far.' }),
    sync: t.id({ description: 'The global ID of an open sync (startContentSync): the pieces are marked seen by it and take its source. Omit to import outside any sync (sources stay as stored).' }),
  }),
});

interface ImportPayloadShape extends Payload {
  created?: number;
  updated?: number;
  unchanged?: number;
  pieceIds?: string[];
}

const ImportContentPayload = builder.objectRef<ImportPayloadShape>('ImportContentPayload').implement({
  description: 'The result of importContent. When refused, nothing was written and the counts are 0.',
  fields: (t) => ({
    created: t.int({ description: 'Pieces created.', resolve: (p) => p.created ?? 0 }),
    updated: t.int({ description: 'Pieces whose stored state changed.', resolve: (p) => p.updated ?? 0 }),
    unchanged: t.int({ description: 'Pieces already stored exactly as given; not written, updatedAt untouched.', resolve: (p) => p.unchanged ?? 0 }),
    pieces: t.prismaField({
      type: ['ContentPiece'],
      description: 'Every imported piece as saved, in input order; empty when refused.',
      resolve: async (query, p, _args, ctx) => {
        const ids = p.pieceIds ?? [];
        if (ids.length === 0) return [];
        // In chunks: with nested selections, one list of 1,000 ids exceeds SQLite's bound-parameter limit.
        const chunks = Array.from({ length: Math.ceil(ids.length / READ_CHUNK) }, (_, i) => ids.slice(i * READ_CHUNK, (i + 1) * READ_CHUNK));
        const rows = [];
        for (const chunk of chunks) rows.push(...(await ctx.prisma.contentPiece.findMany({ ...query, where: { id: { in: chunk }, workspaceId: workspaceId(ctx) } })));
        const byId = new Map(rows.map((row) => [row.id, row]));
        return ids.map((id) => byId.get(id)).filter((row): row is NonNullable<typeof row> => row !== undefined);
      },
    }),
    userErrors: t.field({
      type: [UserError],
      description: 'Every problem with every row (field paths start with ["input", "pieces", "<index>"]); empty on success.',
      resolve: (p) => p.userErrors,
    }),
  }),
});

const importRowSchema = pieceFieldsSchema.required({ externalId: true });

builder.mutationFields((t) => ({
  importContent: t.field({
    type: ImportContentPayload,
    description: `Creates or updates up to ${MAX_IMPORT_ROWS} pieces by their CMS ids (externalId), all or nothing: with any bad row nothing is written and every bad row is reported. Targeting is by keys. Rows equal to what is stored are left untouched. EDITOR.`,
    authScopes: { editor: true },
    args: { input: t.arg({ type: ImportContentInput, required: true, description: 'The pieces.' }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(
        ctx,
        async (tx) => {
          if (input.pieces.length > MAX_IMPORT_ROWS) {
            refuse(['input', 'pieces'], 'TOO_MANY', `At most ${MAX_IMPORT_ROWS} pieces per call; got ${input.pieces.length}. Split the import.`);
          }
          await serialiseImports(tx, ctx);
          const sync = input.sync ? await openSync(tx, ctx, input.sync, ['input', 'sync']) : null;
          const rows = await validateRows(tx, ctx, input.pieces);
          const written = await writeRows(tx, workspaceId(ctx), rows, sync?.source);
          if (sync) await markSeen(tx, sync.id, written.pieceIds);
          return written;
        },
        ['input', 'pieces'],
      ),
  }),
}));

/**
 * Concurrent imports of one workspace (and sync starts and completions) take turns on PostgreSQL: two calls
 * both creating a new externalId would otherwise both see it missing and
 * collide on the unique index. The transaction-scoped advisory lock is
 * released at commit or rollback. SQLite runs one writer at a time already.
 */
export async function serialiseImports(tx: Tx, ctx: Context) {
  if (ctx.provider !== 'postgresql') return;
  await tx.$queryRaw`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(1, hashtext(${workspaceId(ctx)}))) AS l`;
}

type RowInput = Parameters<typeof resolveTargeting>[1] & { externalId: string; publishAt?: Date | null; expiresAt?: Date | null };

interface ValidRow {
  data: ReturnType<typeof wholeState>;
  externalId: string;
  status: StatusValue;
  targeting: Required<Targeting>;
}

/** Checks every row, collecting every error; throws them all at once, or answers the valid rows. */
async function validateRows(tx: Tx, ctx: Context, pieces: RowInput[]): Promise<ValidRow[]> {
  const errors: UserErrorShape[] = [];
  const index = await loadTargetingIndex(tx, ctx, pieces);
  const seen = new Map<string, number>();
  const rows = pieces.map((row, i) => {
    const path = ['input', 'pieces', String(i)];
    const before = errors.length;
    const data = collect(importRowSchema, row, path, errors);
    checkWindow(row.publishAt, row.expiresAt, path, errors);
    const externalId = data?.externalId ?? row.externalId;
    const first = seen.get(externalId);
    if (first === undefined) seen.set(externalId, i);
    else errors.push({ field: [...path, 'externalId'], code: 'INVALID', message: `externalId "${externalId}" already appears in row ${first}; each piece may appear once per call.` });
    const targeting = resolveTargeting(index, { ...row, segments: row.segments ?? [], touchpoints: row.touchpoints ?? [] }, path, errors);
    if (errors.length > before || !data) return null;
    return { data: wholeState(data), externalId, status: data.status as StatusValue, targeting: targeting as Required<Targeting> };
  });
  failIfAny(errors);
  return rows as ValidRow[];
}

/** A row is the piece's whole state: what it leaves out is stored empty, not kept. */
function wholeState(data: PieceFields) {
  const columns = scalarData(data);
  return {
    ...columns,
    summary: columns.summary ?? null,
    url: columns.url ?? null,
    publishAt: columns.publishAt ?? null,
    expiresAt: columns.expiresAt ?? null,
    reviewAt: columns.reviewAt ?? null,
    needType: columns.needType ?? null,
  };
}

type StoredPiece = PieceRow & {
  phases: { phaseId: string }[];
  channels: { channelId: string }[];
  segments: { segmentId: string }[];
  touchpoints: { touchpointId: string }[];
};

/**
 * Creates the new pieces in bulk, updates the changed ones, skips the equal
 * ones. With a `source` (a sync's) every piece gets it; without, sources stay.
 */
async function writeRows(tx: Tx, ws: string, rows: ValidRow[], source?: string) {
  const stored = await tx.contentPiece.findMany({
    where: { workspaceId: ws, externalId: { in: rows.map((r) => r.externalId) } },
    include: { phases: { select: { phaseId: true } }, channels: { select: { channelId: true } }, segments: { select: { segmentId: true } }, touchpoints: { select: { touchpointId: true } } },
  });
  const byExternalId = new Map(stored.map((piece) => [piece.externalId!, piece as StoredPiece]));
  const toCreate = rows.filter((row) => !byExternalId.has(row.externalId));
  const toUpdate = rows.filter((row) => {
    const piece = byExternalId.get(row.externalId);
    return piece !== undefined && !(sameAsStored(row, piece) && (source === undefined || source === piece.source));
  });

  const createdIds = new Map<string, string>();
  if (toCreate.length > 0) {
    const created = await tx.contentPiece.createManyAndReturn({
      data: toCreate.map((row) => ({ ...row.data, status: row.status, workspaceId: ws, source })),
      select: { id: true, externalId: true },
    });
    for (const piece of created) createdIds.set(piece.externalId!, piece.id);
  }
  for (const row of toUpdate) {
    await tx.contentPiece.update({ where: { id: byExternalId.get(row.externalId)!.id }, data: { ...row.data, status: row.status, source } });
  }
  const idOf = (row: ValidRow) => createdIds.get(row.externalId) ?? byExternalId.get(row.externalId)!.id;
  await replaceLinks(tx, [...toCreate, ...toUpdate].map((row) => ({ id: idOf(row), targeting: row.targeting })), toUpdate.map(idOf));
  await syncTargets(tx, [...toCreate, ...toUpdate].map(idOf));
  await recordContentChanges(tx, ws, [
    ...toCreate.map((row) => ({ id: idOf(row), externalId: row.externalId, source: source ?? null, before: null, after: row.status, edited: true })),
    ...toUpdate.map((row) => {
      const piece = byExternalId.get(row.externalId)!;
      // Edited: anything but the status changed (fields, targeting, or the source a sync gives it).
      const edited = !sameAsStored({ ...row, status: piece.status }, piece) || (source !== undefined && source !== piece.source);
      return { id: piece.id, externalId: row.externalId, source: source ?? piece.source, before: piece.status, after: row.status, edited };
    }),
  ]);

  return {
    created: toCreate.length,
    updated: toUpdate.length,
    unchanged: rows.length - toCreate.length - toUpdate.length,
    pieceIds: rows.map(idOf),
  };
}

/** One deleteMany (for updated pieces) and one createMany per kind of link, whatever the number of rows. */
async function replaceLinks(tx: Tx, pieces: { id: string; targeting: Required<Targeting> }[], updatedIds: string[]) {
  if (updatedIds.length > 0) {
    const where = { pieceId: { in: updatedIds } };
    await tx.contentPhase.deleteMany({ where });
    await tx.contentChannel.deleteMany({ where });
    await tx.contentSegment.deleteMany({ where });
    await tx.contentTouchpoint.deleteMany({ where });
  }
  const links = <K extends string>(pick: (t: Required<Targeting>) => string[], column: K) =>
    pieces.flatMap((p) => pick(p.targeting).map((id) => ({ pieceId: p.id, [column]: id }) as { pieceId: string } & Record<K, string>));
  const phases = links((t) => t.phaseIds, 'phaseId');
  const channels = links((t) => t.channelIds, 'channelId');
  const segments = links((t) => t.segmentIds, 'segmentId');
  const touchpoints = links((t) => t.touchpointIds, 'touchpointId');
  if (phases.length > 0) await tx.contentPhase.createMany({ data: phases });
  if (channels.length > 0) await tx.contentChannel.createMany({ data: channels });
  if (segments.length > 0) await tx.contentSegment.createMany({ data: segments });
  if (touchpoints.length > 0) await tx.contentTouchpoint.createMany({ data: touchpoints });
}

/** Whether a row says exactly what is stored: then it is not written at all. */
function sameAsStored(row: ValidRow, piece: StoredPiece): boolean {
  const d = row.data;
  const sameTime = (a: Date | string | null | undefined, b: Date | null) => (a ? new Date(a).getTime() : null) === (b ? b.getTime() : null);
  return (
    d.title === piece.title &&
    (d.summary ?? null) === piece.summary &&
    d.format === piece.format &&
    row.status === piece.status &&
    d.locale === piece.locale &&
    (d.url ?? null) === piece.url &&
    sameTime(d.publishAt, piece.publishAt) &&
    sameTime(d.expiresAt, piece.expiresAt) &&
    sameTime(d.reviewAt, piece.reviewAt) &&
    d.priority === piece.priority &&
    (d.needType ?? null) === piece.needType &&
    sameSet(row.targeting.phaseIds, piece.phases.map((l) => l.phaseId)) &&
    sameSet(row.targeting.channelIds, piece.channels.map((l) => l.channelId)) &&
    sameSet(row.targeting.segmentIds, piece.segments.map((l) => l.segmentId)) &&
    sameSet(row.targeting.touchpointIds, piece.touchpoints.map((l) => l.touchpointId))
  );
}

function sameSet(a: string[], b: string[]): boolean {
  const set = new Set(b);
  return a.length === set.size && a.every((id) => set.has(id));
}
