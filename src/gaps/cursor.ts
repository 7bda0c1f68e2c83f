import { badUserInput } from '../errors.js';

/**
 * contentGaps cursors carry the position and the instant of the first page,
 * so every page ranks the same moment: content going live or expiring
 * meanwhile cannot shift the pages under the caller.
 */
export interface GapCursor {
  offset: number;
  at: Date;
}

export function encodeGapCursor(cursor: GapCursor): string {
  return Buffer.from(JSON.stringify({ gap: cursor.offset, at: cursor.at.toISOString() })).toString('base64url');
}

export function decodeGapCursor(raw: string): GapCursor {
  try {
    const { gap, at } = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { gap: unknown; at: unknown };
    const instant = new Date(String(at));
    if (Number.isInteger(gap) && (gap as number) >= 0 && !Number.isNaN(instant.getTime())) return { offset: gap as number, at: instant };
  } catch {
    // reported below
  }
  throw badUserInput('after', 'not a cursor of contentGaps', raw);
}
