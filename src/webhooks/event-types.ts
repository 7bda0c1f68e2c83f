/**
 * The events a workspace can subscribe to, by their names on the wire
 * (Standard Webhooks' dotted "type"). GraphQL names them in capitals
 * (webhooks/endpoints.ts), since enum values cannot hold dots.
 */
export const EVENT_TYPES = [
  'content.created',
  'content.updated',
  'content.status_changed',
  'content.deleted',
  'content.archived',
  'content.live',
  'content.expired',
  'coverage.gap_opened',
  'coverage.gap_closed',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** CONTENT_STATUS_CHANGED for content.status_changed. */
export function enumName(type: EventType): string {
  return type.replace('.', '_').toUpperCase();
}

export function typeOfEnumName(name: string): EventType {
  const type = EVENT_TYPES.find((t) => enumName(t) === name);
  if (!type) throw new Error(`Unknown event type ${name}`);
  return type;
}

/** An endpoint's subscription, as stored: space-separated types, empty for all. */
export function wants(eventTypes: string, type: string): boolean {
  return eventTypes === '' || eventTypes.split(' ').includes(type);
}
