import { builder } from '../builder.js';

/**
 * Expected mutation failures are data, not GraphQL errors: every payload has
 * `userErrors`, each naming the input field (a path) and a stable code.
 */
export const UserErrorCode = builder.enumType('UserErrorCode', {
  description: 'Why a mutation refused its input.',
  values: {
    INVALID: { description: 'A value is malformed or out of range.' },
    NOT_FOUND: { description: 'A referenced object (by id or key) does not exist in this workspace.' },
    CONFLICT: { description: 'A key or externalId is already taken.' },
    INVALID_TRANSITION: { description: 'The content status cannot move from its current value to the requested one.' },
    IN_USE: { description: 'The object is still referenced and cannot be deleted.' },
    TOO_MANY: { description: 'The input holds more items than one call accepts.' },
    NOT_CONFIGURED: { description: 'The server lacks a setting the mutation needs (e.g. WEBHOOK_SECRET_KEY for webhook endpoints).' },
  } as const,
});

export type UserErrorCodeValue = 'INVALID' | 'NOT_FOUND' | 'CONFLICT' | 'INVALID_TRANSITION' | 'IN_USE' | 'TOO_MANY' | 'NOT_CONFIGURED';

export interface UserErrorShape {
  /** Path into the mutation's arguments, e.g. ["input", "pieces", "3", "externalId"]. */
  field: string[];
  message: string;
  code: UserErrorCodeValue;
}

export const UserError = builder.objectRef<UserErrorShape>('UserError').implement({
  description: 'Why a mutation refused its input, and which input field is at fault.',
  fields: (t) => ({
    field: t.exposeStringList('field', { description: 'Path to the offending input field, starting with the argument name, e.g. ["input", "key"]. List indexes appear as strings.' }),
    message: t.exposeString('message', { description: 'A sentence for people.' }),
    code: t.field({ type: UserErrorCode, description: 'A stable code for programs.', resolve: (e) => e.code }),
  }),
});

/** Thrown inside a mutation to refuse it; the transaction rolls back. */
export class UserInputError extends Error {
  constructor(readonly errors: UserErrorShape[]) {
    super(errors.map((e) => `${e.field.join('.')}: ${e.message}`).join('; '));
  }
}

export function refuse(field: string[], code: UserErrorCodeValue, message: string): never {
  throw new UserInputError([{ field, code, message }]);
}
