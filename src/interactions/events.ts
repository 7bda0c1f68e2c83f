import { databaseIdOf } from '../shared/global-id.js';
import { isOneLine, MAX_DEVICE, MAX_ID, MAX_KEY, MAX_NAME } from '../shared/validation.js';
import { cellKey, phaseKey, type Catalog } from '../workspaces/catalog.js';

/**
 * One event as a sender reports it, before any check: from the GraphQL
 * input (typed already) or from a beacon's JSON (anything at all).
 */
export interface EventInput {
  type?: unknown;
  pieceId?: unknown;
  externalId?: unknown;
  segment?: unknown;
  phase?: unknown;
  channel?: unknown;
  touchpointId?: unknown;
  device?: unknown;
  occurredAt?: unknown;
  visitorId?: unknown;
  sessionId?: unknown;
  clientEventId?: unknown;
}

export const INTERACTION_TYPES = ['IMPRESSION', 'VIEW', 'CLICK', 'DOWNLOAD', 'SHARE', 'CONVERSION'] as const;
export type InteractionTypeValue = (typeof INTERACTION_TYPES)[number];

/** Why an event was refused; stable, for programs (documented on the GraphQL enum). */
export const REFUSAL_CODES = [
  'INVALID',
  'UNKNOWN_PIECE',
  'UNKNOWN_SEGMENT',
  'UNKNOWN_PHASE',
  'PHASE_NOT_IN_JOURNEY',
  'UNKNOWN_CHANNEL',
  'UNKNOWN_TOUCHPOINT',
  'TOUCHPOINT_ELSEWHERE',
  'IN_THE_FUTURE',
  'TOO_OLD',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

export interface Refusal {
  /** The event's position in the batch, from 0. */
  index: number;
  /** The event field at fault. */
  field: string;
  code: RefusalCode;
  message: string;
}

/** An event whose ids are resolved, ready to store (still with the sender's visitor and session ids). */
export interface ResolvedEvent {
  clientEventId: string;
  type: InteractionTypeValue;
  pieceId: string;
  segmentId: string;
  phaseId: string;
  channelId: string;
  touchpointId: string | null;
  device: string | null;
  occurredAt: Date;
  visitorId: string;
  sessionId: string;
}

/** How a piece is named: its global id or its externalId. */
export type PieceRef = { id: string } | { externalId: string };

/** Events may be late by at most the retention window and early by at most a day (clock skew). */
export const MAX_FUTURE_MS = 24 * 3600 * 1000;
/** A visitor or session id: a UUID or a cookie value fits easily. */
export const MAX_VISITOR_ID = 200;

class Refused extends Error {
  constructor(
    readonly field: string,
    readonly code: RefusalCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The checks that need no database: shapes, lengths, keys against the
 * workspace's catalog, the clock. Answers the piece reference to look up
 * with the rest of the event, or the refusal.
 */
export function checkEvent(input: EventInput, lookups: Lookups): Checked | Omit<Refusal, 'index'> {
  try {
    return checked(input, lookups);
  } catch (error) {
    if (error instanceof Refused) return { field: error.field, code: error.code, message: error.message };
    throw error;
  }
}

/** What a batch's events are checked against, made once per batch. */
export interface Lookups {
  catalog: Catalog;
  /** The ids of the workspace's touchpoints. */
  touchpointIds: Set<string>;
  /** The instants an event may have. */
  window: { earliest: Date; latest: Date };
}

export interface Checked {
  piece: PieceRef;
  event: Omit<ResolvedEvent, 'pieceId'>;
}

export function lookupsOf(catalog: Catalog, now: Date, retentionDays: number): Lookups {
  const touchpointIds = new Set([...catalog.touchpoints.values()].flat().map((t) => t.id));
  return { catalog, touchpointIds, window: { earliest: new Date(now.getTime() - retentionDays * 24 * 3600 * 1000), latest: new Date(now.getTime() + MAX_FUTURE_MS) } };
}

function checked(input: EventInput, { catalog, touchpointIds, window }: Lookups): Checked {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Refused('event', 'INVALID', 'Each event must be an object.');
  const clientEventId = text(input.clientEventId, 'clientEventId', MAX_ID);
  const type = input.type;
  if (typeof type !== 'string' || !(INTERACTION_TYPES as readonly string[]).includes(type)) {
    throw new Refused('type', 'INVALID', `type must be one of ${INTERACTION_TYPES.join(', ')}.`);
  }
  const piece = pieceRef(input);
  const segmentKey = text(input.segment, 'segment', MAX_KEY);
  const phaseKeyText = text(input.phase, 'phase', MAX_KEY);
  const channelKey = text(input.channel, 'channel', MAX_KEY);
  const segment = catalog.segments.get(segmentKey);
  if (!segment) throw new Refused('segment', 'UNKNOWN_SEGMENT', `No segment with key "${segmentKey}" in this workspace.`);
  const phase = catalog.phases.get(phaseKey(segment.journeyId, phaseKeyText));
  if (!phase) {
    const elsewhere = [...catalog.phases.values()].some((p) => p.key === phaseKeyText);
    const journey = catalog.journeys.get(segment.journeyId)?.key ?? '';
    if (elsewhere) throw new Refused('phase', 'PHASE_NOT_IN_JOURNEY', `Phase "${phaseKeyText}" is not in journey "${journey}", which segment "${segmentKey}" follows.`);
    throw new Refused('phase', 'UNKNOWN_PHASE', `No phase with key "${phaseKeyText}" in this workspace.`);
  }
  const channel = catalog.channels.get(channelKey);
  if (!channel) throw new Refused('channel', 'UNKNOWN_CHANNEL', `No channel with key "${channelKey}" in this workspace.`);
  const touchpointId = touchpoint(input.touchpointId, catalog, touchpointIds, phase.id, channel.id);
  const device = input.device === undefined || input.device === null ? null : text(input.device, 'device', MAX_DEVICE);
  const occurredAt = instant(input.occurredAt, window);
  const visitorId = text(input.visitorId, 'visitorId', MAX_VISITOR_ID);
  const sessionId = text(input.sessionId, 'sessionId', MAX_VISITOR_ID);
  return {
    piece,
    event: { clientEventId, type: type as InteractionTypeValue, segmentId: segment.id, phaseId: phase.id, channelId: channel.id, touchpointId, device, occurredAt, visitorId, sessionId },
  };
}

function text(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string') throw new Refused(field, 'INVALID', `${field} must be a string.`);
  if (value.trim() === '') throw new Refused(field, 'INVALID', `${field} must not be empty.`);
  if (value.length > max) throw new Refused(field, 'INVALID', `${field} must be at most ${max} characters.`);
  if (!isOneLine(value)) throw new Refused(field, 'INVALID', `${field} must not contain control characters.`);
  return value;
}

function pieceRef(input: EventInput): PieceRef {
  const hasId = input.pieceId !== undefined && input.pieceId !== null;
  const hasExternal = input.externalId !== undefined && input.externalId !== null;
  if (hasId === hasExternal) throw new Refused('pieceId', 'INVALID', 'Name the piece by exactly one of pieceId (its global id) or externalId.');
  if (hasExternal) return { externalId: text(input.externalId, 'externalId', MAX_NAME) };
  const globalId = text(input.pieceId, 'pieceId', MAX_ID);
  const id = databaseIdOf(globalId, 'ContentPiece');
  if (!id) throw new Refused('pieceId', 'UNKNOWN_PIECE', `No content piece with id "${globalId}" in this workspace.`);
  return { id };
}

/** A touchpoint of the workspace that sits at the event's phase and channel. */
function touchpoint(value: unknown, catalog: Catalog, touchpointIds: Set<string>, phaseId: string, channelId: string): string | null {
  if (value === undefined || value === null) return null;
  const globalId = text(value, 'touchpointId', MAX_ID);
  const id = databaseIdOf(globalId, 'Touchpoint');
  const known = id !== null && touchpointIds.has(id);
  if (!known) throw new Refused('touchpointId', 'UNKNOWN_TOUCHPOINT', `No touchpoint with id "${globalId}" in this workspace.`);
  if (!catalog.touchpoints.get(cellKey(phaseId, channelId))?.some((t) => t.id === id)) {
    throw new Refused('touchpointId', 'TOUCHPOINT_ELSEWHERE', `Touchpoint "${globalId}" does not sit at this event's phase and channel.`);
  }
  return id;
}

function instant(value: unknown, window: { earliest: Date; latest: Date }): Date {
  const at = value instanceof Date ? value : typeof value === 'string' && value.length <= 64 && ISO_INSTANT.test(value) ? new Date(value) : null;
  if (!at || Number.isNaN(at.getTime())) throw new Refused('occurredAt', 'INVALID', 'occurredAt must be an ISO-8601 instant with a time zone, e.g. 2026-03-29T09:00:00Z.');
  if (at > window.latest) throw new Refused('occurredAt', 'IN_THE_FUTURE', 'occurredAt is more than a day in the future: check the sender\'s clock.');
  if (at < window.earliest) throw new Refused('occurredAt', 'TOO_OLD', 'occurredAt is older than the retention window: such events are no longer recorded.');
  return at;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
