import { encodeGlobalID } from '@pothos/plugin-relay';
import { Prisma } from '../generated/sqlite/client.js';
import type { Database } from '../db/client.js';
import { rawDate } from '../db/raw.js';
import type { Tx } from '../shared/mutation.js';
import { wants } from './event-types.js';
import { recordEvents, type NewEvent } from './outbox.js';
import { coverageEvents, lookAtCoverage, type CoverageLook } from './coverage.js';

/**
 * The events no write makes: a published piece going live when its
 * publishAt passes or leaving when its expiresAt passes, and the matrix's
 * cells opening or closing gaps (by writes and by time alike). Each turn of
 * the dispatcher asks the clock; per workspace with a subscribed, enabled
 * endpoint, a WebhookWatch row remembers how far the content moments are
 * announced and which coverage was last seen, and events and the row move
 * together in one transaction: each moment is announced once, and nothing
 * is lost when a process dies in between. The row is locked while it moves
 * (FOR UPDATE SKIP LOCKED on PostgreSQL), so instances take turns.
 */
const CONTENT_MOMENTS = ['content.live', 'content.expired'];
/**
 * The dispatcher takes a turn at every write; the clock looks at most this
 * often per workspace, so a burst of writes costs two looks a second, and a
 * moment is announced within about half a second of its instant.
 */
const LOOK_EVERY_MS = 500;
const COVERAGE = ['coverage.gap_opened', 'coverage.gap_closed'];

export class EventClock {
  readonly #lastLook = new Map<string, number>();

  constructor(
    private readonly database: Database,
    private readonly lookEveryMs = LOOK_EVERY_MS,
  ) {}

  async tick(now: Date): Promise<void> {
    const endpoints = await this.database.prisma.webhookEndpoint.findMany({ where: { enabled: true }, select: { workspaceId: true, eventTypes: true } });
    const subscribed = new Map<string, { moments: boolean; coverage: boolean }>();
    for (const e of endpoints) {
      const was = subscribed.get(e.workspaceId) ?? { moments: false, coverage: false };
      subscribed.set(e.workspaceId, {
        moments: was.moments || CONTENT_MOMENTS.some((t) => wants(e.eventTypes, t)),
        coverage: was.coverage || COVERAGE.some((t) => wants(e.eventTypes, t)),
      });
    }
    for (const [workspaceId, wanted] of subscribed) {
      if (now.getTime() - (this.#lastLook.get(workspaceId) ?? 0) < this.lookEveryMs) continue;
      this.#lastLook.set(workspaceId, now.getTime());
      if (wanted.moments) await this.announceMoments(workspaceId, now);
      if (wanted.coverage) await this.announceCoverage(workspaceId, now);
    }
    await this.forgetUnwatched([...subscribed].filter(([, wanted]) => wanted.coverage).map(([workspaceId]) => workspaceId));
  }

  /**
   * A workspace nobody watches the coverage of any more starts afresh when
   * someone does again: its first look then announces nothing that happened
   * in between. One statement when there is nothing to forget.
   */
  async forgetUnwatched(watched: string[]): Promise<void> {
    const unwatched = { coverageVersion: { gte: 0 }, ...(watched.length ? { workspaceId: { notIn: watched } } : {}) };
    const forgotten = await this.database.prisma.webhookWatch.findMany({ where: unwatched, select: { workspaceId: true } });
    if (forgotten.length === 0) return;
    const workspaceIds = forgotten.map((w) => w.workspaceId);
    await this.database.prisma.$transaction([
      this.database.prisma.coverageGapAnnounced.deleteMany({ where: { workspaceId: { in: workspaceIds } } }),
      this.database.prisma.webhookWatch.updateMany({ where: { workspaceId: { in: workspaceIds } }, data: { coverageVersion: -1, coverageNextAt: null } }),
    ]);
  }

  /** content.live and content.expired for the moments in (contentUntil, now]. */
  async announceMoments(workspaceId: string, now: Date): Promise<void> {
    await this.withWatch(workspaceId, now, async (tx, watch) => {
      const from = watch.contentUntil;
      const pieces = (where: Prisma.ContentPieceWhereInput) =>
        tx.contentPiece.findMany({ where: { workspaceId, status: 'PUBLISHED', ...where }, select: { id: true, externalId: true, source: true, publishAt: true, expiresAt: true }, orderBy: [{ id: 'asc' }] });
      const moment = (type: 'content.live' | 'content.expired', p: { id: string; externalId: string | null; source: string | null }, at: Date): NewEvent => ({
        type,
        data: { object: 'ContentPiece', id: encodeGlobalID('ContentPiece', p.id), externalId: p.externalId, source: p.source, status: 'PUBLISHED', at: at.toISOString() },
      });
      // Every moment since the last turn: a second's worth normally, more after the server was down.
      const live = (await pieces({ publishAt: { gt: from, lte: now } })).map((p) => moment('content.live', p, p.publishAt!));
      const expired = (await pieces({ expiresAt: { gt: from, lte: now } })).map((p) => moment('content.expired', p, p.expiresAt!));
      await recordEvents(tx, workspaceId, [...live, ...expired], now);
      await tx.webhookWatch.update({ where: { workspaceId }, data: { contentUntil: now } });
    });
  }

  /** coverage.gap_opened / gap_closed when the workspace changed since the last look or its next time-driven change passed. */
  async announceCoverage(workspaceId: string, now: Date): Promise<void> {
    const state = await this.database.prisma.webhookWatch.findUnique({ where: { workspaceId } });
    const version = await this.versionOf(workspaceId);
    if (state && state.coverageVersion === version && (!state.coverageNextAt || state.coverageNextAt > now)) return;
    // Looked at outside the lock (it reads the whole matrix); a newer look that lands first wins.
    const look = await lookAtCoverage(this.database, workspaceId, now);
    await this.withWatch(workspaceId, now, async (tx, watch) => {
      if (watch.coverageVersion > version) return;
      const announced = await tx.coverageGapAnnounced.findMany({ where: { workspaceId } });
      // The first look only remembers what is open: it announces nothing that happened before anyone subscribed.
      const events = watch.coverageVersion < 0 ? [] : coverageEvents(announced, look);
      await this.rememberGaps(tx, workspaceId, announced, look);
      await recordEvents(tx, workspaceId, events, now);
      await tx.webhookWatch.update({ where: { workspaceId }, data: { coverageVersion: version, coverageNextAt: look.changesAt } });
    });
  }

  async rememberGaps(tx: Tx, workspaceId: string, announced: { segmentId: string; phaseId: string; channelId: string }[], look: CoverageLook): Promise<void> {
    const open = new Set(look.gaps.map((g) => `${g.segmentId}|${g.phaseId}|${g.channelId}`));
    const known = new Set(announced.map((g) => `${g.segmentId}|${g.phaseId}|${g.channelId}`));
    const closed = announced.filter((g) => !open.has(`${g.segmentId}|${g.phaseId}|${g.channelId}`));
    for (const g of closed) await tx.coverageGapAnnounced.delete({ where: { workspaceId_segmentId_phaseId_channelId: { workspaceId, segmentId: g.segmentId, phaseId: g.phaseId, channelId: g.channelId } } });
    const opened = look.gaps.filter((g) => !known.has(`${g.segmentId}|${g.phaseId}|${g.channelId}`));
    if (opened.length > 0) {
      await tx.coverageGapAnnounced.createMany({
        data: opened.map((g) => ({ workspaceId, segmentId: g.segmentId, phaseId: g.phaseId, channelId: g.channelId, kind: g.kind, severity: g.severity, message: g.message })),
      });
    }
  }

  async versionOf(workspaceId: string): Promise<number> {
    const row = await this.database.prisma.workspaceVersion.findUnique({ where: { workspaceId }, select: { version: true } });
    return Number(row?.version ?? 0);
  }

  /**
   * Runs `work` with the workspace's watch row locked; a first call makes
   * the row (announcing from now on). On PostgreSQL a row
   * another instance holds is skipped: that instance is announcing it.
   */
  async withWatch(workspaceId: string, now: Date, work: (tx: Tx, watch: { contentUntil: Date; coverageVersion: number }) => Promise<void>): Promise<void> {
    await this.database.prisma.$transaction(
      async (tx) => {
        const lock = this.database.provider === 'postgresql' ? Prisma.sql`FOR UPDATE SKIP LOCKED` : Prisma.empty;
        const rows = await tx.$queryRaw<{ contentUntil: unknown; coverageVersion: number | bigint }[]>`
          SELECT "contentUntil", "coverageVersion" FROM "WebhookWatch" WHERE "workspaceId" = ${workspaceId} ${lock}`;
        if (rows.length === 0) {
          const exists = await tx.webhookWatch.findUnique({ where: { workspaceId }, select: { workspaceId: true } });
          if (!exists) {
            await tx.$executeRaw`INSERT INTO "WebhookWatch" ("workspaceId", "contentUntil", "coverageVersion") VALUES (${workspaceId}, ${now}, -1) ON CONFLICT ("workspaceId") DO NOTHING`;
            return work(tx, { contentUntil: now, coverageVersion: -1 });
          }
          return; // Locked by another instance.
        }
        await work(tx, { contentUntil: rawDate(rows[0]!.contentUntil)!, coverageVersion: Number(rows[0]!.coverageVersion) });
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
  }
}
