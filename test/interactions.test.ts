import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type WorkspaceKeys } from './support/app.js';
import { event, interactionWorld, RECORD, type InteractionWorld } from './support/interactions.js';

let app: TestApp;
let ws: WorkspaceKeys;
let world: InteractionWorld;

beforeAll(async () => {
  app = await startTestApp();
  ws = await app.workspace();
  world = await interactionWorld(app, ws.workspaceId);
});
afterAll(() => app?.close());

async function record(events: Record<string, unknown>[], key = ws.DELIVERY) {
  const response = await app.gql(key, RECORD, { events });
  expect(response.errors).toBeUndefined();
  return response.data?.recordInteractions;
}

describe('recordInteractions', () => {
  it('stores events and adds them to the daily roll-up and the totals', async () => {
    const at = '2026-12-01T10:00:00.000Z';
    const fresh = await record([event({ occurredAt: new Date().toISOString() }), event({ type: 'CLICK', pieceId: world.pieces.guide, externalId: undefined })]);
    expect(fresh).toEqual({ accepted: 2, duplicates: 0, refused: [], userErrors: [] });
    const stored = await app.database.prisma.interaction.findMany({ where: { workspaceId: ws.workspaceId } });
    expect(stored).toHaveLength(2);
    const totals = await app.database.prisma.interactionTotal.findMany({ where: { workspaceId: ws.workspaceId } });
    expect(totals).toHaveLength(1);
    expect(totals[0]).toMatchObject({ impressions: 1, clicks: 1, views: 0 });
    void at;
  });
});
