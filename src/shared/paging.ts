import { badUserInput } from '../errors.js';
import type { CursorArgument } from './cursor.js';

/**
 * One paging rule for every list of the API, as GitHub's: `first` or `last`
 * between 0 and 100 (a larger page is refused, never silently cut), pages
 * forward with first/after or backward with last/before.
 */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export interface PagingArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

export interface PageRequest {
  /** Items wanted on this page. */
  limit: number;
  /** Paging from the end (last/before). */
  backward: boolean;
  /** The cursor to page from, with the argument it came in. */
  cursor: { raw: string; argument: CursorArgument } | null;
}

export function pageRequest(args: PagingArgs, defaultSize = DEFAULT_PAGE_SIZE): PageRequest {
  const { first, last, after, before } = args;
  if (first != null) checkSize('first', first);
  if (last != null) checkSize('last', last);
  if (first != null && last != null) throw badUserInput('last', 'cannot be combined with `first`: page forward with first/after or backward with last/before');
  if (after != null && before != null) throw badUserInput('before', 'cannot be combined with `after`: page forward with first/after or backward with last/before');
  if (first != null && before != null) throw badUserInput('before', 'pages backward: use it with `last`, or page forward with first/after');
  if (last != null && after != null) throw badUserInput('after', 'pages forward: use it with `first`, or page backward with last/before');
  const backward = last != null || before != null;
  const cursor = after != null ? { raw: after, argument: 'after' as const } : before != null ? { raw: before, argument: 'before' as const } : null;
  return { limit: first ?? last ?? defaultSize, backward, cursor };
}

/** A page size argument: a whole number from 0 to MAX_PAGE_SIZE. */
export function checkSize(argument: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > MAX_PAGE_SIZE) {
    throw badUserInput(argument, `must be between 0 and ${MAX_PAGE_SIZE}`, value);
  }
}

/**
 * A keyset page's pageInfo: `more` says whether rows lie beyond the page in
 * its direction; the other direction has rows exactly when a cursor was given.
 */
export function keysetPageInfo(page: PageRequest, more: boolean, edges: readonly { cursor: string }[]) {
  return {
    hasNextPage: page.backward ? page.cursor !== null : more,
    hasPreviousPage: page.backward ? more : page.cursor !== null,
    startCursor: edges[0]?.cursor ?? null,
    endCursor: edges.at(-1)?.cursor ?? null,
  };
}
