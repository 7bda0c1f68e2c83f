import type { Database } from '../db/client.js';
import type { Archetype, Scope } from '../generated/sqlite/enums.js';
import type { CoverageRuleFacts } from '../gaps/expectation.js';

/**
 * What a workspace's keys name: its journeys, phases, segments and channels,
 * with the touchpoints and coverage rules that say where content is
 * expected. It is small (tens to hundreds of rows) and read on every
 * recommendation, so each server keeps it in memory per workspace, under the
 * workspace's version (db/versions.ts): any write to the workspace makes the
 * next request load it again.
 */
export interface CatalogSegment {
  id: string;
  key: string;
  name: string;
  parentId: string | null;
  journeyId: string;
}

export interface CatalogPhase {
  id: string;
  key: string;
  name: string;
  scope: Scope;
  /** With journeyId and position: what the phase crosswalk matches and orders by. */
  archetype: Archetype;
  journeyId: string;
  position: number;
}

export interface CatalogTouchpoint {
  id: string;
  name: string;
  emotion: number;
  salesOpportunity: boolean;
  segmentId: string | null;
}

export interface Catalog {
  segments: Map<string, CatalogSegment>;
  segmentsById: Map<string, CatalogSegment>;
  journeys: Map<string, { id: string; key: string }>;
  /** By journey id and phase key: phase keys are unique per journey only. */
  phases: Map<string, CatalogPhase>;
  channels: Map<string, { id: string; key: string }>;
  /** By phase id and channel id. */
  touchpoints: Map<string, CatalogTouchpoint[]>;
  rules: CoverageRuleFacts[];
}

export const phaseKey = (journeyId: string, key: string) => `${journeyId}\n${key}`;
export const cellKey = (phaseId: string, channelId: string) => `${phaseId}\n${channelId}`;

/** Catalogs of the workspaces a server has served recently; the oldest make room past `capacity`. */
export class Catalogs {
  readonly #entries = new Map<string, { version: string; catalog: Promise<Catalog> }>();

  constructor(
    private readonly database: Database,
    private readonly capacity = 1000,
  ) {}

  get(workspaceId: string): Promise<Catalog> {
    const version = this.database.versions.of(workspaceId);
    const entry = this.#entries.get(workspaceId);
    if (entry?.version === version) return entry.catalog;
    const catalog = loadCatalog(this.database, workspaceId);
    this.#entries.delete(workspaceId);
    if (this.#entries.size >= this.capacity) this.#entries.delete(this.#entries.keys().next().value as string);
    this.#entries.set(workspaceId, { version, catalog });
    // A failed load (database down) is not kept: the next request tries again.
    catalog.catch(() => this.#entries.get(workspaceId)?.catalog === catalog && this.#entries.delete(workspaceId));
    return catalog;
  }
}

async function loadCatalog(database: Database, workspaceId: string): Promise<Catalog> {
  const db = database.reader;
  const where = { workspaceId };
  const [journeys, phases, segments, channels, touchpoints, rules] = await Promise.all([
    db.journeyModel.findMany({ where, select: { id: true, key: true } }),
    db.phase.findMany({ where, select: { id: true, key: true, name: true, scope: true, archetype: true, journeyId: true, position: true } }),
    db.segment.findMany({ where, select: { id: true, key: true, name: true, parentId: true, journeyId: true } }),
    db.channel.findMany({ where, select: { id: true, key: true } }),
    db.touchpoint.findMany({ where, select: { id: true, name: true, emotion: true, salesOpportunity: true, segmentId: true, phaseId: true, channelId: true }, orderBy: [{ name: 'asc' }, { id: 'asc' }] }),
    db.coverageRule.findMany({ where, select: { segmentId: true, phaseId: true, channelId: true, minLive: true, notExpected: true, countCrosswalk: true } }),
  ]);
  const byCell = new Map<string, CatalogTouchpoint[]>();
  for (const { phaseId, channelId, ...touchpoint } of touchpoints) {
    const key = cellKey(phaseId, channelId);
    byCell.set(key, [...(byCell.get(key) ?? []), touchpoint]);
  }
  return {
    segments: new Map(segments.map((s) => [s.key, s])),
    segmentsById: new Map(segments.map((s) => [s.id, s])),
    journeys: new Map(journeys.map((j) => [j.id, j])),
    phases: new Map(phases.map((p) => [phaseKey(p.journeyId, p.key), p])),
    channels: new Map(channels.map((c) => [c.key, c])),
    touchpoints: byCell,
    rules,
  };
}
