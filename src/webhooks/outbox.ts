import { randomBytes } from 'node:crypto';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { chunksOf } from '../db/chunks.js';
import { Prisma } from '../generated/sqlite/client.js';
import type { Tx } from '../shared/mutation.js';
import type { EventType } from './event-types.js';

/**
 * The outbox: events are rows written in the transaction of the change they
 * tell about, so a rolled-back write sends nothing and a committed one is
 * never lost, whatever happens to the process next. The dispatcher
 * (webhooks/dispatcher.ts) sends them afterwards. Each event's id is the
 * `webhook-id` of all its deliveries and retries: receivers deduplicate on it.
 */
export interface NewEvent {
  type: EventType;
  /** The object the event is about. */
  data: Record<string, unknown>;
}

/** Bodies stay well under this, as the specification asks; long texts are cut to fit (fitted). */
export const MAX_BODY_BYTES = 20_000;
const MAX_TEXT = 2_000;

/** msg_ + time (sortable) + 80 random bits. */
export function newEventId(now = Date.now()): string {
  return `msg_${now.toString(36).padStart(9, '0')}${randomBytes(10).toString('hex')}`;
}

/** The JSON body: type, timestamp, workspace and the object, as Standard Webhooks lays bodies out. */
export function eventBody(workspaceId: string, event: NewEvent, at: Date): string {
  return JSON.stringify({ type: event.type, timestamp: at.toISOString(), workspace: { id: encodeGlobalID('Workspace', workspaceId) }, data: fitted(event.data) });
}

/** Events per INSERT: 5 parameters each, well below both databases' limits (Prisma's createMany would cut at 999 parameters). */
const EVENTS_PER_STATEMENT = 4000;

/** Writes events in the caller's transaction: one statement per 4,000 events (so one for any importContent), none when there are none. */
export async function recordEvents(tx: Tx, workspaceId: string, events: NewEvent[], at = new Date()): Promise<void> {
  for (const chunk of chunksOf(events, EVENTS_PER_STATEMENT)) {
    const rows = chunk.map((event) => Prisma.sql`(${newEventId(at.getTime())}, ${workspaceId}, ${event.type}, ${eventBody(workspaceId, event, at)}, ${at})`);
    await tx.$executeRaw`INSERT INTO "WebhookEvent" ("id", "workspaceId", "type", "body", "createdAt") VALUES ${Prisma.join(rows)}`;
  }
}

/** Cuts any long text (a gap message, an id) so a body never reaches MAX_BODY_BYTES. */
function fitted(data: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(data, (_key, value: unknown) => (typeof value === 'string' && value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT - 1)}…` : value))) as Record<string, unknown>;
}
