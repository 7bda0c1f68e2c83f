import type { Context } from '../context.js';
import { issueCursor, notACursor, readCursor, type CursorArgument } from './cursor.js';
import { pageRequest, type PagingArgs } from './paging.js';

/**
 * Paging by position, for lists computed whole (gaps, calendar findings) or
 * ranked (recommendations). The cursor holds the item's offset and, where
 * the list describes an instant, that instant, so later pages describe the
 * same moment. Cursors are signed like every other (see cursor.ts).
 */
export interface OffsetPosition {
  offset: number;
  at?: Date;
  /** A position in a recommendation's crosswalk list (recommendations/crosswalk.ts), not its own. */
  crosswalk?: boolean;
}

export function issueOffsetCursor(ctx: Context, list: string, position: OffsetPosition): string {
  return issueCursor(ctx, list, { o: position.offset, ...(position.at ? { at: position.at.toISOString() } : {}), ...(position.crosswalk ? { x: 1 } : {}) });
}

export function readOffsetCursor(ctx: Context, list: string, raw: string, argument: CursorArgument): OffsetPosition {
  const payload = readCursor(ctx, list, raw, argument) as { o?: unknown; at?: unknown; x?: unknown } | null;
  const offset = payload?.o;
  const at = typeof payload?.at === 'string' ? new Date(payload.at) : undefined;
  if (!Number.isInteger(offset) || (offset as number) < 0 || (at && Number.isNaN(at.getTime()))) throw notACursor(list, argument, raw);
  return { offset: offset as number, ...(at ? { at } : {}), ...(payload?.x === 1 ? { crosswalk: true } : {}) };
}

export interface ArrayPage<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

/** One page of a list already in memory, forward (first/after) or backward (last/before). */
export function arrayConnection<T>(ctx: Context, list: string, args: PagingArgs, items: T[]): ArrayPage<T> {
  const page = pageRequest(args);
  const from = page.cursor ? readOffsetCursor(ctx, list, page.cursor.raw, page.cursor.argument).offset : null;
  const [start, end] = page.backward ? before(from ?? items.length, page.limit, items.length) : after(from === null ? 0 : from + 1, page.limit, items.length);
  const edges = items.slice(start, end).map((node, i) => ({ node, cursor: issueOffsetCursor(ctx, list, { offset: start + i }) }));
  return {
    edges,
    pageInfo: { hasNextPage: end < items.length, hasPreviousPage: start > 0, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: items.length,
  };
}

/** [start, end) of `limit` items from `start` on. */
function after(start: number, limit: number, length: number): [number, number] {
  const from = Math.min(start, length);
  return [from, Math.min(from + limit, length)];
}

/** [start, end) of `limit` items ending before `end`. */
function before(end: number, limit: number, length: number): [number, number] {
  const to = Math.min(end, length);
  return [Math.max(0, to - limit), to];
}
