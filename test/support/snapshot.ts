import type { Db } from '../../src/db/client.js';

/**
 * Every row a workspace owns, in a stable order, to compare before and after
 * a call that must write nothing. Keys' lastUsedAt is left out: each request
 * with a key touches it, and that is not a write of the caller's input.
 */
export async function workspaceSnapshot(db: Db, workspaceId: string): Promise<Record<string, unknown[]>> {
  const where = { workspaceId };
  const byId = { orderBy: { id: 'asc' as const } };
  const ofPieces = { piece: { workspaceId } };
  const [workspace, apiKeys, calendarTokens, journeys, phases, segments, channels, touchpoints, pieces, rules] = await Promise.all([
    db.workspace.findMany({ where: { id: workspaceId } }),
    db.apiKey.findMany({ where, ...byId, omit: { lastUsedAt: true } }),
    db.calendarToken.findMany({ where, ...byId }),
    db.journeyModel.findMany({ where, ...byId }),
    db.phase.findMany({ where, ...byId }),
    db.segment.findMany({ where, ...byId }),
    db.channel.findMany({ where, ...byId }),
    db.touchpoint.findMany({ where, ...byId }),
    db.contentPiece.findMany({ where, ...byId }),
    db.coverageRule.findMany({ where, ...byId }),
  ]);
  const [contentPhases, contentChannels, contentSegments, contentTouchpoints, targets, syncs, syncSeen] = await Promise.all([
    db.contentPhase.findMany({ where: ofPieces, orderBy: [{ pieceId: 'asc' }, { phaseId: 'asc' }] }),
    db.contentChannel.findMany({ where: ofPieces, orderBy: [{ pieceId: 'asc' }, { channelId: 'asc' }] }),
    db.contentSegment.findMany({ where: ofPieces, orderBy: [{ pieceId: 'asc' }, { segmentId: 'asc' }] }),
    db.contentTouchpoint.findMany({ where: ofPieces, orderBy: [{ pieceId: 'asc' }, { touchpointId: 'asc' }] }),
    db.contentTarget.findMany({ where, orderBy: [{ pieceId: 'asc' }, { phaseId: 'asc' }, { channelId: 'asc' }, { segmentId: 'asc' }] }),
    db.contentSync.findMany({ where, ...byId }),
    db.contentSyncSeen.findMany({ where: { sync: { workspaceId } }, orderBy: [{ syncId: 'asc' }, { pieceId: 'asc' }] }),
  ]);
  const reportTokens = await db.reportToken.findMany({ where, ...byId });
  // The outbox too: a refused write must not tell anyone anything.
  const [webhookEndpoints, webhookEvents, webhookDeliveries] = await Promise.all([
    db.webhookEndpoint.findMany({ where, ...byId }),
    db.webhookEvent.findMany({ where, ...byId }),
    db.webhookDelivery.findMany({ where: { endpoint: { workspaceId } }, ...byId }),
  ]);
  return {
    reportTokens, webhookEndpoints, webhookEvents, webhookDeliveries,
    workspace, apiKeys, calendarTokens, journeys, phases, segments, channels, touchpoints, pieces, rules,
    contentPhases, contentChannels, contentSegments, contentTouchpoints, targets, syncs, syncSeen,
  };
}
