import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { GraphQLError, Kind, validate, visit, type DocumentNode, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Query limits: GraphQL Armor's rules, configured. Each refuses an abusive
 * operation while it is parsed or validated, so no resolver and no SQL runs,
 * with extensions.code QUERY_LIMIT_EXCEEDED and `limit` naming the limit.
 */
export interface QueryLimits {
  /** Deepest field nesting; a connection costs three levels (connection, edges, node). */
  depth: number;
  aliases: number;
  directives: number;
  /** Lexical tokens in the query text. */
  tokens: number;
  /** GraphQL Armor's cost: objects 2, scalars 1, ×1.5 per level, × `first`/`last` of each list. */
  cost: number;
}

/**
 * Measured on every query in the README, test/operations and the tests
 * (deepest 9, cost of the largest under 20,000): each limit leaves room above
 * the largest legitimate query and refuses what only an attacker writes.
 */
export const DEFAULT_QUERY_LIMITS: QueryLimits = { depth: 12, aliases: 30, directives: 20, tokens: 2000, cost: 50_000 };

export type LimitName = 'depth' | 'aliases' | 'directives' | 'tokens' | 'cost';

function limitError(limit: LimitName, error: GraphQLError): GraphQLError {
  // Armor prefixes every refusal with "Syntax Error: ", which it is not.
  const message = error.message.replace(/^Syntax Error: /, '');
  return new GraphQLError(message, { extensions: { code: 'QUERY_LIMIT_EXCEEDED', limit } });
}

/** Armor's callbacks: report the refusal as a validation error carrying our code. */
function reportAs(limit: LimitName) {
  return {
    propagateOnRejection: false,
    onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(limitError(limit, error))],
  };
}

export function queryLimitPlugins(limits: QueryLimits): Plugin[] {
  return [
    maxTokensPlugin({
      n: limits.tokens,
      // Tokens are counted while parsing, with no validation context to report to: throwing is the parse error.
      onReject: [
        (_context, error) => {
          throw limitError('tokens', error);
        },
      ],
    }),
    maxDepthPlugin({ n: limits.depth, ...reportAs('depth') }),
    maxAliasesPlugin({ n: limits.aliases, ...reportAs('aliases') }),
    maxDirectivesPlugin({ n: limits.directives, ...reportAs('directives') }),
    costLimitPlugin(limits.cost),
  ];
}

/**
 * Armor's cost rule multiplies by `first`/`last` only when written in the
 * query; `first: $n` would count as 1. So it runs twice: as a validation
 * rule (cached per document, like every rule), and, when a page size is a
 * variable, again before execution on a copy of the document with the
 * variables' values written in, which weighs a list by the size asked for.
 * (Not in validation: Yoga caches validation results per document, and this
 * one depends on the variables.) Both come before any resolver.
 */
function costLimitPlugin(maxCost: number): Plugin {
  const rule = costLimitRule({ maxCost, ...reportAs('cost') });
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(rule);
    },
    onExecute({ args, setResultAndStopExecution }) {
      const document = withPageSizes(args.document, args.variableValues ?? {});
      if (document === args.document) return;
      const errors = validate(args.schema, document, [rule]);
      // A request error like a validation error: 400 under application/graphql-response+json.
      const http = { status: 400, spec: true };
      if (errors.length > 0) setResultAndStopExecution({ errors: errors.map((e) => new GraphQLError(e.message, { extensions: { ...e.extensions, http } })) });
    },
  };
}

/** The document with variable page sizes written in; the same object when it has none. */
function withPageSizes(document: DocumentNode, variables: Record<string, unknown>): DocumentNode {
  const defaults = new Map<string, unknown>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const variable of definition.variableDefinitions ?? []) {
      if (variable.defaultValue?.kind === Kind.INT) defaults.set(variable.variable.name.value, Number(variable.defaultValue.value));
    }
  }
  return visit(document, {
    Argument(node) {
      if ((node.name.value !== 'first' && node.name.value !== 'last') || node.value.kind !== Kind.VARIABLE) return undefined;
      const name = node.value.name.value;
      const value = variables[name] ?? defaults.get(name);
      // Anything but a 32-bit whole number fails variable coercion next; leave it to that.
      if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) > 2 ** 31) return undefined;
      return { ...node, value: { kind: Kind.INT, value: String(value) } };
    },
  });
}
