import { z } from 'zod';
import { UserInputError, type UserErrorShape } from '../shared/user-errors.js';
import { descriptionSchema, labelSchema, lineSchema, MAX_NAME, MAX_URL, nameSchema, parseInput } from '../shared/validation.js';

/**
 * The rules every way of writing a piece shares (create, update, import).
 * Each check adds to an error list instead of stopping at the first, so an
 * import can report every bad row at once.
 */
// Inputs take the URL as a string so a bad one is a userError on its field
// (and, in an import, one of many reported rows), not a failed request.
// The URL parser would silently drop tabs and line breaks; they are refused like in any other line.
const urlSchema = lineSchema(MAX_URL).transform((value, ctx) => {
  const url = URL.canParse(value) ? new URL(value) : null;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    ctx.addIssue({ code: 'custom', message: 'must be an absolute http or https URL' });
    return z.NEVER;
  }
  // Normalising percent-encodes, which can lengthen it.
  const normalised = url.toString();
  if (normalised.length > MAX_URL) ctx.addIssue({ code: 'custom', message: `must be at most ${MAX_URL} characters once normalised; got ${normalised.length}` });
  return normalised;
});

const listOf = <T extends z.ZodType>(item: T, what: string) => z.array(item).max(100, `must name at most 100 ${what}`);

export const pieceFieldsSchema = z.object({
  title: nameSchema,
  summary: descriptionSchema,
  format: z.string(),
  status: z.string(),
  locale: z.string(),
  url: urlSchema.nullish(),
  externalId: labelSchema(MAX_NAME).nullish(),
  publishAt: z.date().nullish(),
  expiresAt: z.date().nullish(),
  reviewAt: z.date().nullish(),
  priority: z.number().int().min(0, 'must be between 0 and 100').max(100, 'must be between 0 and 100'),
  needType: z.string().nullish(),
  phases: listOf(z.unknown(), 'phases').min(1, 'must name at least one phase'),
  channels: listOf(z.string(), 'channels').min(1, 'must name at least one channel'),
  segments: listOf(z.string(), 'segments').nullish(),
  touchpoints: listOf(z.string(), 'touchpoints').nullish(),
});

export type PieceFields = z.infer<typeof pieceFieldsSchema>;

/** Parses with `schema`, adding any issues to `errors`; null when there were some. */
export function collect<S extends z.ZodType>(schema: S, value: unknown, path: string[], errors: UserErrorShape[]): z.infer<S> | null {
  try {
    return parseInput(schema, value, path);
  } catch (error) {
    if (!(error instanceof UserInputError)) throw error;
    errors.push(...error.errors);
    return null;
  }
}

/** expiresAt must come after publishAt, or the piece would never be live. */
export function checkWindow(publishAt: Date | null | undefined, expiresAt: Date | null | undefined, path: string[], errors: UserErrorShape[]) {
  if (publishAt && expiresAt && expiresAt.getTime() <= publishAt.getTime()) {
    errors.push({ field: [...path, 'expiresAt'], code: 'INVALID', message: 'must be after publishAt' });
  }
}

/** A scheduled piece waits for its publishAt, so it must have one. */
export function checkScheduled(status: string, publishAt: Date | null | undefined, path: string[], errors: UserErrorShape[]) {
  if (status === 'SCHEDULED' && !publishAt) {
    errors.push({ field: [...path, 'publishAt'], code: 'INVALID', message: 'a SCHEDULED piece needs a publishAt' });
  }
}

export function failIfAny(errors: UserErrorShape[]) {
  if (errors.length > 0) throw new UserInputError(errors);
}
