import { brandWithType, type OutputType } from '@pothos/core';
import { queryFromInfo } from '@pothos/plugin-prisma';
import { decodeGlobalID } from '@pothos/plugin-relay';
import type { GraphQLResolveInfo } from 'graphql';
import { builder, type Types } from '../builder.js';
import { workspaceId, type Context } from '../context.js';
import { badUserInput } from '../errors.js';

/**
 * node(id) and nodes(ids): any object by its global ID. Each node type
 * declares its scope (nodeScope, in its prismaNode's findUnique); a lookup
 * reads inside it only, so another workspace's id, or a draft's for a
 * DELIVERY key, is not found (null) rather than refused, which would confirm
 * it exists. nodes(ids) reads each type's rows in one statement, with the
 * selection of that type's fragment (nested relations included).
 */

/** nodes(ids) answers at most this many, like every list. */
export const MAX_NODES = 100;

/** The rows of one node type a request may see, as a Prisma `where` of its model. */
type Scope = (ctx: Context) => object;

/** By node type name, which is also its Prisma model's name. */
const scopes = new Map<string, Scope>();

/**
 * Registers the scope of node type `typename` and answers its prismaNode
 * `findUnique`, so node(id) and nodes(ids) read inside the same scope.
 */
export function nodeScope<W extends object>(typename: string, scope: (ctx: Context) => W): (id: string, ctx: Context) => { id: string; AND: W[] } {
  scopes.set(typename, scope);
  return (id, ctx) => ({ id, AND: [scope(ctx)] });
}

/** The scope of most types: the caller's workspace. */
export const inWorkspace = (ctx: Context) => ({ workspaceId: workspaceId(ctx) });

builder.queryFields((t) => ({
  node: t.field({
    type: builder.nodeInterfaceRef(),
    nullable: true,
    authScopes: { delivery: true },
    description: 'Fetches an object of the caller\'s workspace by its global ID; null when there is none.',
    args: { id: t.arg.id({ required: true, description: 'A global ID.' }) },
    resolve: async (_root, { id }, ctx, info) => (await loadNodes(ctx, info, 'id', [id]))[0] ?? null,
  }),
  nodes: t.field({
    type: [builder.nodeInterfaceRef()],
    nullable: { list: false, items: true },
    authScopes: { delivery: true },
    description: `Fetches objects of the caller's workspace by their global IDs (at most ${MAX_NODES}), in order; null for each one there is not.`,
    args: { ids: t.arg.idList({ required: true, description: 'Global IDs.' }) },
    resolve: (_root, { ids }, ctx, info) => {
      if (ids.length > MAX_NODES) throw badUserInput('ids', `at most ${MAX_NODES} ids per call`, ids.length);
      return loadNodes(ctx, info, 'ids', ids);
    },
  }),
}));

/** The objects for `globalIds`, in order, null where there is none: one statement per type. */
async function loadNodes(ctx: Context, info: GraphQLResolveInfo, argument: string, globalIds: readonly string[]): Promise<(object | null)[]> {
  const wanted = globalIds.map((globalId) => parseGlobalId(globalId, argument));
  const idsByType = new Map<string, Set<string>>();
  for (const { typename, id } of wanted) idsByType.set(typename, (idsByType.get(typename) ?? new Set()).add(id));
  const found = new Map<string, object>();
  await Promise.all(
    [...idsByType].map(async ([typename, ids]) => {
      for (const row of await loadRows(ctx, info, typename, [...ids])) {
        // Node.resolveType reads the brand: the row's type is known here, not from its shape.
        brandWithType(row, typename as OutputType<Types>);
        found.set(`${typename}:${row.id}`, row);
      }
    }),
  );
  return wanted.map(({ typename, id }) => found.get(`${typename}:${id}`) ?? null);
}

async function loadRows(ctx: Context, info: GraphQLResolveInfo, typename: string, ids: string[]): Promise<{ id: string }[]> {
  const scope = scopes.get(typename) as Scope;
  const query = await queryFromInfo({ context: ctx, info, typeName: typename, awaitSelections: true });
  // Every model's delegate has the same findMany; the type name picks it (Channel → prisma.channel).
  const delegate = ctx.prisma[`${typename[0]?.toLowerCase()}${typename.slice(1)}` as keyof Context['prisma']] as unknown as {
    findMany(args: object): Promise<{ id: string }[]>;
  };
  return delegate.findMany({ ...query, where: { AND: [scope(ctx), { id: { in: ids } }] } });
}

/** A global ID of a node type, or BAD_USER_INPUT naming the argument. */
function parseGlobalId(globalId: string, argument: string): { typename: string; id: string } {
  let decoded: { typename: string; id: string };
  try {
    decoded = decodeGlobalID(globalId);
  } catch {
    throw badUserInput(argument, 'not a global ID', globalId);
  }
  if (!scopes.has(decoded.typename)) throw badUserInput(argument, `not a global ID: no object type "${decoded.typename}" has IDs`, globalId);
  return decoded;
}
