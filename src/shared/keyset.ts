import { queryFromInfo } from '@pothos/plugin-prisma';
import { Kind, type GraphQLResolveInfo } from 'graphql';
import type { Context } from '../context.js';
import { issueCursor, notACursor, readCursor } from './cursor.js';
import { keysetPageInfo, pageRequest, type PagingArgs } from './paging.js';

/**
 * Keyset paging for the lists read through Prisma. A cursor carries the sort
 * values of its row (signed, see cursor.ts), and the next page is the rows
 * beyond those values inside the list's own `where`: the workspace and what
 * the caller may see. No row is ever looked up by a cursor, so a cursor can
 * only ever position a page among rows the caller may read anyway.
 */
export interface SortKey {
  /** The column, through to-one relations where needed: ['title'], ['phase', 'position']. */
  path: string[];
  direction: 'asc' | 'desc';
  kind: 'string' | 'number' | 'date';
  /** A nullable column sorts its nulls last. */
  nullable?: boolean;
}

/** A named order; its last key must be unique (the id), so positions are total. */
export interface ListOrder {
  name: string;
  keys: SortKey[];
}

export const byId: SortKey = { path: ['id'], direction: 'asc', kind: 'string' };

/** The common orders: by stable key, and oldest first. */
export const byKey: ListOrder = { name: 'KEY', keys: [{ path: ['key'], direction: 'asc', kind: 'string' }, byId] };
export const oldestFirst: ListOrder = { name: 'CREATED_AT', keys: [{ path: ['createdAt'], direction: 'asc', kind: 'date' }, byId] };

/** What the connection fields of a keyset list resolve from. */
export interface KeysetPage<Row> {
  edges: { cursor: string; node: Row }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: () => Promise<number>;
}

/** The `totalCount` field of a keyset connection, counted only when asked for: `t.int(totalCountField)`. */
export const totalCountField = {
  description: 'How many items the whole list holds, across all pages.',
  resolve: (page: object) => (page as KeysetPage<unknown>).totalCount(),
};

/** Where each Prisma model plugs in: any where/orderBy/select it accepts. */
type Query = Record<string, unknown>;

export interface KeysetOptions<Row, Where> {
  ctx: Context;
  info: GraphQLResolveInfo;
  args: PagingArgs;
  /** The list's name, e.g. contentPieces: cursors are honoured by their own list only. */
  list: string;
  /** The GraphQL type of its nodes, for the selection of nested fields. */
  typeName: string;
  order: ListOrder;
  /** Everything the caller may see of the list, filters included. */
  where: Where;
  /**
   * The model's findMany. The query is Prisma syntax built at run time (where,
   * orderBy, take, select); `never` lets every model's delegate take it as is.
   */
  findMany: (query: never) => Promise<Row[]>;
  count: (where: Where) => Promise<number>;
}

export async function keysetConnection<Row extends object, Where extends object>(options: KeysetOptions<Row, Where>): Promise<KeysetPage<Row>> {
  const { ctx, info, order } = options;
  const page = pageRequest(options.args);
  // The order is part of the list's name: a position in one order means nothing in another.
  const list = `${options.list}(${order.name})`;
  const position = page.cursor ? positionOf(ctx, list, order, page.cursor) : null;
  const totalCount = () => options.count(options.where);
  if (!selectsItems(info)) return { edges: [], pageInfo: emptyPageInfo(), totalCount };

  const selection = await queryFromInfo({ context: ctx, info, typeName: options.typeName, select: sortSelection(order), paths: [['edges', 'node']], awaitSelections: true });
  const where = position ? { AND: [options.where, beyond(order.keys, position, page.backward)] } : options.where;
  const query = { ...selection, where, orderBy: order.keys.map((key) => orderOf(key, page.backward)), take: page.limit + 1 };
  const rows = await options.findMany(query as never);
  const more = rows.length > page.limit;
  const items = rows.slice(0, page.limit);
  if (page.backward) items.reverse();
  const edges = items.map((node) => ({ node, cursor: issueCursor(ctx, list, order.keys.map((key) => serialise(valueAt(node, key.path)))) }));
  return {
    edges,
    pageInfo: keysetPageInfo(page, more, edges),
    totalCount,
  };
}

type Value = string | number | Date | null;

function positionOf(ctx: Context, list: string, order: ListOrder, cursor: { raw: string; argument: 'after' | 'before' }): Value[] {
  const payload = readCursor(ctx, list, cursor.raw, cursor.argument);
  const values = Array.isArray(payload) && payload.length === order.keys.length ? order.keys.map((key, i) => deserialise(key, payload[i])) : [undefined];
  if (values.some((value) => value === undefined)) throw notACursor(list, cursor.argument, cursor.raw);
  return values as Value[];
}

/**
 * The rows beyond a position: for some key, every earlier key equal and
 * this one past the value (in the key's direction, nulls last).
 */
function beyond(keys: SortKey[], values: Value[], backward: boolean): Query {
  const branches: Query[] = [];
  keys.forEach((key, i) => {
    const past = pastValue(key, values[i] ?? null, backward);
    if (past.length === 0) return;
    const equal = keys.slice(0, i).map((earlier, j) => nested(earlier.path, values[j] ?? null));
    branches.push({ AND: [...equal, { OR: past.map((condition) => nested(key.path, condition)) }] });
  });
  // No branch: nothing lies beyond (a null in the last nulls-last key); Prisma reads an empty OR as false.
  return { OR: branches };
}

/** The conditions on one column (any of them) for rows strictly past `value`. */
function pastValue(key: SortKey, value: Value, backward: boolean): unknown[] {
  // Paging backward walks the order in reverse: "past" is "before".
  const ascending = (key.direction === 'asc') !== backward;
  // Nulls sort last: nothing follows them, everything non-null precedes them.
  if (value === null) return backward ? [{ not: null }] : [];
  const comparison = ascending ? { gt: value } : { lt: value };
  // Forward, the nulls after the last value are past it too; backward they never are.
  return key.nullable && !backward ? [comparison, null] : [comparison];
}

/** `{ a: { is: { b: condition } } }` for the path a.b: to-one relations filter with `is`. */
function nested(path: string[], condition: unknown): Query {
  const [head, ...rest] = path as [string, ...string[]];
  return rest.length === 0 ? { [head]: condition } : { [head]: { is: nested(rest, condition) } };
}

function orderOf(key: SortKey, backward: boolean): Query {
  const direction = (key.direction === 'asc') !== backward ? 'asc' : 'desc';
  const leaf = key.nullable ? { sort: direction, nulls: backward ? 'first' : 'last' } : direction;
  return key.path.reduceRight<unknown>((inner, name) => ({ [name]: inner }), leaf) as Query;
}

interface Selection {
  [name: string]: true | { select: Selection };
}

/** The columns the cursors need, selected whatever the client asked for. */
function sortSelection(order: ListOrder): Selection {
  const selection: Selection = {};
  for (const { path } of order.keys) {
    let level = selection;
    path.forEach((name, i) => {
      if (i === path.length - 1) level[name] = true;
      else level = ((level[name] ??= { select: {} }) as { select: Selection }).select;
    });
  }
  return selection;
}

function valueAt(row: object, path: string[]): Value {
  let value: unknown = row;
  for (const name of path) value = (value as Record<string, unknown> | null)?.[name];
  return (value ?? null) as Value;
}

function serialise(value: Value): string | number | null {
  return value instanceof Date ? value.toISOString() : value;
}

/** A cursor's value for a key, or undefined when it cannot be one. */
function deserialise(key: SortKey, value: unknown): Value | undefined {
  if (value === null) return key.nullable ? null : undefined;
  if (key.kind === 'number') return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  if (key.kind === 'string') return value;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** False when only totalCount (or __typename) is asked for: then no rows are read. */
function selectsItems(info: GraphQLResolveInfo): boolean {
  return info.fieldNodes.some((node) =>
    (node.selectionSet?.selections ?? []).some((s) => s.kind !== Kind.FIELD || (s.name.value !== 'totalCount' && s.name.value !== '__typename')),
  );
}

function emptyPageInfo(): KeysetPage<never>['pageInfo'] {
  return { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null };
}
