import {
  getOperationAST,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type ArgumentNode,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type ValueNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { badUserInput } from '../errors.js';

/**
 * Query arguments that no field could use: a string holding U+0000, which
 * PostgreSQL refuses as a parameter (the request would fail as an internal
 * error), or one longer than any argument needs. Refused as BAD_USER_INPUT
 * naming the argument (e.g. "filter.search"), before any resolver runs.
 * Mutation inputs are left to the mutations, which answer such values as
 * userErrors on the field.
 */
export const MAX_ARGUMENT_LENGTH = 10_000;

export function stringArgumentsPlugin(maxLength = MAX_ARGUMENT_LENGTH): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const error = badStringArgument(args.schema, args.document, args.operationName, args.variableValues ?? {}, maxLength);
      // A request error like a bad variable: 400 under application/graphql-response+json.
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}

function badStringArgument(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
  maxLength: number,
): GraphQLError | null {
  const operation = getOperationAST(document, operationName);
  if (!operation) return null;
  const defaults = new Map((operation.variableDefinitions ?? []).map((definition) => [definition.variable.name.value, definition.defaultValue]));
  const mutationType = schema.getMutationType();
  const typeInfo = new TypeInfo(schema);
  let found: GraphQLError | null = null;

  const check = (value: unknown, path: string): void => {
    if (found) return;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) found = refusal(path, 'must not contain NUL characters (U+0000)');
      else if (value.length > maxLength) found = refusal(path, `must be at most ${maxLength} characters; got ${value.length}`);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => check(item, `${path}.${i}`));
    } else if (value && typeof value === 'object') {
      for (const [name, item] of Object.entries(value)) check(item, `${path}.${name}`);
    }
  };
  const checkNode = (node: ValueNode, path: string): void => {
    switch (node.kind) {
      case Kind.STRING:
        return check(node.value, path);
      case Kind.LIST:
        return node.values.forEach((item, i) => checkNode(item, `${path}.${i}`));
      case Kind.OBJECT:
        return node.fields.forEach((field) => checkNode(field.value, `${path}.${field.name.value}`));
      case Kind.VARIABLE: {
        const name = node.name.value;
        if (variables[name] !== undefined) return check(variables[name], path);
        const fallback = defaults.get(name);
        return fallback ? checkNode(fallback, path) : undefined;
      }
      default:
        return undefined;
    }
  };

  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      // Only the operation that runs (and the fragments it may spread).
      OperationDefinition: (node) => (node === operation ? undefined : false),
      Argument(node: ArgumentNode) {
        if (found || (mutationType && typeInfo.getParentType() === mutationType)) return;
        checkNode(node.value, node.name.value);
      },
    }),
  );
  return found;
}

function refusal(argument: string, message: string): GraphQLError {
  const error = badUserInput(argument, message);
  Object.assign(error.extensions, { http: { status: 400, spec: true } });
  return error;
}
