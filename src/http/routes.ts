import type { Plugin } from 'graphql-yoga';
import { refusal } from './refusal.js';

/** Where GraphQL is served. */
export const GRAPHQL_PATH = '/graphql';

/** What links people open answer (the calendar feed, the reports): GET, and HEAD for the programs that check a link first. */
export const READ_METHODS: readonly string[] = ['GET', 'HEAD'];

/** A path the server answers and the methods it answers there; `prefix`: every path under it. */
export interface Route {
  path: string;
  prefix?: boolean;
  /** Absent: any method (Yoga's own endpoints, which answer a wrong method themselves). */
  methods?: readonly string[];
}

/**
 * Every path not in `routes` is a 404, and a listed path asked with a
 * method it does not answer is a 405 with `Allow`, both as JSON shaped like
 * GraphQL errors (NOT_FOUND, METHOD_NOT_ALLOWED) instead of Yoga's empty
 * 404: an integrator who typed /graphq or GET /interactions reads what is
 * wrong. Preflights (OPTIONS) are left to CORS. A body GraphQL cannot read
 * (415) says the same way what it takes.
 */
export function routesPlugin(routes: readonly Route[], apiPath: string): Plugin {
  return {
    onRequest({ request, url, endResponse }) {
      if (request.method === 'OPTIONS') return;
      const route = routes.find((r) => (r.prefix ? url.pathname.startsWith(r.path) : url.pathname === r.path));
      if (!route) {
        endResponse(refusal(404, 'NOT_FOUND', `Nothing is served at ${shown(url.pathname)}. The API is at ${apiPath} (POST, or GET for queries).`));
        return;
      }
      if (route.methods && !route.methods.includes(request.method)) {
        const allow = route.methods.join(', ');
        endResponse(refusal(405, 'METHOD_NOT_ALLOWED', `${shown(url.pathname)} answers ${allow}, not ${shown(request.method)}.`, undefined, { allow }));
      }
    },
    // Yoga answers a POST whose content type it cannot read with an empty 415: say what it takes, keeping the headers (CORS, rate limits).
    onResponse({ request, response, setResponse }) {
      if (response.status !== 415 || response.headers.has('content-type')) return;
      const sent = request.headers.get('content-type') ?? 'no content type';
      const answer = refusal(415, 'UNSUPPORTED_MEDIA_TYPE', `${apiPath} takes a POST body as application/json ({"query": "…", "variables": {…}}), not ${shown(sent)}; or a query as GET with ?query=.`);
      response.headers.forEach((value, name) => answer.headers.set(name, value));
      setResponse(answer);
    },
  };
}

/** A path or method as the message repeats it: never more than a line, however long what was sent. */
function shown(text: string): string {
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}
