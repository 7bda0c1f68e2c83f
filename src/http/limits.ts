import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { getOperationAST, GraphQLError, validate, type DocumentNode, type GraphQLSchema, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { expensiveFieldsOf, idsRequested, withListSizes } from './operation-size.js';

/**
 * Query limits: GraphQL Armor's rules, configured, and per-request budgets.
 * Each refuses an abusive operation while it is parsed or validated, or,
 * where the variables count, just before execution: either way before any
 * resolver or SQL runs, with extensions.code QUERY_LIMIT_EXCEEDED and
 * `limit` naming the limit.
 */
export interface QueryLimits {
  /** Deepest field nesting; a connection costs three levels (connection, edges, node). */
  depth: number;
  aliases: number;
  directives: number;
  /** Lexical tokens in the query text. */
  tokens: number;
  /** GraphQL Armor's cost: objects 2, scalars 1, ×1.5 per level, × `first`/`last` or list argument length of each field. */
  cost: number;
  /** Ids looked up through node(id) and nodes(ids) in one request, all aliases together. */
  ids: number;
  /** Calls of expensive root fields (see operation-size.ts) in one request, all aliases together. */
  expensiveFields: number;
}

/**
 * Measured on every query in the README, test/operations and the tests
 * (deepest 9, cost of the largest under 20,000): each limit leaves room above
 * the largest legitimate query and refuses what only an attacker writes.
 * 100 ids, like every list; two expensive fields, so a front end can ask for
 * a matrix and its gaps at once.
 */
export const DEFAULT_QUERY_LIMITS: QueryLimits = { depth: 12, aliases: 30, directives: 20, tokens: 2000, cost: 50_000, ids: 100, expensiveFields: 2 };

/** `repeatedFields` is graphql-js's own, fixed: see repeatedFieldsPlugin. */
export type LimitName = 'depth' | 'aliases' | 'directives' | 'tokens' | 'cost' | 'ids' | 'expensiveFields' | 'repeatedFields';

function limitError(limit: LimitName, error: GraphQLError | string): GraphQLError {
  // Armor prefixes every refusal with "Syntax Error: ", which it is not.
  const message = typeof error === 'string' ? error : error.message.replace(/^Syntax Error: /, '');
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
    repeatedFieldsPlugin(),
    requestBudgetPlugin(limits),
  ];
}

/**
 * graphql-js stops validating an operation whose fields it would have to
 * compare too often (hundreds of repeats of one field or fragment in one
 * selection) and answers a bare "Validation aborted.". That is a limit like
 * the others, fixed in graphql-js: reported as one, with a message that says
 * what to change.
 */
function repeatedFieldsPlugin(): Plugin {
  const message = 'The operation repeats the same fields or fragments too often to be validated; select each field once per selection.';
  return {
    onValidate() {
      return ({ result, setResult }) => {
        if (result.some(isValidationAborted)) setResult(result.map((error) => (isValidationAborted(error) ? limitError('repeatedFields', message) : error)));
      };
    },
  };
}

/** graphql-js's one error for giving up; its message is fixed text without a location. */
function isValidationAborted(error: Error): boolean {
  return error.message === 'Validation aborted.' && !(error as GraphQLError).locations;
}

/**
 * What only the variables tell, checked just before execution: the cost
 * (Armor's rule, on a copy of the document with each list's size written in,
 * see withListSizes), the ids looked up and the expensive root fields called.
 * Not in validation: Yoga caches validation results per document, and these
 * depend on the variables. A document that fails validation never gets here,
 * so its errors (an Int literal out of range, say) are not hidden behind a
 * cost computed from it.
 */
function requestBudgetPlugin(limits: QueryLimits): Plugin {
  const costRule = costLimitRule({ maxCost: limits.cost, ...reportAs('cost') });
  // The same document with the same variables always gets the same verdict: a website's repeated request is judged once.
  const verdicts = new Verdicts();
  const judge = (document: DocumentNode, schema: GraphQLSchema, operationName: string | null | undefined, variables: Record<string, unknown>): GraphQLError[] => {
    const errors = [...validate(schema, withListSizes(document, variables), [costRule])];
    const operation = getOperationAST(document, operationName);
    if (operation) {
      const ids = idsRequested(document, operation, variables);
      if (ids > limits.ids) errors.push(limitError('ids', `The request looks up ${ids} ids through node and nodes; at most ${limits.ids} per request.`));
      const expensive = expensiveFieldsOf(document, operation, variables);
      if (expensive.length > limits.expensiveFields) {
        errors.push(limitError('expensiveFields', `The request calls ${expensive.length} expensive fields (${expensive.join(', ')}); at most ${limits.expensiveFields} per request.`));
      }
    }
    return errors;
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const variables = (args.variableValues ?? {}) as Record<string, unknown>;
      const key = `${args.operationName ?? ''}\n${JSON.stringify(variables)}`;
      const errors = verdicts.of(args.document, key) ?? verdicts.remember(args.document, key, judge(args.document, args.schema, args.operationName, variables));
      // A request error like a validation error: 400 under application/graphql-response+json.
      const http = { status: 400, spec: true };
      if (errors.length > 0) setResultAndStopExecution({ errors: errors.map((e) => new GraphQLError(e.message, { extensions: { ...e.extensions, http } })) });
    },
  };
}

/**
 * The verdicts on a document's variable sets, the last 256 per document.
 * Only small sets are remembered: a website's repeated requests are; a
 * batch of 500 interactions or an import of 1,000 rows (100 kB or more,
 * never sent twice) is judged each time, in less time than its own
 * execution takes, instead of 256 of them being kept per document.
 */
export class Verdicts {
  static readonly PER_DOCUMENT = 256;
  static readonly LONGEST_KEY = 4096;
  private readonly byDocument = new WeakMap<DocumentNode, Map<string, GraphQLError[]>>();

  of(document: DocumentNode, key: string): GraphQLError[] | undefined {
    return this.byDocument.get(document)?.get(key);
  }

  remember(document: DocumentNode, key: string, errors: GraphQLError[]): GraphQLError[] {
    if (key.length > Verdicts.LONGEST_KEY) return errors;
    let known = this.byDocument.get(document);
    if (!known) this.byDocument.set(document, (known = new Map()));
    if (known.size >= Verdicts.PER_DOCUMENT) known.delete(known.keys().next().value as string);
    known.set(key, errors);
    return errors;
  }

  /** How many verdicts are kept for the document. */
  count(document: DocumentNode): number {
    return this.byDocument.get(document)?.size ?? 0;
  }
}
