import { getOperationAST, getVariableValues, print, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../context.js';
import { callsWeighedFields, expensiveFieldsOf, idsRequested } from '../http/operation-size.js';
import type { AnalysisThreads } from './threads.js';

/**
 * More ids than this in one operation are a bulk lookup: its relations take
 * longer than any delivery request.
 */
const BULK_IDS = 10;

/**
 * Hands the heavy queries to the analysis threads: those calling an
 * expensive root field (the matrix, gaps, the calendar, a title search) or
 * looking up more than a few ids. Decided from the document and variables
 * after every limit has passed, so a refused request never takes a thread.
 * Everything else (recommendations, single lookups, `{ __typename }`,
 * mutations) runs here, where its latency is lowest.
 */
export function offloadPlugin(threads: AnalysisThreads): Plugin<Context> {
  // The text the client sent, so the thread's error locations point into it; printed only for a document parsed without one.
  const printed = new WeakMap<DocumentNode, string>();
  const weighedOperations = new WeakMap<OperationDefinitionNode, boolean>();
  const sourceOf = (document: DocumentNode) => {
    if (document.loc) return document.loc.source.body;
    let source = printed.get(document);
    if (source === undefined) printed.set(document, (source = print(document)));
    return source;
  };
  return {
    onExecute({ args, setExecuteFn }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (operation?.operation !== 'query') return;
      // Judged once per document: recommendations and other light documents go no further.
      let weighed = weighedOperations.get(operation);
      if (weighed === undefined) weighedOperations.set(operation, (weighed = callsWeighedFields(args.document, operation)));
      if (!weighed) return;
      const variables = (args.variableValues ?? {}) as Record<string, unknown>;
      if (expensiveFieldsOf(args.document, operation, variables).length === 0 && idsRequested(args.document, operation, variables) <= BULK_IDS) return;
      // Bad variables are refused here, as a request error (400), exactly as without threads.
      if (getVariableValues(args.schema, operation.variableDefinitions ?? [], variables).errors) return;
      const ctx = args.contextValue as Context;
      setExecuteFn(async (execution) => {
        const { freshUntil, ...result } = await threads.execute({
          source: sourceOf(execution.document),
          operationName: execution.operationName ?? null,
          variables: (execution.variableValues ?? {}) as Record<string, unknown>,
          viewer: ctx.viewer,
          mainVersion: ctx.viewer ? ctx.database.versions.of(ctx.viewer.workspaceId) : null,
          cursorKey: ctx.cursorKey,
          publicUrl: ctx.publicUrl,
          replica: ctx.database.replica,
        });
        if (freshUntil !== undefined && Number.isFinite(freshUntil)) ctx.freshness.limit(new Date(freshUntil));
        return result;
      });
    },
  };
}
