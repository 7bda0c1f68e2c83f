import pLimit from 'p-limit';
import { Prisma } from '../generated/sqlite/client.js';
import type { Database } from '../db/client.js';
import { rawDate } from '../db/raw.js';
import type { Logger } from '../http/request-log.js';
import { wants } from './event-types.js';
import { openSecret, signature } from './secrets.js';
import { send, SEND_TIMEOUT_MS, type SendResult } from './sender.js';
import type { WebhookSettings } from './settings.js';
import type { EventClock } from './clock.js';

/**
 * Sends the outbox. Each turn: the event clock adds the events of moments
 * that passed (webhooks/clock.ts); new events become deliveries, one per
 * enabled endpoint that wants the type and existed when the event happened;
 * due deliveries are claimed, signed and sent; each attempt is logged and a
 * failure is tried again on the retry schedule. A claim holds a delivery
 * until `lockedUntil`, and on PostgreSQL rows are claimed with FOR UPDATE
 * SKIP LOCKED, so several instances never send the same attempt. A process
 * that dies holding a claim leaves it to be taken again once the claim ends:
 * at least once, with the event's id as webhook-id every time.
 */
const BATCH = 100;
const CONCURRENCY = 16;
/** Beyond an attempt's timeout: the time to log it. */
const CLAIM_MARGIN_MS = 10_000;
/** A turn every half second at least; writes on this instance start one at once (nudge). */
const IDLE_MS = 500;
/** Finished deliveries, their attempts and events are kept this long for the log. */
export const LOG_RETENTION_DAYS = 30;
const CLEAN_EVERY_MS = 3_600_000;

export class Dispatcher {
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #stopped = false;
  #lastClean = 0;
  readonly #limit = pLimit(CONCURRENCY);

  constructor(
    private readonly database: Database,
    private readonly settings: WebhookSettings,
    private readonly clock: EventClock,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.#stopped = false;
    this.nudge();
  }

  /** Asks for a turn now (after a write): one runs at a time, and one more follows if asked meanwhile. */
  nudge(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#running = this.#turn().finally(() => {
      this.#running = null;
      if (this.#stopped) return;
      if (this.#again) {
        this.#again = false;
        setImmediate(() => this.nudge());
      } else {
        this.#timer = setTimeout(() => this.nudge(), IDLE_MS);
      }
    });
  }

  /** Stops taking turns and waits for the one under way (its attempts finish and are logged). */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }

  async #turn(): Promise<void> {
    try {
      await this.clock.tick(new Date());
      while ((await this.fanOut()) === BATCH) {}
      let claimed: string[];
      do {
        claimed = await this.claim(new Date());
        await this.deliver(claimed);
      } while (claimed.length === BATCH && !this.#stopped);
      if (Date.now() - this.#lastClean > CLEAN_EVERY_MS) await this.clean(new Date());
    } catch (error) {
      // The database may be away for a moment; the next turn tries again.
      this.logger.error({ err: error }, 'Webhook dispatch failed');
    }
  }

  /** Turns up to BATCH new events into deliveries; answers how many events it took. */
  async fanOut(): Promise<number> {
    const skipLocked = this.database.provider === 'postgresql' ? Prisma.sql`FOR UPDATE SKIP LOCKED` : Prisma.empty;
    return this.database.prisma.$transaction(async (tx) => {
      const events = await tx.$queryRaw<{ id: string; workspaceId: string; type: string; createdAt: unknown }[]>`
        SELECT "id", "workspaceId", "type", "createdAt" FROM "WebhookEvent" WHERE "fannedOut" = false ORDER BY "createdAt", "id" LIMIT ${BATCH} ${skipLocked}`;
      if (events.length === 0) return 0;
      const endpoints = await tx.webhookEndpoint.findMany({
        where: { workspaceId: { in: [...new Set(events.map((e) => e.workspaceId))] }, enabled: true },
        select: { id: true, workspaceId: true, eventTypes: true, createdAt: true },
      });
      const now = new Date();
      const deliveries = events.flatMap((event) =>
        endpoints
          .filter((e) => e.workspaceId === event.workspaceId && wants(e.eventTypes, event.type) && e.createdAt.getTime() <= rawDate(event.createdAt)!.getTime())
          .map((endpoint) => ({ eventId: event.id, endpointId: endpoint.id, nextAttemptAt: now })),
      );
      if (deliveries.length > 0) await tx.webhookDelivery.createMany({ data: deliveries });
      const sent = new Set(deliveries.map((d) => d.eventId));
      const unwanted = events.filter((e) => !sent.has(e.id)).map((e) => e.id);
      // An event nobody wants is not kept.
      if (unwanted.length > 0) await tx.webhookEvent.deleteMany({ where: { id: { in: unwanted } } });
      if (sent.size > 0) await tx.webhookEvent.updateMany({ where: { id: { in: [...sent] } }, data: { fannedOut: true } });
      return events.length;
    });
  }

  /** Claims up to BATCH due deliveries of enabled endpoints; answers their ids. One statement. */
  async claim(now: Date): Promise<string[]> {
    // Longer than any attempt plus the time to log it.
    const until = new Date(now.getTime() + (this.settings.sendTimeoutMs ?? SEND_TIMEOUT_MS) + CLAIM_MARGIN_MS);
    const skipLocked = this.database.provider === 'postgresql' ? Prisma.sql`FOR UPDATE OF d SKIP LOCKED` : Prisma.empty;
    const rows = await this.database.prisma.$queryRaw<{ id: string }[]>`
      UPDATE "WebhookDelivery" SET "lockedUntil" = ${until}
       WHERE "id" IN (
         SELECT d."id" FROM "WebhookDelivery" d JOIN "WebhookEndpoint" e ON e."id" = d."endpointId"
          WHERE d."status" = 'PENDING' AND d."nextAttemptAt" <= ${now} AND (d."lockedUntil" IS NULL OR d."lockedUntil" <= ${now}) AND e."enabled" = true
          ORDER BY d."nextAttemptAt" LIMIT ${BATCH} ${skipLocked})
      RETURNING "id"`;
    return rows.map((r) => r.id);
  }

  async deliver(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const deliveries = await this.database.prisma.webhookDelivery.findMany({
      where: { id: { in: ids } },
      select: { id: true, attempts: true, event: { select: { id: true, body: true } }, endpoint: { select: { id: true, workspaceId: true, url: true, secret: true, previousSecret: true, previousSecretUntil: true } } },
    });
    await Promise.all(deliveries.map((delivery) => this.#limit(() => this.attempt(delivery))));
  }

  async attempt(delivery: Claimed): Promise<void> {
    const attemptedAt = new Date();
    const result = await this.sendSigned(delivery, attemptedAt);
    const attempts = delivery.attempts + 1;
    const succeeded = result.error === null;
    const gone = result.statusCode === 410;
    const wait = this.settings.retrySchedule[attempts - 1];
    const status = succeeded ? 'SUCCEEDED' : gone || wait === undefined ? 'FAILED' : 'PENDING';
    const nextAttemptAt = status === 'PENDING' ? new Date(Date.now() + wait!) : null;
    await this.database.prisma.$transaction([
      this.database.prisma.webhookAttempt.create({ data: { deliveryId: delivery.id, attemptedAt, statusCode: result.statusCode, durationMs: result.durationMs, error: result.error } }),
      this.database.prisma.webhookDelivery.update({ where: { id: delivery.id }, data: { attempts, status, nextAttemptAt, lockedUntil: null } }),
      // 410 Gone: the receiver asks for no more; the endpoint stays off until an admin turns it on.
      ...(gone ? [this.database.prisma.webhookEndpoint.update({ where: { id: delivery.endpoint.id }, data: { enabled: false, disabledReason: 'The receiver answered 410 Gone.' } })] : []),
    ]);
    if (!succeeded) this.logger.warn({ delivery: delivery.id, event: delivery.event.id, statusCode: result.statusCode, error: result.error, next: nextAttemptAt }, 'Webhook attempt failed');
  }

  async sendSigned(delivery: Claimed, at: Date): Promise<SendResult> {
    const secrets = this.secretsOf(delivery.endpoint, at);
    if (!secrets) return { statusCode: null, durationMs: 0, error: 'The endpoint\'s secret cannot be opened with this server\'s WEBHOOK_SECRET_KEY' };
    const { id, body } = delivery.event;
    const headers = { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature(secrets, id, at, body) };
    return send({ url: delivery.endpoint.url, body, headers }, { allowPrivate: this.settings.policy.allowPrivate, timeoutMs: this.settings.sendTimeoutMs });
  }

  /** The current secret, and the previous one while it still signs; null when they cannot be opened. */
  secretsOf(endpoint: Claimed['endpoint'], at: Date): string[] | null {
    const key = this.settings.key;
    if (!key) return null;
    try {
      const secrets = [openSecret(key, endpoint.workspaceId, endpoint.secret)];
      if (endpoint.previousSecret && endpoint.previousSecretUntil && endpoint.previousSecretUntil > at) secrets.push(openSecret(key, endpoint.workspaceId, endpoint.previousSecret));
      return secrets;
    } catch {
      return null;
    }
  }

  /** Forgets finished deliveries (and their attempts and events) older than the log keeps. */
  async clean(now: Date): Promise<void> {
    this.#lastClean = now.getTime();
    const before = new Date(now.getTime() - LOG_RETENTION_DAYS * 86_400_000);
    await this.database.prisma.webhookDelivery.deleteMany({ where: { status: { not: 'PENDING' }, updatedAt: { lt: before } } });
    await this.database.prisma.webhookEvent.deleteMany({ where: { fannedOut: true, createdAt: { lt: before }, deliveries: { none: {} } } });
  }
}

interface Claimed {
  id: string;
  attempts: number;
  event: { id: string; body: string };
  endpoint: { id: string; workspaceId: string; url: string; secret: string; previousSecret: string | null; previousSecretUntil: Date | null };
}
