import { encodeGlobalID } from '@pothos/plugin-relay';
import type { TestApp, WorkspaceKeys } from './app.js';
import { Fixture } from './fixtures.js';

/**
 * A small but complete workspace: a journey with three phases, a segment
 * tree, channels, touchpoints, coverage rules, pieces with externalIds, API
 * keys and a calendar token. Every name, title and description carries
 * `marker`, so a response can be searched for anything of this workspace.
 * Two worlds built with the same keys differ only in their markers and ids.
 */
export interface World {
  keys: WorkspaceKeys;
  marker: string;
  fixture: Fixture;
  /** Database ids per GraphQL type name (JourneyModel, Phase, Segment, ...). */
  ids: Record<string, string[]>;
  calendarToken: string;
  reportToken: string;
  /** Everything that must never reach another workspace: ids, global ids, key and token prefixes and secrets. */
  secrets: string[];
}

export const PHASES = ['attention', 'purchase', 'loyalty'] as const;
export const SEGMENTS = ['families', 'young-families', 'students'] as const;
export const CHANNELS = ['email', 'social'] as const;

export async function buildWorld(app: TestApp, marker: string): Promise<World> {
  const keys = await app.workspace(`${marker} workspace`);
  const db = app.database.prisma;
  const fixture = new Fixture(db, keys.workspaceId);
  await fixture.journey('shop', [['attention', 'BECOME'], ['purchase', 'BE'], ['loyalty', 'STAY']]);
  await fixture.segment('families');
  await fixture.segment('young-families', 'families');
  await fixture.segment('students');
  await fixture.channel('email', 3);
  await fixture.channel('social');
  const touchpoint = await fixture.touchpoint(`${marker} newsletter`, 'attention', 'email', { segment: 'families', emotion: 2 });
  await fixture.touchpoint(`${marker} post`, 'loyalty', 'social');
  await fixture.rule({ segment: 'families', phase: 'attention', channel: 'email' }, { minLive: 2 });
  await fixture.rule({ channel: 'social' }, { notExpected: true });
  const now = Date.now();
  for (let i = 1; i <= 4; i++) {
    const piece = await fixture.piece({
      title: `${marker} piece ${i}`,
      externalId: `ext-${i}`,
      phases: [PHASES[i % 3]!],
      channels: [CHANNELS[i % 2]!],
      segments: i % 2 ? [SEGMENTS[i % 3]!] : [],
      status: i === 4 ? 'DRAFT' : 'PUBLISHED',
      publishAt: new Date(now - 86_400_000 * i),
      reviewAt: new Date(now + 86_400_000 * 7 * i),
    });
    if (i === 1) await db.contentTouchpoint.create({ data: { pieceId: piece.id, touchpointId: touchpoint.id } });
  }
  // Fixtures name things by their keys: put the marker into every name.
  const ws = { workspaceId: keys.workspaceId };
  for (const j of await db.journeyModel.findMany({ where: ws })) await db.journeyModel.update({ where: { id: j.id }, data: { name: `${marker} ${j.name}`, description: `${marker} journey` } });
  for (const p of await db.phase.findMany({ where: ws })) await db.phase.update({ where: { id: p.id }, data: { name: `${marker} ${p.name}`, description: `${marker} phase` } });
  for (const s of await db.segment.findMany({ where: ws })) await db.segment.update({ where: { id: s.id }, data: { name: `${marker} ${s.name}`, description: `${marker} segment` } });
  for (const c of await db.channel.findMany({ where: ws })) await db.channel.update({ where: { id: c.id }, data: { name: `${marker} ${c.name}` } });
  for (const k of await db.apiKey.findMany({ where: ws })) await db.apiKey.update({ where: { id: k.id }, data: { name: `${marker} ${k.name}` } });
  await db.contentPiece.updateMany({ where: ws, data: { summary: `${marker} summary`, url: `https://example.com/${marker.toLowerCase()}` } });

  // An open mirror sync, for the mutations that take one.
  await db.contentSync.create({ data: { workspaceId: keys.workspaceId, source: `${marker} cms`, expiresAt: new Date(now + 86_400_000) } });

  const created = await app.gql(keys.EDITOR, `mutation { createCalendarToken(input: { name: "${marker} calendar" }) { token userErrors { code } } }`);
  const calendarToken = created.data?.createCalendarToken.token as string;
  if (!calendarToken) throw new Error(`no calendar token: ${JSON.stringify(created)}`);
  const report = await app.gql(keys.EDITOR, `mutation { createReportToken(input: { name: "${marker} reports" }) { token userErrors { code } } }`);
  const reportToken = report.data?.createReportToken.token as string;
  if (!reportToken) throw new Error(`no report token: ${JSON.stringify(report)}`);

  // A webhook endpoint with one delivery in its log (made as the dispatcher would).
  const hooked = await app.gql(keys.ADMIN, `mutation { createWebhookEndpoint(input: { url: "https://93.184.215.14/${marker}", description: "${marker} webhook" }) { secret userErrors { code } } }`);
  const webhookSecret = hooked.data?.createWebhookEndpoint.secret as string;
  if (!webhookSecret) throw new Error(`no webhook endpoint: ${JSON.stringify(hooked)}`);
  const endpoint = await db.webhookEndpoint.findFirstOrThrow({ where: ws });
  const event = await db.webhookEvent.create({ data: { id: `msg_${marker}`, workspaceId: keys.workspaceId, type: 'content.created', body: `{"marker":"${marker}"}`, fannedOut: true } });
  await db.webhookDelivery.create({ data: { eventId: event.id, endpointId: endpoint.id, status: 'SUCCEEDED', attempts: 1 } });

  // A what-if scenario with a planned piece and a change, for the scenario fields.
  const scenario = await db.scenario.create({ data: { workspaceId: keys.workspaceId, name: `${marker} scenario`, description: `${marker} what if` } });
  const firstPiece = await db.contentPiece.findFirstOrThrow({ where: ws, orderBy: { title: 'asc' } });
  await db.scenarioPiece.create({
    data: {
      scenarioId: scenario.id, workspaceId: keys.workspaceId, title: `${marker} planned`, format: 'ARTICLE', locale: 'nl-NL',
      phases: { create: [{ phaseId: fixture.phase('attention') }] }, channels: { create: [{ channelId: (await db.channel.findFirstOrThrow({ where: { ...ws, key: 'email' } })).id }] },
    },
  });
  await db.scenarioChange.create({ data: { scenarioId: scenario.id, workspaceId: keys.workspaceId, pieceId: firstPiece.id, kind: 'ARCHIVE' } });

  const ids: Record<string, string[]> = {};
  const collect = async (type: string, rows: Promise<{ id: string }[]>) => (ids[type] = (await rows).map((r) => r.id));
  await collect('Workspace', db.workspace.findMany({ where: { id: keys.workspaceId } }));
  await collect('JourneyModel', db.journeyModel.findMany({ where: ws }));
  await collect('Phase', db.phase.findMany({ where: ws, orderBy: { position: 'asc' } }));
  await collect('Segment', db.segment.findMany({ where: ws }));
  await collect('Channel', db.channel.findMany({ where: ws }));
  await collect('Touchpoint', db.touchpoint.findMany({ where: ws }));
  await collect('CoverageRule', db.coverageRule.findMany({ where: ws }));
  await collect('ContentPiece', db.contentPiece.findMany({ where: ws }));
  await collect('ApiKey', db.apiKey.findMany({ where: ws }));
  await collect('CalendarToken', db.calendarToken.findMany({ where: ws }));
  await collect('ReportToken', db.reportToken.findMany({ where: ws }));
  await collect('ContentSync', db.contentSync.findMany({ where: ws }));
  await collect('WebhookEndpoint', db.webhookEndpoint.findMany({ where: ws }));
  await collect('Scenario', db.scenario.findMany({ where: ws }));
  await collect('ScenarioPiece', db.scenarioPiece.findMany({ where: ws }));
  await collect('ScenarioChange', db.scenarioChange.findMany({ where: ws }));
  await collect('WebhookDelivery', db.webhookDelivery.findMany({ where: { endpoint: ws } }));

  const prefixes = [...(await db.apiKey.findMany({ where: ws })), ...(await db.calendarToken.findMany({ where: ws })), ...(await db.reportToken.findMany({ where: ws }))].map((k) => k.prefix);
  const secrets = [
    ...Object.entries(ids).flatMap(([type, list]) => list.flatMap((id) => [id, encodeGlobalID(type, id)])),
    ...prefixes,
    keys.ADMIN, keys.EDITOR, keys.DELIVERY, calendarToken, reportToken, webhookSecret, event.id,
  ];
  return { keys, marker, fixture, ids, calendarToken, reportToken, secrets };
}

/** The first database id of a type in a world. */
export function firstId(world: World, type: string): string {
  const id = world.ids[type]?.[0];
  if (!id) throw new Error(`the world has no ${type}`);
  return id;
}

/** Every string anywhere in a JSON value. */
export function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsIn(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) stringsIn(v, out);
  return out;
}

/** What of `world` appears in `value`: its marker, ids, global ids, key prefixes or secrets. */
export function leaksOf(world: World, value: unknown): string[] {
  const found = new Set<string>();
  for (const s of stringsIn(value)) {
    if (s.includes(world.marker)) found.add(s);
    for (const secret of world.secrets) if (s.includes(secret)) found.add(`${s} (contains ${secret})`);
  }
  return [...found];
}

const ID_TYPES = ['ScenarioPiece', 'ScenarioChange', 'Scenario', 'JourneyModel', 'Phase', 'Segment', 'Channel', 'Touchpoint', 'CoverageRule', 'ContentPiece', 'ApiKey', 'CalendarToken', 'ReportToken', 'ContentSync', 'WebhookEndpoint'];

/** The type of object a mutation's `input.id` names, from the mutation's name (deleteJourney: JourneyModel). */
export function idTypeOf(rootField: string): string {
  if (rootField === 'setContentStatus') return 'ContentPiece';
  if (rootField === 'rotateWebhookEndpointSecret') return 'WebhookEndpoint';
  const type = ID_TYPES.find((t) => rootField.endsWith(t) || rootField.endsWith(t.replace(/Model$/, '')));
  if (!type) throw new Error(`no id type known for ${rootField}`);
  return type;
}
