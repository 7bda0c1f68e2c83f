import { linkTokenApi, type LinkTokenKind } from '../auth/link-tokens.js';

/**
 * Calendar tokens open the iCalendar feed: calendar programs cannot send an
 * Authorization header, so the token travels in the feed URL. A token only
 * reads its workspace's calendar (src/auth/link-tokens.ts).
 */
export const FEED_PATH = '/calendar.ics';

export const CALENDAR_TOKENS: LinkTokenKind = {
  model: 'CalendarToken',
  field: 'calendarToken',
  noun: 'calendar token',
  prefix: 'cpc_',
  description: 'A read-only token for the iCalendar feed of the workspace\'s content calendar. The token itself is never readable: only its prefix.',
  whenRevoked: 'the feed answers 401 to it',
  nameDescription: 'Who or what subscribes with it, e.g. "Marketing team calendar".',
  url: {
    field: 'feedUrl',
    description: `The feed's absolute URL with this token, e.g. https://api.example.com${FEED_PATH}?token=cpc_...: subscribe to it in a calendar program. It starts with the server's configured public address, or else the address this request was sent to. Filters (segments, channels, phases, scope, statuses, formats, from, to, timeZone) may be added as query parameters. Null when refused.`,
    path: (token) => `${FEED_PATH}?${new URLSearchParams({ token })}`,
  },
};

linkTokenApi(CALENDAR_TOKENS);
