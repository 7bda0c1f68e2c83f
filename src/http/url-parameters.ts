import { GraphQLError } from 'graphql';
import { DateTime } from 'luxon';
import { isTimeZone } from '../shared/time-zone.js';

/**
 * Query parameters of the plain-GET routes (the iCalendar feed, the
 * reports), read like the GraphQL arguments they stand for: lists are
 * comma-separated, enums by their GraphQL names. A bad value throws
 * BAD_USER_INPUT naming the parameter, as a bad argument does.
 */
export class ParameterError extends GraphQLError {
  constructor(parameter: string, message: string) {
    super(message, { extensions: { code: 'BAD_USER_INPUT', argument: parameter } });
  }
}

/** An IANA time zone, UTC when absent. */
export function timeZoneParameter(params: URLSearchParams): string {
  const timeZone = params.get('timeZone') || 'UTC';
  if (!isTimeZone(timeZone)) throw new ParameterError('timeZone', `"${timeZone}" is not a known IANA time zone, e.g. Europe/Amsterdam`);
  return timeZone;
}

/** An ISO-8601 instant, or a local date/time (without offset) in `timeZone`. */
export function instantParameter(params: URLSearchParams, name: string, timeZone: string): Date | null {
  const value = params.get(name);
  if (!value) return null;
  const parsed = DateTime.fromISO(value, { zone: timeZone, setZone: false });
  if (!parsed.isValid) throw new ParameterError(name, `"${value}" is not an ISO-8601 date or instant, e.g. 2026-03-01 or 2026-03-01T00:00:00Z`);
  return parsed.toJSDate();
}

export function listParameter(params: URLSearchParams, name: string): string[] | null {
  const value = params.get(name);
  return value ? value.split(',').map((v) => v.trim()).filter(Boolean) : null;
}

export function enumParameter<T extends string>(params: URLSearchParams, name: string, values: Record<string, T>): T | null {
  const value = params.get(name);
  if (value && !Object.hasOwn(values, value)) throw new ParameterError(name, `"${value}" is not one of ${Object.keys(values).join(', ')}`);
  return (value as T | null) || null;
}

export function enumListParameter<T extends string>(params: URLSearchParams, name: string, values: Record<string, T>): T[] | null {
  const items = listParameter(params, name);
  for (const item of items ?? []) if (!Object.hasOwn(values, item)) throw new ParameterError(name, `"${item}" is not one of ${Object.keys(values).join(', ')}`);
  return items as T[] | null;
}

export function booleanParameter(params: URLSearchParams, name: string): boolean | null {
  const value = params.get(name);
  if (!value) return null;
  if (value !== 'true' && value !== 'false') throw new ParameterError(name, `"${value}" is not true or false`);
  return value === 'true';
}

/** A bad parameter or argument (BAD_USER_INPUT) as its parameter's name and a message without the "Argument" prefix; null for anything else. */
export function badParameter(error: unknown): { parameter: string; message: string } | null {
  if (!(error instanceof GraphQLError) || error.extensions.code !== 'BAD_USER_INPUT') return null;
  return { parameter: String(error.extensions.argument), message: error.message.replace(/^Argument "[^"]*": /, '') };
}
