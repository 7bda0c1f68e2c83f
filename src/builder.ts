import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { DateTimeResolver, LocaleResolver, URLResolver } from 'graphql-scalars';
import { hasRole } from './auth/viewer.js';
import type { Context } from './context.js';
import { forbidden, unauthenticated } from './errors.js';
import { getDatamodel } from './generated/pothos-types.js';
import type PrismaTypes from './generated/pothos-types.js';

/** The one schema builder. Domain modules import it and add their types. */
export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  AuthScopes: { delivery: boolean; editor: boolean; admin: boolean };
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    URL: { Input: URL; Output: URL | string };
    Locale: { Input: string; Output: string };
    ID: { Input: string; Output: string };
  };
}>({
  plugins: [RelayPlugin, ScopeAuthPlugin, PrismaPlugin],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    // Descriptions for what the relay plugin generates; connection and edge
    // types are named after their node in schema-descriptions.ts.
    idFieldOptions: { description: 'Global ID, for node(id:) and mutation inputs.' },
    nodeTypeOptions: { description: 'An object with a global ID.' },
    pageInfoTypeOptions: { description: 'Where a page sits in its list, for fetching the next or previous one.' },
    hasNextPageFieldOptions: { description: 'Whether more items follow this page.' },
    hasPreviousPageFieldOptions: { description: 'Whether items precede this page.' },
    startCursorFieldOptions: { description: 'Cursor of the first item of this page.' },
    endCursorFieldOptions: { description: 'Cursor of the last item of this page; pass it as `after` for the next page.' },
    pageInfoFieldOptions: { description: 'Paging information.' },
    edgesFieldOptions: { description: 'The items of this page, each with its cursor.' },
    nodeFieldOptions: { description: 'The item.' },
    cursorFieldOptions: { description: 'Opaque position of this item, for `after` and `before`.' },
    firstArgOptions: { description: 'Page size from the start (at most 100).' },
    afterArgOptions: { description: 'Return items after this cursor.' },
    lastArgOptions: { description: 'Page size from the end (at most 100).' },
    beforeArgOptions: { description: 'Return items before this cursor.' },
    // node and nodes are defined in nodes/node-lookup.ts: batched per type and scoped per type.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
  },
  scopeAuth: {
    authScopes: (ctx) => ({
      delivery: hasRole(ctx.viewer, 'DELIVERY'),
      editor: hasRole(ctx.viewer, 'EDITOR'),
      admin: hasRole(ctx.viewer, 'ADMIN'),
    }),
    unauthorizedError: (_parent, ctx, info) =>
      ctx.viewer
        ? forbidden(`The ${ctx.viewer.role} role may not use "${info.parentType.name}.${info.fieldName}".`)
        : unauthenticated('Send an API key: Authorization: Bearer <key>.'),
  },
  prisma: {
    // Set per request through the context, so one schema serves either database.
    client: (ctx) => ctx.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
    onUnusedQuery: process.env.NODE_ENV === 'development' ? 'warn' : null,
  },
});

// Longest inputs (README, "String inputs"): no instant needs more, and 35 is RFC 5646's size for a language tag.
const MAX_DATE_TIME = 64;
const MAX_LOCALE = 35;

builder.addScalarType('DateTime', asUserInputError(DateTimeResolver, MAX_DATE_TIME), {
  description: `An instant, as an ISO-8601 string with a time zone (e.g. 2026-03-29T09:00:00Z); at most ${MAX_DATE_TIME} characters.`,
});
builder.addScalarType('URL', asUserInputError(URLResolver), { description: 'An absolute URL.' });
builder.addScalarType('Locale', asUserInputError(LocaleResolver, MAX_LOCALE), { description: `A BCP 47 language tag, e.g. nl-NL or en; at most ${MAX_LOCALE} characters.` });

builder.queryType({ description: 'Everything a key may read, always within its own workspace.' });
builder.mutationType({ description: 'Changes to the caller\'s workspace. Expected failures come back as userErrors in each payload, and then nothing was written.' });

/**
 * Some scalars reject a bad value with a plain TypeError, which the server
 * would mask as an internal error; a bad value is the caller's mistake. A
 * string longer than `maxLength` is refused before parsing (the scalars'
 * own messages repeat the whole value).
 */
function asUserInputError(scalar: GraphQLScalarType, maxLength = Infinity): GraphQLScalarType {
  const config = scalar.toConfig();
  const wrap =
    <A extends unknown[], R>(parse: (...args: A) => R) =>
    (...args: A): R => {
      const text = rawText(args[0]);
      if (text !== null && text.length > maxLength) {
        throw new GraphQLError(`Not a valid ${scalar.name}: must be at most ${maxLength} characters; got ${text.length}`, { extensions: { code: 'BAD_USER_INPUT' } });
      }
      try {
        return parse(...args);
      } catch (error) {
        if (error instanceof GraphQLError) throw error;
        throw new GraphQLError(`Not a valid ${scalar.name}: ${(error as Error).message}`, { extensions: { code: 'BAD_USER_INPUT' } });
      }
    };
  return new GraphQLScalarType({
    ...config,
    parseValue: config.parseValue && wrap(config.parseValue),
    parseLiteral: config.parseLiteral && wrap(config.parseLiteral),
  });
}

/** The text a scalar is asked to parse: parseValue gets the value, parseLiteral its syntax node. */
function rawText(given: unknown): string | null {
  if (typeof given === 'string') return given;
  const node = given as ValueNode | null | undefined;
  return node?.kind === Kind.STRING ? node.value : null;
}

/** The builder's type parameters, for helpers that take field builders. */
export type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
