/**
 * The iCalendar feed's HTTP handler, mounted by src/server.ts at
 * GET /calendar.ics. Placeholder until the calendar lands: 404.
 */
import type { Database } from '../db/client.js';

export function calendarFeedHandler(_database: Database): (request: Request) => Promise<Response> {
  return async () => new Response('Not found', { status: 404 });
}
