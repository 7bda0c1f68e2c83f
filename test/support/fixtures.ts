import { syncTargets } from '../../src/content/targets.js';
import type { Db } from '../../src/db/client.js';
import type { Archetype, ContentFormat, ContentStatus, Scope } from '../../src/generated/sqlite/enums.js';

/**
 * Builds workspace contents straight through Prisma, for tests of the
 * read-side answers (recommendations, matrix, calendar) that need data in
 * a known shape rather than the mutations' validation.
 */
export interface PieceSpec {
  title: string;
  phases: string[];
  channels: string[];
  segments?: string[];
  status?: ContentStatus;
  locale?: string;
  priority?: number;
  publishAt?: Date | null;
  expiresAt?: Date | null;
  reviewAt?: Date | null;
  updatedAt?: Date;
  format?: ContentFormat;
  externalId?: string;
}

export class Fixture {
  readonly phases = new Map<string, { id: string; scope: Scope }>();
  readonly segments = new Map<string, string>();
  readonly channels = new Map<string, string>();
  journeyId = '';

  constructor(
    readonly db: Db,
    readonly workspaceId: string,
  ) {}

  /** A journey whose phases are [key, scope] pairs (or [key, scope, archetype]), in order; later segments follow it. */
  async journey(key: string, phases: ([string, Scope] | [string, Scope, Archetype])[]): Promise<this> {
    const archetype = { BECOME: 'AWARENESS', BE: 'ONBOARDING', STAY: 'RETENTION' } as const;
    const journey = await this.db.journeyModel.create({ data: { workspaceId: this.workspaceId, key, name: key } });
    this.journeyId = journey.id;
    for (const [position, [phaseKey, scope, kind]] of phases.entries()) {
      const phase = await this.db.phase.create({
        data: { workspaceId: this.workspaceId, journeyId: journey.id, key: phaseKey, name: phaseKey, position, scope, archetype: kind ?? archetype[scope] },
      });
      // "journey:phase" always; the bare key names the first journey's phase.
      this.phases.set(`${key}:${phaseKey}`, { id: phase.id, scope });
      if (!this.phases.has(phaseKey)) this.phases.set(phaseKey, { id: phase.id, scope });
    }
    return this;
  }

  async segment(key: string, parent?: string, market: 'B2B' | 'B2C' = 'B2C'): Promise<this> {
    const segment = await this.db.segment.create({
      data: { workspaceId: this.workspaceId, journeyId: this.journeyId, key, name: key.toUpperCase(), market, parentId: parent ? this.id(this.segments, parent) : null },
    });
    this.segments.set(key, segment.id);
    return this;
  }

  async channel(key: string, maxPerWeek?: number): Promise<this> {
    const channel = await this.db.channel.create({ data: { workspaceId: this.workspaceId, key, name: key, kind: 'WEBSITE', maxPerWeek } });
    this.channels.set(key, channel.id);
    return this;
  }

  async touchpoint(name: string, phase: string, channel: string, options: { segment?: string; emotion?: number; salesOpportunity?: boolean } = {}) {
    return this.db.touchpoint.create({
      data: {
        workspaceId: this.workspaceId,
        name,
        phaseId: this.phase(phase),
        channelId: this.id(this.channels, channel),
        segmentId: options.segment ? this.id(this.segments, options.segment) : null,
        emotion: options.emotion ?? 0,
        salesOpportunity: options.salesOpportunity ?? false,
      },
    });
  }

  async rule(target: { segment?: string; phase?: string; channel?: string }, rule: { minLive?: number; notExpected?: boolean; countCrosswalk?: boolean }) {
    return this.db.coverageRule.create({
      data: {
        workspaceId: this.workspaceId,
        segmentId: target.segment ? this.id(this.segments, target.segment) : null,
        phaseId: target.phase ? this.phase(target.phase) : null,
        channelId: target.channel ? this.id(this.channels, target.channel) : null,
        minLive: rule.minLive ?? null,
        notExpected: rule.notExpected ?? false,
        countCrosswalk: rule.countCrosswalk ?? false,
      },
    });
  }

  async piece(spec: PieceSpec) {
    const piece = await this.db.contentPiece.create({
      data: {
        workspaceId: this.workspaceId,
        title: spec.title,
        format: spec.format ?? 'ARTICLE',
        status: spec.status ?? 'PUBLISHED',
        locale: spec.locale ?? 'nl-NL',
        priority: spec.priority ?? 50,
        publishAt: spec.publishAt ?? null,
        expiresAt: spec.expiresAt ?? null,
        reviewAt: spec.reviewAt ?? null,
        externalId: spec.externalId ?? null,
        ...(spec.updatedAt ? { updatedAt: spec.updatedAt } : {}),
        phases: { create: spec.phases.map((p) => ({ phaseId: this.phase(p) })) },
        channels: { create: spec.channels.map((c) => ({ channelId: this.id(this.channels, c) })) },
        segments: { create: (spec.segments ?? []).map((s) => ({ segmentId: this.id(this.segments, s) })) },
      },
    });
    await syncTargets(this.db, [piece.id]);
    return piece;
  }

  phase(key: string): string {
    const phase = this.phases.get(key);
    if (!phase) throw new Error(`fixture has no phase ${key}`);
    return phase.id;
  }

  private id(map: Map<string, string>, key: string): string {
    const id = map.get(key);
    if (!id) throw new Error(`fixture has no ${key}`);
    return id;
  }
}
