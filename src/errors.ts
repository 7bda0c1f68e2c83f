import { GraphQLError } from 'graphql';

/**
 * Errors for queries, with the stable `extensions.code` values the API
 * documents. Mutations report expected failures as `userErrors` instead
 * (see mutations/payload.ts).
 */
export type ErrorCode = 'BAD_USER_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND';

export function badUserInput(argument: string, message: string, value?: unknown): GraphQLError {
  const got = value === undefined ? '' : `; got ${JSON.stringify(value)}`;
  return new GraphQLError(`Argument "${argument}": ${message}${got}`, {
    extensions: { code: 'BAD_USER_INPUT', argument, ...(value === undefined ? {} : { value }) },
  });
}

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}

/** Not allowed for the caller's role; `argument` names the argument when only its use is refused. */
export function forbidden(message: string, argument?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN', ...(argument ? { argument } : {}) } });
}
