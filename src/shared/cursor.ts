import { createHmac, timingSafeEqual } from 'node:crypto';
import { workspaceId, type Context } from '../context.js';
import { badUserInput } from '../errors.js';

/**
 * Paging cursors, opaque and tamper-evident. A cursor is its payload (a
 * position: sort values or an offset) in base64url JSON, then a MAC over
 * the payload and what it was issued for: the list, the caller's workspace
 * and what the caller may see (DELIVERY keys see live content only). A
 * cursor used anywhere else, or altered, fails the MAC and is refused as
 * BAD_USER_INPUT naming the argument, before any SQL runs.
 */
export type CursorArgument = 'after' | 'before';

const MAC_BYTES = 16;

export function issueCursor(ctx: Context, list: string, payload: unknown): string {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${mac(ctx, list, body).toString('base64url')}`;
}

/** The payload of a cursor issued by `list` for this caller; a refusal naming `argument` otherwise. */
export function readCursor(ctx: Context, list: string, raw: string, argument: CursorArgument): unknown {
  const [body, signature, ...rest] = raw.split('.');
  if (body && signature && rest.length === 0) {
    const given = Buffer.from(signature, 'base64url');
    const expected = mac(ctx, list, body);
    if (given.length === expected.length && timingSafeEqual(given, expected)) {
      try {
        return JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
      } catch {
        // A signed body is ours and always JSON; refused below all the same.
      }
    }
  }
  throw notACursor(list, argument, raw);
}

export function notACursor(list: string, argument: CursorArgument, raw: string) {
  return badUserInput(argument, `not a cursor of ${list} for this key: pass a cursor this list returned to the same workspace and role`, raw.length > 200 ? `${raw.slice(0, 200)}…` : raw);
}

/** What the caller may see decides which rows a position refers to. */
function visibility(ctx: Context): string {
  return ctx.viewer?.role === 'DELIVERY' ? 'live' : 'all';
}

function mac(ctx: Context, list: string, body: string): Buffer {
  return createHmac('sha256', ctx.cursorKey)
    .update(`${list}\n${workspaceId(ctx)}\n${visibility(ctx)}\n${body}`)
    .digest()
    .subarray(0, MAC_BYTES);
}
