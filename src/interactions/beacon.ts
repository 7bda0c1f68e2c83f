/**
 * POST /interactions, the beacon: what `navigator.sendBeacon` sends from a
 * page as it is left. A beacon cannot set headers, so the DELIVERY key (or
 * any higher one) travels in the body, a JSON text sent as text/plain (or
 * application/json): { "key": "...", "events": [...] }. The events are
 * recorded as recordInteractions records them; the answer is 204 with the
 * counts in headers. Refusals answer JSON shaped like GraphQL errors, with
 * the same stable codes: UNAUTHENTICATED (401), BAD_USER_INPUT (400),
 * PAYLOAD_TOO_LARGE (413).
 */
import { hashSecret, findKey } from '../auth/keys.js';
import type { KeyCache } from '../auth/key-cache.js';
import type { Database } from '../db/client.js';
import type { RateLimiter } from '../http/rate-limit.js';
import type { Catalogs } from '../workspaces/catalog.js';
import type { EventInput } from './events.js';
import { MAX_EVENTS_PER_CALL, recordInteractions } from './recording.js';
import type { InteractionSettings } from './settings.js';
import { refusal } from '../http/refusal.js';

export const BEACON_PATH = '/interactions';
/** 1,000 events of a few hundred bytes each fit easily; a beacon is limited to 64 KB by browsers anyway. */
export const MAX_BEACON_BYTES = 1_000_000;

export function isBeaconRequest(request: Request, url: URL): boolean {
  return url.pathname === BEACON_PATH && request.method === 'POST';
}

export interface BeaconDependencies {
  database: Database;
  catalogs: Catalogs;
  settings: InteractionSettings;
  keyCache: KeyCache;
  limiter: RateLimiter;
}

export function beaconHandler({ database, catalogs, settings, keyCache, limiter }: BeaconDependencies): (request: Request) => Promise<Response> {
  return async (request) => {
    const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (type !== 'text/plain' && type !== 'application/json') return refusal(415, 'BAD_USER_INPUT', 'Send the beacon as text/plain (what sendBeacon sends for a string) or application/json.');
    const declared = Number(request.headers.get('content-length') ?? 0);
    if (declared > MAX_BEACON_BYTES) return tooLarge();
    const text = await request.text();
    if (Buffer.byteLength(text) > MAX_BEACON_BYTES) return tooLarge();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return refusal(400, 'BAD_USER_INPUT', 'The body is not JSON: send {"key": "<DELIVERY key>", "events": [...]}.');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return refusal(400, 'BAD_USER_INPUT', 'The body must be a JSON object: {"key": "<DELIVERY key>", "events": [...]}.');
    const { key, events } = body as { key?: unknown; events?: unknown };
    if (typeof key !== 'string' || key === '' || key.length > 200) return refusal(401, 'UNAUTHENTICATED', 'Put your DELIVERY key in the body: {"key": "<DELIVERY key>", "events": [...]}.');
    const hash = hashSecret(key);
    const viewer = keyCache.get(hash) ?? (await findKey(database.reader, hash));
    if (!viewer) return refusal(401, 'UNAUTHENTICATED', 'This API key is unknown or revoked.');
    // The key's budget, as for a GraphQL request with it (the address paid already, in the admission).
    const charge = await limiter.key(hash);
    if (charge?.refused) return charge.refused;
    if (!Array.isArray(events)) return refusal(400, 'BAD_USER_INPUT', '"events" must be an array of events.', 'events');
    if (events.length > MAX_EVENTS_PER_CALL) return refusal(400, 'BAD_USER_INPUT', `At most ${MAX_EVENTS_PER_CALL} events per beacon; got ${events.length}.`, 'events');
    const result = await recordInteractions(database, catalogs, settings, viewer.workspaceId, events as EventInput[]);
    return new Response(null, {
      status: 204,
      headers: {
        'x-interactions-accepted': String(result.accepted),
        'x-interactions-duplicates': String(result.duplicates),
        'x-interactions-refused': String(result.refused.length),
        'cache-control': 'no-store',
      },
    });
  };
}

function tooLarge(): Response {
  return refusal(413, 'PAYLOAD_TOO_LARGE', `The beacon's body is larger than ${MAX_BEACON_BYTES} bytes.`);
}
