/**
 * The iCalendar feed (RFC 5545), mounted by src/server.ts at
 * GET /calendar.ics: the calendar's entries as events, for calendar
 * programs that subscribe to a URL. They cannot send headers, so a calendar
 * token in the query string stands for the workspace; filters are query
 * parameters named like contentCalendar's arguments.
 */
import ical, { ICalEventTransparency } from 'ical-generator';
import { DateTime } from 'luxon';
import { linkTokenGate } from '../auth/link-tokens.js';
import { badParameter, enumListParameter, enumParameter, instantParameter, listParameter, timeZoneParameter } from '../http/url-parameters.js';
import { readsFor } from '../db/read-routing.js';
import type { Database } from '../db/client.js';
import { ContentFormat, ContentStatus, Scope } from '../generated/sqlite/enums.js';
import { openCalendar, type CalendarArgs, type CalendarEntry } from './calendar.js';
import { analysisOf } from './sql.js';
import type { CalendarEventKind } from './entries.js';
import { CALENDAR_TOKENS, FEED_PATH } from './tokens.js';
import { READ_METHODS } from '../http/routes.js';

/** Without from/to: 90 days back and 300 ahead (within the calendar's 400-day limit). */
export const FEED_DAYS_BACK = 90;
export const FEED_DAYS_AHEAD = 300;

/**
 * A publish, an expiry or a review is a moment, but calendar programs draw
 * an event without an end as a sliver or as a whole day: each event lasts
 * this long from its moment (DTEND), enough to see and click.
 */
export const FEED_EVENT_MINUTES = 15;

const VERB: Record<CalendarEventKind, string> = { PUBLISH: 'Publish', EXPIRE: 'Expires', REVIEW: 'Review' };

/** Whether a request is for the feed (rate-limited per address and token by src/http/admission.ts). */
export function isFeedRequest(request: Request, url: URL): boolean {
  return url.pathname === FEED_PATH && READ_METHODS.includes(request.method);
}

export function calendarFeedHandler(database: Database): (request: Request) => Promise<Response> {
  const workspaceOfToken = linkTokenGate(database.reader, CALENDAR_TOKENS);
  return async (request) => {
    const params = new URL(request.url).searchParams;
    const token = params.get('token');
    if (!token) return text(401, 'Add your calendar token: /calendar.ics?token=<token>.');
    const workspaceId = await workspaceOfToken(token);
    if (!workspaceId) return text(401, 'This calendar token is unknown or revoked.');
    try {
      const calendar = await openCalendar(analysisOf(readsFor(database, null)), workspaceId, feedArgs(params));
      return new Response(icsOf(calendar.workspaceName, await calendar.allEntries()), {
        status: 200,
        headers: {
          'content-type': 'text/calendar; charset=utf-8',
          'content-disposition': 'inline; filename="content-calendar.ics"',
          'cache-control': 'private, max-age=300',
        },
      });
    } catch (error) {
      const bad = badParameter(error);
      if (bad) return text(400, `Bad parameter "${bad.parameter}": ${bad.message}`);
      throw error;
    }
  };
}

/** Query parameters as calendar arguments; lists are comma-separated. A bad value throws, naming the parameter. */
export function feedArgs(params: URLSearchParams): CalendarArgs {
  const timeZone = timeZoneParameter(params);
  const today = DateTime.now().setZone(timeZone).startOf('day');
  const from = instantParameter(params, 'from', timeZone) ?? today.minus({ days: FEED_DAYS_BACK }).toJSDate();
  const to = instantParameter(params, 'to', timeZone) ?? DateTime.fromJSDate(from, { zone: timeZone }).plus({ days: FEED_DAYS_BACK + FEED_DAYS_AHEAD }).toJSDate();
  return {
    from,
    to,
    timeZone,
    segments: listParameter(params, 'segments'),
    channels: listParameter(params, 'channels'),
    phases: listParameter(params, 'phases'),
    scope: enumParameter(params, 'scope', Scope),
    statuses: enumListParameter(params, 'statuses', ContentStatus),
    formats: enumListParameter(params, 'formats', ContentFormat),
  };
}

/**
 * One VEVENT per entry. The UID is the piece and its event, so a calendar
 * program updates the event when the piece moves instead of adding another;
 * DTSTAMP is the piece's last change. Events last FEED_EVENT_MINUTES and
 * do not block the time (TRANSP:TRANSPARENT). ical-generator folds, and escapes event
 * texts, but writes the calendar's name as it is (NAME and X-WR-CALNAME,
 * which readers such as ical.js do not unescape either). Stored text may
 * predate today's input rules, so every text is made one safe line first:
 * a line break would end the property and start a forged one.
 */
function icsOf(workspaceName: string, entries: CalendarEntry[]): string {
  const calendar = ical({ name: oneLine(`Content calendar · ${workspaceName}`), prodId: { company: 'content-planning', product: 'calendar', language: 'EN' } });
  for (const entry of entries) {
    const { piece } = entry;
    const channels = entry.targeting.channelsOf(piece).map((c) => oneLine(c.name)).join(', ');
    const targeted = entry.targeting.targetedSegmentsOf(piece);
    const segments = targeted.length ? targeted.map((s) => oneLine(s.name)).join(', ') : 'all segments';
    const url = piece.url ? oneLine(piece.url) : null;
    calendar.createEvent({
      id: `${piece.id}-${entry.event.toLowerCase()}@content-planning`,
      start: entry.at,
      end: new Date(entry.at.getTime() + FEED_EVENT_MINUTES * 60_000),
      stamp: piece.updatedAt,
      lastModified: piece.updatedAt,
      summary: `${VERB[entry.event]}: ${oneLine(piece.title)} · ${channels} · ${segments}`,
      description: [
        `Format: ${readable(piece.format)}`,
        `Status: ${readable(piece.status)}`,
        `Phases: ${entry.targeting.phasesOf(piece).map((p) => oneLine(p.name)).join(', ')}`,
        `Channels: ${channels}`,
        `Segments: ${segments}`,
        ...(piece.externalId ? [`CMS id: ${oneLine(piece.externalId)}`] : []),
        ...(url ? [url] : []),
      ].join('\n'),
      url,
      categories: [{ name: entry.event }, { name: piece.status }],
      transparency: ICalEventTransparency.TRANSPARENT,
    });
  }
  return calendar.toString();
}

/** An enum value for people: HOW_TO_VIDEO is "How-to video", IN_REVIEW "In review", FAQ stays "FAQ". */
function readable(value: string): string {
  let text = value
    .toLowerCase()
    .split('_')
    .map((word) => (ACRONYMS.has(word) ? word.toUpperCase() : word))
    .join(' ');
  for (const words of HYPHENATED) text = text.replace(words, words.replace(' ', '-'));
  text = text.replace('email', 'e-mail');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const ACRONYMS = new Set(['faq', 'roi']);
const HYPHENATED = ['how to', 'kick off', 'quick start', 'user generated'];

/** Text for one line of the feed: every control character (line breaks included) becomes a space. */
function oneLine(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

function text(status: number, body: string): Response {
  return new Response(`${body}\n`, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}
