import { z } from 'zod';
import { builder } from '../builder.js';
import { workspaceId } from '../context.js';
import { nodeScope } from '../nodes/node-lookup.js';
import type { Workspace as WorkspaceRow } from '../generated/sqlite/client.js';
import { runMutation, type Payload } from '../shared/mutation.js';
import { UserError } from '../shared/user-errors.js';
import { nameSchema, parseInput } from '../shared/validation.js';

export const Role = builder.enumType('Role', {
  description: 'What an API key may do. Each role includes the rights of the ones below it.',
  values: {
    DELIVERY: { description: 'Reads what is live now: content pieces, recommendations, and the journeys, segments and channels they refer to: for websites and CMS plug-ins. Refused the matrix, gaps, calendar, touchpoints, coverage rules and anything not yet or no longer live.' },
    EDITOR: { description: 'Reads everything and writes content pieces, touchpoints and coverage rules: for the content team and CMS syncs.' },
    ADMIN: { description: 'Everything, including journey models, segments, channels, workspace settings and API keys.' },
  } as const,
});

export const Workspace = builder.prismaNode('Workspace', {
  description: 'One brand or organisation. Everything else belongs to exactly one workspace; a key sees only its own.',
  id: { field: 'id' },
  // A key reads only its own workspace: any other id is simply not found.
  findUnique: nodeScope('Workspace', (ctx) => ({ id: workspaceId(ctx) })),
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Display name.' }),
    freshnessDays: t.exposeInt('freshnessDays', {
      description: 'Days after publication (or last change) after which a live piece without reviewAt counts as stale in the content matrix.',
    }),
    expiryLookaheadDays: t.exposeInt('expiryLookaheadDays', {
      description: 'Days ahead in which live pieces that expire without a replacement are flagged as EXPIRING.',
    }),
    silenceDays: t.exposeInt('silenceDays', {
      description: 'Days without any content in a segment\'s STAY phases after which the calendar reports SILENCE.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the workspace was created.' }),
  }),
});

// Mutation (ADMIN): the workspace's own settings.

const UpdateWorkspaceInput = builder.inputType('UpdateWorkspaceInput', {
  description: 'Changes to the caller\'s workspace; omitted fields stay as they are.',
  fields: (t) => ({
    name: t.string({ description: 'New display name.' }),
    freshnessDays: t.int({ description: 'New freshness window in days, 1 to 3650.' }),
    expiryLookaheadDays: t.int({ description: 'New expiry look-ahead in days, 0 to 365.' }),
    silenceDays: t.int({ description: 'New silence window in days, 1 to 365.' }),
  }),
});

interface WorkspacePayloadShape extends Payload {
  workspace?: WorkspaceRow | null;
}

const WorkspacePayload = builder.objectRef<WorkspacePayloadShape>('WorkspacePayload').implement({
  description: 'The result of a workspace mutation.',
  fields: (t) => ({
    workspace: t.field({ type: Workspace, nullable: true, description: 'The workspace as saved; null when refused.', resolve: (p) => p.workspace ?? null }),
    userErrors: t.field({ type: [UserError], description: 'Why the input was refused; empty on success.', resolve: (p) => p.userErrors }),
  }),
});

function days(min: number, max: number) {
  return z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`).optional();
}

// Every column is required, so an explicit null is refused rather than ignored.
const workspaceChanges = z.object({
  name: nameSchema.optional(),
  freshnessDays: days(1, 3650),
  expiryLookaheadDays: days(0, 365),
  silenceDays: days(1, 365),
});

builder.mutationFields((t) => ({
  updateWorkspace: t.field({
    type: WorkspacePayload,
    description: 'Changes the caller\'s workspace: its name and the windows the matrix and calendar use. ADMIN.',
    authScopes: { admin: true },
    args: { input: t.arg({ type: UpdateWorkspaceInput, required: true, description: 'The changes.' }) },
    resolve: (_root, { input }, ctx) =>
      runMutation(ctx, async (tx) => {
        const data = parseInput(workspaceChanges, input);
        const workspace = await tx.workspace.update({ where: { id: workspaceId(ctx) }, data });
        return { workspace };
      }),
  }),
}));

