import { z } from 'zod';
import { UserInputError } from './user-errors.js';

/**
 * Input validation with zod: every issue becomes a userError whose field is
 * the path into the mutation's arguments.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, path: string[] = ['input']): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new UserInputError(
    result.error.issues.map((issue) => ({ field: [...path, ...issue.path.map(String)], code: 'INVALID', message: issue.message })),
  );
}

/** Stable keys people reference from outside: lowercase slugs. */
export const keySchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be 1-63 lowercase letters, digits, "-" or "_", starting with a letter or digit');

/** PostgreSQL text cannot hold U+0000 (it throws); refused as input on both databases alike. */
const NO_NUL = [(value: string) => !value.includes('\u0000'), 'must not contain NUL characters (U+0000)'] as const;

export const nameSchema = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').refine(...NO_NUL);

export const descriptionSchema = z.string().max(5000, 'must be at most 5000 characters').refine(...NO_NUL).nullish();
