import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Database } from '../../src/db/client.js';
import { recordWrite } from '../../src/db/versions.js';
import type { TestApp } from './app.js';
import { Fixture } from './fixtures.js';

/**
 * A workspace to record interactions in: journey "shop" (phases attention,
 * action) followed by segment "families", journey "b2b" (phase decide)
 * followed by "mkb"; channels web and mail; touchpoints "landing"
 * (attention × web) and "checkout" (action × web); pieces "guide" and
 * "offer" (externalIds guide-1 and offer-1).
 */
export interface InteractionWorld {
  fixture: Fixture;
  pieces: { guide: string; offer: string };
  touchpoints: { landing: string; checkout: string };
}

export async function interactionWorld(app: TestApp, workspaceId: string): Promise<InteractionWorld> {
  const fixture = new Fixture(app.database.prisma, workspaceId);
  await fixture.journey('b2b', [['decide', 'BECOME']]);
  await fixture.segment('mkb');
  await fixture.journey('shop', [
    ['attention', 'BECOME'],
    ['action', 'BECOME'],
  ]);
  await fixture.segment('families');
  await fixture.channel('web');
  await fixture.channel('mail');
  const landing = await fixture.touchpoint('Landing page', 'shop:attention', 'web');
  const checkout = await fixture.touchpoint('Checkout', 'shop:action', 'web');
  const guide = await fixture.piece({ title: 'Guide', phases: ['shop:attention'], channels: ['web'], externalId: 'guide-1' });
  const offer = await fixture.piece({ title: 'Offer', phases: ['shop:action'], channels: ['web'], externalId: 'offer-1' });
  return {
    fixture,
    pieces: { guide: encodeGlobalID('ContentPiece', guide.id), offer: encodeGlobalID('ContentPiece', offer.id) },
    touchpoints: { landing: encodeGlobalID('Touchpoint', landing.id), checkout: encodeGlobalID('Touchpoint', checkout.id) },
  };
}

let counter = 0;

/** A valid event for the guide at families × attention × web, an hour ago; `overrides` change any field. */
export function event(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    clientEventId: `e-${counter}-${Math.random().toString(36).slice(2)}`,
    type: 'IMPRESSION',
    externalId: 'guide-1',
    segment: 'families',
    phase: 'attention',
    channel: 'web',
    occurredAt: new Date(Date.now() - 3600_000).toISOString(),
    visitorId: 'visitor-1',
    sessionId: 'session-1',
    ...overrides,
  };
}

export const RECORD = /* GraphQL */ `
  mutation ($events: [InteractionEventInput!]!) {
    recordInteractions(input: { events: $events }) { accepted duplicates refused { index field code message } userErrors { field code message } }
  }
`;

/**
 * Stands in for recorded interactions: what recordInteractions leaves in the
 * all-time roll-up (InteractionTotal, and the cell's sum InteractionCell) for a piece in a cell (the segment,
 * phase and channel it was served for), written straight through Prisma,
 * added to what is there. Unlike an accepted batch (which keeps kept
 * answers: engagement reaches them when they are next made), it moves the
 * workspace's version, so the next answer of a test sees it at once. Raw events and daily roll-ups are left out: the
 * readers tested with it (ranking, the matrix, gaps) read the totals only.
 */
export interface RecordedTotals {
  pieceId: string;
  segmentId: string;
  phaseId: string;
  channelId: string;
  impressions?: number;
  views?: number;
  clicks?: number;
  downloads?: number;
  shares?: number;
  conversions?: number;
}

const COUNTS = ['impressions', 'views', 'clicks', 'downloads', 'shares', 'conversions'] as const;

export async function recordTotals(database: Database, workspaceId: string, rows: RecordedTotals[]): Promise<void> {
  await database.prisma.$transaction(async (tx) => {
    for (const row of rows) {
      const counts = Object.fromEntries(COUNTS.map((c) => [c, row[c] ?? 0])) as Record<(typeof COUNTS)[number], number>;
      const key = { pieceId: row.pieceId, segmentId: row.segmentId, phaseId: row.phaseId, channelId: row.channelId };
      const increments = Object.fromEntries(COUNTS.map((c) => [c, { increment: counts[c] }]));
      await tx.interactionTotal.upsert({ where: { pieceId_segmentId_phaseId_channelId: key }, create: { workspaceId, ...key, ...counts }, update: increments });
      // The cell's sum, as the recording code keeps it beside the totals.
      const cell = { workspaceId, segmentId: row.segmentId, phaseId: row.phaseId, channelId: row.channelId };
      await tx.interactionCell.upsert({ where: { workspaceId_segmentId_phaseId_channelId: cell }, create: { ...cell, ...counts }, update: increments });
    }
    await recordWrite(tx, database.provider, workspaceId, database.versions);
  });
  database.versions.moved(workspaceId);
}
