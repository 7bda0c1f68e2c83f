import { builder } from '../builder.js';
import { workspaceId, type Context } from '../context.js';
import type { Tx } from './mutation.js';
import { refuse } from './user-errors.js';
import { checkRef } from './validation.js';

/**
 * References by stable key, as integrators and imports use them. Each lookup
 * stays inside the caller's workspace and refuses NOT_FOUND on `field`; a
 * reference that could never be a key (too long, control characters) is
 * INVALID without a lookup.
 */
export interface PhaseRef {
  journey: string;
  phase: string;
}

export const PhaseRefInput = builder.inputType('PhaseRefInput', {
  description: 'A phase by key: phase keys are unique within their journey model.',
  fields: (t) => ({
    journey: t.string({ required: true, description: 'The journey model\'s key.' }),
    phase: t.string({ required: true, description: 'The phase\'s key within that journey.' }),
  }),
});

export async function journeyByKey(tx: Tx, ctx: Context, key: string, field: string[]) {
  checkRef(key, field);
  const journey = await tx.journeyModel.findUnique({ where: { workspaceId_key: { workspaceId: workspaceId(ctx), key } } });
  return journey ?? refuse(field, 'NOT_FOUND', `No journey model with key "${key}" in this workspace.`);
}

export async function phaseByRef(tx: Tx, ctx: Context, ref: PhaseRef, field: string[]) {
  checkRef(ref.journey, [...field, 'journey']);
  checkRef(ref.phase, [...field, 'phase']);
  const phase = await tx.phase.findFirst({ where: { workspaceId: workspaceId(ctx), key: ref.phase, journey: { key: ref.journey } } });
  return phase ?? refuse(field, 'NOT_FOUND', `No phase "${ref.phase}" in journey "${ref.journey}" in this workspace.`);
}

export async function segmentByKey(tx: Tx, ctx: Context, key: string, field: string[]) {
  checkRef(key, field);
  const segment = await tx.segment.findUnique({ where: { workspaceId_key: { workspaceId: workspaceId(ctx), key } } });
  return segment ?? refuse(field, 'NOT_FOUND', `No segment with key "${key}" in this workspace.`);
}

export async function channelByKey(tx: Tx, ctx: Context, key: string, field: string[]) {
  checkRef(key, field);
  const channel = await tx.channel.findUnique({ where: { workspaceId_key: { workspaceId: workspaceId(ctx), key } } });
  return channel ?? refuse(field, 'NOT_FOUND', `No channel with key "${key}" in this workspace.`);
}
