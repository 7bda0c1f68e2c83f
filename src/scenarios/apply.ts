import { builder } from '../builder.js';
import { workspaceId } from '../context.js';
import { insertPiece, moveStatus, savePiece } from '../content/mutations.js';
import { checkScheduled, checkWindow, failIfAny } from '../content/validation.js';
import { runMutation, type Payload } from '../shared/mutation.js';
import { UserError, type UserErrorShape } from '../shared/user-errors.js';
import { ownedScenario } from './scenario.js';

/**
 * applyScenario: makes a scenario real in one transaction, through the
 * content write code (so the read models, the content events and the
 * workspace's version move as for any write): its planned pieces become
 * IDEA or DRAFT pieces, archived pieces are archived and moved pieces get
 * their new window. Then the scenario, spent, is deleted. Any refusal (a
 * move that no longer fits its piece, a planned piece whose phases or
 * channels were deleted since) rolls everything back.
 */
const ApplyScenarioInput = builder.inputType('ApplyScenarioInput', {
  description: 'The scenario to make real.',
  fields: (t) => ({ id: t.id({ required: true, description: 'The scenario\'s global ID.' }) }),
});

interface ApplyPayloadShape extends Payload {
  createdIds?: string[];
  changedIds?: string[];
  deletedId?: string;
}

const ApplyScenarioPayload = builder.objectRef<ApplyPayloadShape>('ApplyScenarioPayload').implement({
  description: 'The result of applyScenario.',
  fields: (t) => ({
    createdContentPieces: t.prismaField({
      type: ['ContentPiece'],
      description: 'The pieces made from the planned ones, in the order they were planned; empty when refused.',
      resolve: async (query, p, _args, ctx) => {
        const rows = p.createdIds?.length ? await ctx.prisma.contentPiece.findMany({ ...query, where: { id: { in: p.createdIds } } }) : [];
        return (p.createdIds ?? []).map((id) => rows.find((r) => r.id === id)).filter((r) => r !== undefined);
      },
    }),
    changedContentPieces: t.prismaField({
      type: ['ContentPiece'],
      description: 'The existing pieces archived or moved; empty when refused.',
      resolve: (query, p, _args, ctx) => (p.changedIds?.length ? ctx.prisma.contentPiece.findMany({ ...query, where: { id: { in: p.changedIds } }, orderBy: { id: 'asc' } }) : []),
    }),
    deletedScenarioId: t.id({ nullable: true, description: 'The applied scenario\'s global ID: it is deleted once made real. Null when refused.', resolve: (p) => p.deletedId ?? null }),
    userErrors: t.field({ type: [UserError], description: 'Why nothing was applied; empty on success.', resolve: (p) => p.userErrors }),
  }),
});

builder.mutationField('applyScenario', (t) =>
  t.field({
    type: ApplyScenarioPayload,
    description: 'Makes a scenario real in one transaction: planned pieces become IDEA or DRAFT content pieces, archives and moves are made, webhooks tell of these content writes as of any; then the scenario is deleted. All or nothing. EDITOR.',
    authScopes: { editor: true },
    args: { input: t.arg({ type: ApplyScenarioInput, required: true, description: 'The scenario.' }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const ws = workspaceId(ctx);
        const { id } = await ownedScenario(tx, ctx, input.id, ['input', 'id']);
        const planned = await tx.scenarioPiece.findMany({
          where: { scenarioId: id },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
          include: { phases: true, channels: true, segments: true, touchpoints: true },
        });
        const changes = await tx.scenarioChange.findMany({
          where: { scenarioId: id },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
          include: { piece: { select: { id: true, externalId: true, source: true, status: true, publishAt: true, expiresAt: true } } },
        });
        const errors: UserErrorShape[] = [];
        for (const piece of planned) {
          if (!piece.phases.length || !piece.channels.length) {
            errors.push({ field: ['input', 'id'], code: 'INVALID', message: `Planned piece "${piece.title}" has lost all its ${piece.phases.length ? 'channels' : 'phases'} (deleted since it was planned).` });
          }
        }
        for (const change of changes) {
          if (change.kind !== 'MOVE') continue;
          const moveErrors: UserErrorShape[] = [];
          checkWindow(change.publishAt, change.expiresAt, [], moveErrors);
          checkScheduled(change.piece.status, change.publishAt, [], moveErrors);
          if (moveErrors.length) errors.push({ field: ['input', 'id'], code: 'INVALID', message: `Moving piece ${change.piece.externalId ?? change.piece.id} no longer fits it: ${moveErrors.map((e) => e.message).join('; ')}.` });
        }
        failIfAny(errors);
        const createdIds: string[] = [];
        for (const piece of planned) {
          createdIds.push(
            await insertPiece(
              tx, ws,
              { title: piece.title, summary: piece.summary, format: piece.format, status: piece.status, locale: piece.locale, publishAt: piece.publishAt, expiresAt: piece.expiresAt, reviewAt: piece.reviewAt, priority: piece.priority, needType: piece.needType },
              {
                phaseIds: piece.phases.map((l) => l.phaseId),
                channelIds: piece.channels.map((l) => l.channelId),
                segmentIds: piece.segments.map((l) => l.segmentId),
                touchpointIds: piece.touchpoints.map((l) => l.touchpointId),
              },
            ),
          );
        }
        for (const change of changes) {
          if (change.kind === 'ARCHIVE') await moveStatus(tx, ws, change.piece, 'ARCHIVED');
          else await savePiece(tx, ws, change.piece, { publishAt: change.publishAt, expiresAt: change.expiresAt });
        }
        await tx.scenario.delete({ where: { id } });
        return { createdIds, changedIds: changes.map((c) => c.pieceId), deletedId: input.id };
      }),
  }),
);
