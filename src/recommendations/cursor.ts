import { badUserInput } from '../errors.js';

/**
 * Recommendation cursors carry the position and the instant of the first
 * page, so walking the pages ranks one fixed moment: a piece going live
 * meanwhile cannot shift the pages under the caller.
 */
export interface RecommendationCursor {
  offset: number;
  at: Date;
}

export function encodeCursor(cursor: RecommendationCursor): string {
  return Buffer.from(JSON.stringify({ o: cursor.offset, at: cursor.at.toISOString() })).toString('base64url');
}

export function decodeCursor(raw: string): RecommendationCursor {
  try {
    const { o, at } = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { o: unknown; at: unknown };
    const instant = new Date(String(at));
    if (Number.isInteger(o) && (o as number) >= 0 && !Number.isNaN(instant.getTime())) return { offset: o as number, at: instant };
  } catch {
    // reported below
  }
  throw badUserInput('after', 'not a cursor of this connection', raw);
}
