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

/**
 * The string rules every input follows (the README's "String inputs" table).
 * Lengths count UTF-16 code units, as JavaScript does. One-line texts (names,
 * keys, references, ids, URLs) hold no control character at all: a line
 * break in a name would break every format it is written into (the iCalendar
 * feed, CSV, logs). Long texts (descriptions, summaries, notes) may hold tabs
 * and line breaks, nothing else. PostgreSQL cannot store U+0000 at all.
 */
export const MAX_NAME = 200;
export const MAX_LONG_TEXT = 5000;
export const MAX_KEY = 63;
export const MAX_URL = 2048;
export const MAX_DEVICE = 100;
/** A global ID is base64 of "<Type>:<id>", under 60 characters. */
export const MAX_ID = 100;

// C0 controls, DEL and C1 controls.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// The same without tab, line feed and carriage return.
const CONTROL_IN_LONG_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

const NO_CONTROL = 'must not contain control characters (line breaks, tabs, U+0000-U+001F, U+007F-U+009F)';
const NO_CONTROL_IN_LONG_TEXT = 'must not contain control characters other than tabs and line breaks (U+0000-U+001F, U+007F-U+009F)';
const atMost = (max: number) => `must be at most ${max} characters`;

export const isOneLine = (value: string) => !CONTROL.test(value);
export const isLongText = (value: string) => !CONTROL_IN_LONG_TEXT.test(value);

/** One line of text as given: references and ids. A bad one is refused without looking it up. */
export function lineSchema(max: number) {
  // abort: one reason per field is enough; the rest would only repeat it.
  return z.string().refine(isOneLine, { message: NO_CONTROL, abort: true }).max(max, atMost(max));
}

/** A label people read (a name, title, externalId, device): one line, trimmed, not empty. */
export function labelSchema(max: number) {
  return z.string().refine(isOneLine, { message: NO_CONTROL, abort: true }).trim().min(1, 'must not be empty').max(max, atMost(max));
}

export const nameSchema = labelSchema(MAX_NAME);

/** Free text over several lines; null clears it. */
export const descriptionSchema = z
  .string()
  .refine(isLongText, { message: NO_CONTROL_IN_LONG_TEXT, abort: true })
  .max(MAX_LONG_TEXT, atMost(MAX_LONG_TEXT))
  .nullish();

/** Stable keys people reference from outside: lowercase slugs. */
export const keySchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, `must be 1-${MAX_KEY} lowercase letters, digits, "-" or "_", starting with a letter or digit`);

/** A reference to something by its key: one that could never be a key names nothing. */
export const refSchema = lineSchema(MAX_KEY);

/** A global ID as given in an input. */
export const idSchema = lineSchema(MAX_ID);

/** Refuses `value` as INVALID on `field` unless it could be a key. */
export function checkRef(value: string, field: string[]): string {
  return parseInput(refSchema, value, field);
}
