import { syncTargets } from '../content/targets.js';
import { authenticate, createApiKey } from '../auth/keys.js';
import type { Database } from '../db/client.js';
import type { Role } from '../generated/sqlite/enums.js';
import { DEFAULT_INTERACTION_RETENTION_DAYS } from '../interactions/retention.js';
import { DEFAULT_SCOPE, findTemplate } from '../journeys/templates.js';
import { uniqueViolationFields, type Tx } from '../shared/mutation.js';
import {
  DEMO_CHANNELS,
  DEMO_COVERAGE_RULES,
  DEMO_JOURNEYS,
  DEMO_KEYS,
  DEMO_PIECES,
  DEMO_SEGMENTS,
  DEMO_TOUCHPOINTS,
  DEMO_WORKSPACE_ID,
  DEMO_WORKSPACE_NAME,
  SITE,
} from './data.js';
import { dateOf } from './dates.js';
import { recordDemoInteractions } from './interactions.js';

export interface DemoResult {
  created: boolean;
  /** The demo keys that still work (an admin may have revoked some). */
  keys: { role: Role; secret: string }[];
}

/**
 * Loads the demo workspace (see data.ts) on the first call, in one
 * transaction, then its interactions (interactions.ts) as a website would
 * record them; later calls find it by its fixed id and create nothing.
 * `retentionDays`: the server's INTERACTION_RETENTION_DAYS, which the
 * interactions' dates stay within.
 */
export async function loadDemoWorkspace(database: Database, now = new Date(), { retentionDays = DEFAULT_INTERACTION_RETENTION_DAYS } = {}): Promise<DemoResult> {
  const db = database.prisma;
  let created = false;
  if (!(await db.workspace.findUnique({ where: { id: DEMO_WORKSPACE_ID }, select: { id: true } }))) {
    let touchpoints: Map<string, string> | null = null;
    try {
      touchpoints = await db.$transaction((tx) => createDemo(tx, now), { timeout: 60_000, maxWait: 10_000 });
      created = true;
    } catch (error) {
      // Another process starting at the same moment created it first.
      if (!uniqueViolationFields(error)) throw error;
    }
    // After the commit: recording runs its own transactions, as a website's calls do. Only the
    // process that made the workspace records them, so they are never recorded twice.
    if (touchpoints) await recordDemoInteractions(database, touchpoints, now, retentionDays);
  }
  const keys: DemoResult['keys'] = [];
  for (const { role, secret } of DEMO_KEYS) {
    if ((await authenticate(db, secret))?.workspaceId === DEMO_WORKSPACE_ID) keys.push({ role, secret });
  }
  return { created, keys };
}

/** Creates the demo's rows; answers its touchpoints' ids by ref, for the interactions. */
async function createDemo(tx: Tx, now: Date): Promise<Map<string, string>> {
  const workspaceId = DEMO_WORKSPACE_ID;
  await tx.workspace.create({ data: { id: workspaceId, name: DEMO_WORKSPACE_NAME } });
  for (const key of DEMO_KEYS) await createApiKey(tx, workspaceId, key.name, key.role, key.secret);

  const phases = new Map<string, string>();
  for (const journey of DEMO_JOURNEYS) {
    const template = findTemplate(journey.template);
    if (!template) throw new Error(`Demo data names an unknown journey template "${journey.template}"`);
    const created = await tx.journeyModel.create({
      data: {
        workspaceId,
        key: journey.key,
        name: journey.name,
        description: journey.description,
        template: template.key,
        phases: {
          create: template.phases.map((phase, position) => ({
            workspaceId,
            key: phase.key,
            name: phase.name.nl,
            position,
            archetype: phase.archetype,
            scope: phase.scope ?? DEFAULT_SCOPE[phase.archetype],
          })),
        },
      },
      include: { phases: true },
    });
    for (const phase of created.phases) phases.set(`${journey.key}:${phase.key}`, phase.id);
  }
  const journeyIds = new Map((await tx.journeyModel.findMany({ where: { workspaceId } })).map((j) => [j.key, j.id]));

  const segments = new Map<string, string>();
  for (const { journey, parent, ...segment } of DEMO_SEGMENTS) {
    const created = await tx.segment.create({
      data: { ...segment, workspaceId, journeyId: lookup(journeyIds, journey), parentId: parent ? lookup(segments, parent) : null },
    });
    segments.set(segment.key, created.id);
  }

  const channels = new Map<string, string>();
  for (const channel of DEMO_CHANNELS) {
    const created = await tx.channel.create({ data: { ...channel, workspaceId } });
    channels.set(channel.key, created.id);
  }

  const touchpoints = new Map<string, string>();
  for (const { ref, phase, channel, segment, ...touchpoint } of DEMO_TOUCHPOINTS) {
    const created = await tx.touchpoint.create({
      data: {
        ...touchpoint,
        workspaceId,
        phaseId: lookup(phases, phase),
        channelId: lookup(channels, channel),
        segmentId: segment ? lookup(segments, segment) : null,
      },
    });
    touchpoints.set(ref, created.id);
  }

  await tx.coverageRule.createMany({
    data: DEMO_COVERAGE_RULES.map((rule) => ({
      workspaceId,
      segmentId: rule.segment ? lookup(segments, rule.segment) : null,
      phaseId: rule.phase ? lookup(phases, rule.phase) : null,
      channelId: rule.channel ? lookup(channels, rule.channel) : null,
      minLive: rule.minLive ?? null,
      notExpected: rule.notExpected ?? false,
    })),
  });

  for (const piece of DEMO_PIECES) {
    const hasPage = piece.channels.includes('website') && (piece.status === 'PUBLISHED' || piece.status === 'SCHEDULED');
    await tx.contentPiece.create({
      data: {
        workspaceId,
        externalId: piece.externalId,
        title: piece.title,
        summary: piece.summary,
        format: piece.format,
        status: piece.status,
        locale: piece.locale ?? 'nl-NL',
        url: hasPage ? `${SITE}/${piece.locale === 'en-GB' ? 'en/' : ''}${slug(piece.title)}` : null,
        publishAt: dateOf(piece.publishAt, now),
        expiresAt: dateOf(piece.expiresAt, now),
        reviewAt: dateOf(piece.reviewAt, now),
        priority: piece.priority ?? 50,
        needType: piece.needType ?? null,
        phases: { create: piece.phases.map((ref) => ({ phaseId: lookup(phases, ref) })) },
        channels: { create: piece.channels.map((ref) => ({ channelId: lookup(channels, ref) })) },
        segments: { create: (piece.segments ?? []).map((ref) => ({ segmentId: lookup(segments, ref) })) },
        touchpoints: { create: (piece.touchpoints ?? []).map((ref) => ({ touchpointId: lookup(touchpoints, ref) })) },
      },
    });
  }
  const pieces = await tx.contentPiece.findMany({ where: { workspaceId }, select: { id: true } });
  await syncTargets(tx, pieces.map((p) => p.id));
  return touchpoints;
}

function lookup(map: Map<string, string>, ref: string): string {
  const id = map.get(ref);
  if (!id) throw new Error(`Demo data refers to unknown "${ref}"`);
  return id;
}

function slug(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/€\s*/g, 'euro-')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
