import { Prisma } from '../generated/sqlite/client.js';
import type { CoverageRule, Touchpoint } from '../generated/sqlite/client.js';
import type { Archetype, ChannelKind, Market, Scope } from '../generated/sqlite/enums.js';
import type { Db } from '../db/client.js';
import { badUserInput } from '../errors.js';

/**
 * The frame of a matrix: which segments, phases and channels it shows, in
 * display order, and what expects content there (touchpoints, coverage
 * rules). Three statements, sent together: the taxonomy (one UNION), the
 * journey's touchpoints and the workspace's coverage rules. Asked for, the
 * taxonomy's statement also reads the interactions recorded in each cell of
 * the journey (InteractionCell, one row per cell), so engagement costs no
 * statement of its own. Bad keys are BAD_USER_INPUT naming the argument.
 */
export interface MatrixArgs {
  journey: string;
  segments?: readonly string[] | null;
  includeSubSegments?: boolean | null;
  scope?: Scope | null;
  channels?: readonly string[] | null;
  at?: Date | null;
  /** Count each cell's crosswalk content (matrix/crosswalk.ts). */
  crosswalk?: boolean | null;
}

export interface FrameSegment {
  id: string;
  key: string;
  name: string;
  market: Market;
  parentId: string | null;
  /** The parent segment's key; null for a top-level segment. */
  parentKey: string | null;
  /** 0 for a segment without parent (in the journey), +1 per level below. */
  depth: number;
}
export interface FramePhase {
  id: string;
  key: string;
  name: string;
  position: number;
  archetype: Archetype;
  scope: Scope;
}
export interface FrameChannel {
  id: string;
  key: string;
  name: string;
  kind: ChannelKind;
}

/** Interactions recorded in a cell (segment asked for × phase × channel), all time, every piece. */
export interface CellInteractions {
  impressions: number;
  clicks: number;
  conversions: number;
}

export interface MatrixFrame {
  workspaceId: string;
  at: Date;
  freshnessDays: number;
  expiryLookaheadDays: number;
  journey: { id: string; key: string; name: string };
  segments: FrameSegment[];
  phases: FramePhase[];
  channels: FrameChannel[];
  touchpoints: Touchpoint[];
  rules: CoverageRule[];
  /**
   * By segment|phase|channel, for every cell of the journey with interactions
   * (not only the shown ones: a phase's median takes them all); null when
   * not asked for.
   */
  interactions: Map<string, CellInteractions> | null;
}

interface Row {
  kind: 'workspace' | 'journey' | 'phase' | 'segment' | 'channel' | 'interactions';
  id: string;
  key: string | null;
  name: string | null;
  parentId: string | null;
  /** Segment: its journey's id. */
  owner: string | null;
  /** Archetype, market or channel kind. */
  label: string | null;
  /** Phase scope. */
  scope: string | null;
  n1: number | bigint | null;
  n2: number | bigint | null;
  n3: number | bigint | null;
}

export async function loadFrame(db: Db, workspaceId: string, args: MatrixArgs, withInteractions = false): Promise<MatrixFrame> {
  // One row per cell of the journey: its segment, phase and channel ids in id, key and name.
  const interactions = withInteractions
    ? Prisma.sql`
      UNION ALL
      SELECT 'interactions', i."segmentId", i."phaseId", i."channelId", NULL, NULL, NULL, NULL, i.impressions, i.clicks, i.conversions
        FROM "InteractionCell" i JOIN "Phase" ph ON ph.id = i."phaseId" JOIN "JourneyModel" j ON j.id = ph."journeyId"
       WHERE i."workspaceId" = ${workspaceId} AND j."workspaceId" = ${workspaceId} AND j.key = ${args.journey}`
    : Prisma.empty;
  const [rows, touchpoints, rules] = await Promise.all([
    db.$queryRaw<Row[]>(Prisma.sql`
      SELECT 'workspace' AS kind, w.id, NULL AS key, NULL AS name, NULL AS "parentId", NULL AS owner, NULL AS label, NULL AS scope,
             w."freshnessDays" AS n1, w."expiryLookaheadDays" AS n2, CAST(NULL AS BIGINT) AS n3
        FROM "Workspace" w WHERE w.id = ${workspaceId}
      UNION ALL
      SELECT 'journey', j.id, j.key, j.name, NULL, NULL, NULL, NULL, NULL, NULL, NULL
        FROM "JourneyModel" j WHERE j."workspaceId" = ${workspaceId} AND j.key = ${args.journey}
      UNION ALL
      SELECT 'phase', ph.id, ph.key, ph.name, NULL, NULL, CAST(ph.archetype AS TEXT), CAST(ph.scope AS TEXT), ph.position, NULL, NULL
        FROM "Phase" ph JOIN "JourneyModel" j ON j.id = ph."journeyId"
       WHERE j."workspaceId" = ${workspaceId} AND j.key = ${args.journey}
      UNION ALL
      SELECT 'segment', s.id, s.key, s.name, s."parentId", s."journeyId", CAST(s.market AS TEXT), NULL, NULL, NULL, NULL
        FROM "Segment" s WHERE s."workspaceId" = ${workspaceId}
      UNION ALL
      SELECT 'channel', c.id, c.key, c.name, NULL, NULL, CAST(c.kind AS TEXT), NULL, NULL, NULL, NULL
        FROM "Channel" c WHERE c."workspaceId" = ${workspaceId}
      ${interactions}
    `),
    db.touchpoint.findMany({
      where: { workspaceId, phase: { journey: { workspaceId, key: args.journey } } },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
    }),
    db.coverageRule.findMany({ where: { workspaceId } }),
  ]);
  const of = (kind: Row['kind']) => rows.filter((r) => r.kind === kind);
  const workspace = of('workspace')[0];
  const journey = of('journey')[0];
  if (!workspace) throw new Error(`workspace ${workspaceId} vanished`);
  if (!journey) throw badUserInput('journey', `no journey model with key "${args.journey}" in this workspace`, args.journey);

  const phases = of('phase')
    .map((r) => ({ id: r.id, key: r.key as string, name: r.name as string, position: Number(r.n1), archetype: r.label as Archetype, scope: r.scope as Scope }))
    .filter((p) => !args.scope || p.scope === args.scope)
    .sort((a, b) => a.position - b.position || a.key.localeCompare(b.key));

  const allSegments = of('segment').map((r) => ({ id: r.id, key: r.key as string, name: r.name as string, market: r.label as Market, parentId: r.parentId, journeyId: r.owner }));
  const segments = chooseSegments(allSegments, journey.id, journey.key as string, args);

  const allChannels = of('channel')
    .map((r) => ({ id: r.id, key: r.key as string, name: r.name as string, kind: r.label as ChannelKind }))
    .sort((a, b) => a.key.localeCompare(b.key));
  const channels = chooseChannels(allChannels, args.channels);

  return {
    workspaceId,
    at: args.at ?? new Date(),
    freshnessDays: Number(workspace.n1),
    expiryLookaheadDays: Number(workspace.n2),
    journey: { id: journey.id, key: journey.key as string, name: journey.name as string },
    segments,
    phases,
    channels,
    touchpoints,
    rules,
    interactions: withInteractions
      ? new Map(of('interactions').map((r) => [`${r.id}|${r.key}|${r.name}`, { impressions: Number(r.n1), clicks: Number(r.n2), conversions: Number(r.n3) }]))
      : null,
  };
}

type SegmentRow = Omit<FrameSegment, 'depth' | 'parentKey'> & { journeyId: string | null };

/**
 * Rows in tree order: each segment, then its sub-segments (by key). Asked
 * segments keep the caller's order, each followed by its sub-segments when
 * includeSubSegments is on (the default); without `segments`, every segment
 * following the journey. A segment shows once, at its first place.
 */
function chooseSegments(all: SegmentRow[], journeyId: string, journeyKey: string, args: MatrixArgs): FrameSegment[] {
  const ofJourney = all.filter((s) => s.journeyId === journeyId);
  const ids = new Set(ofJourney.map((s) => s.id));
  const children = new Map<string | null, SegmentRow[]>();
  for (const s of ofJourney) {
    // A parent outside the journey cannot happen, but would make the segment a root here.
    const parent = s.parentId && ids.has(s.parentId) ? s.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), s]);
  }
  for (const list of children.values()) list.sort((a, b) => a.key.localeCompare(b.key));
  const depthOf = (s: SegmentRow): number => {
    let depth = 0;
    const seen = new Set<string>();
    for (let p = s.parentId; p && ids.has(p) && !seen.has(p); p = ofJourney.find((x) => x.id === p)?.parentId ?? null) {
      seen.add(p);
      depth += 1;
    }
    return depth;
  };
  const out: FrameSegment[] = [];
  const placed = new Set<string>();
  const place = (s: SegmentRow, withChildren: boolean) => {
    if (placed.has(s.id)) return;
    placed.add(s.id);
    out.push({ id: s.id, key: s.key, name: s.name, market: s.market, parentId: s.parentId, parentKey: all.find((p) => p.id === s.parentId)?.key ?? null, depth: depthOf(s) });
    if (withChildren) for (const child of children.get(s.id) ?? []) place(child, true);
  };
  if (!args.segments) {
    for (const root of children.get(null) ?? []) place(root, true);
    return out;
  }
  for (const key of args.segments) {
    const segment = all.find((s) => s.key === key);
    if (!segment) throw badUserInput('segments', `no segment with key "${key}" in this workspace`, key);
    if (segment.journeyId !== journeyId) throw badUserInput('segments', `segment "${key}" does not follow journey "${journeyKey}"`, key);
    place(segment, args.includeSubSegments ?? true);
  }
  return out;
}

function chooseChannels(all: FrameChannel[], keys: readonly string[] | null | undefined): FrameChannel[] {
  if (!keys) return all;
  const out: FrameChannel[] = [];
  for (const key of keys) {
    const channel = all.find((c) => c.key === key);
    if (!channel) throw badUserInput('channels', `no channel with key "${key}" in this workspace`, key);
    if (!out.includes(channel)) out.push(channel);
  }
  return out;
}
