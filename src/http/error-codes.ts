import { GraphQLError, NoSchemaIntrospectionCustomRule, validate } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * graphql-js reports syntax errors, validation errors and bad variables
 * without an extensions.code; clients should not have to read messages. This
 * gives each a stable code: GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED
 * and BAD_USER_INPUT (a variable of the wrong type or value). Codes already
 * set (QUERY_LIMIT_EXCEEDED, ...) are kept.
 */
export function errorCodesPlugin(): Plugin {
  return {
    onParse() {
      return ({ result, replaceParseResult }) => {
        if (result instanceof GraphQLError && !result.extensions.code) replaceParseResult(withCode(result, 'GRAPHQL_PARSE_FAILED'));
      };
    },
    onValidate() {
      return ({ result, setResult }) => {
        if (result.length > 0) setResult(result.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED')));
      };
    },
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          // No `data` at all: the request failed before execution began, which
          // only bad variable values do (validation already passed).
          if ('errors' in result && result.errors && !('data' in result)) {
            setResult({ ...result, errors: result.errors.map((error) => withCode(error, 'BAD_USER_INPUT')) });
          }
        },
      };
    },
  };
}

function withCode(error: GraphQLError, code: string): GraphQLError {
  if (error.extensions.code) return error;
  return copyOf(error, { extensions: { ...error.extensions, code } });
}

/** The same error with another message or extensions (GraphQLError's are read-only). */
function copyOf(error: GraphQLError, changes: { message?: string; extensions?: GraphQLError['extensions'] }): GraphQLError {
  return new GraphQLError(changes.message ?? error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: changes.extensions ?? error.extensions,
  });
}

/** Refuses __schema and __type queries (GRAPHQL_VALIDATION_FAILED) when introspection is off. */
export function disableIntrospectionPlugin(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
}

/**
 * No "Did you mean …?" in errors: a misspelt field, argument, type or enum
 * value (in the query or in variables) would otherwise be answered with the
 * schema's names, which switching introspection off is meant to keep private.
 * graphql-js leaves them out of validation errors when asked to. Yoga's
 * executor does not pass that on to graphql 16's coercion of variables, so
 * there the sentence is taken out of the message (the only errors of a
 * result without data are variable errors, as in errorCodesPlugin).
 */
export function hideSuggestionsPlugin(): Plugin {
  return {
    onValidate({ setValidationFn }) {
      setValidationFn((schema, document, rules) => validate(schema, document, rules, { hideSuggestions: true }));
    },
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if ('errors' in result && result.errors && !('data' in result)) {
            setResult({ ...result, errors: result.errors.map((error) => copyOf(error, { message: error.message.replace(/ Did you mean [^?]*\?/g, '') })) });
          }
        },
      };
    },
  };
}
