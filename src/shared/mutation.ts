import { workspaceId, type Context } from '../context.js';
import { recordWrite } from '../db/versions.js';
import type { Prisma } from '../generated/sqlite/client.js';
import { UserInputError, type UserErrorShape } from './user-errors.js';

/** A Prisma client inside a transaction. */
export type Tx = Prisma.TransactionClient;

export interface Payload {
  userErrors: UserErrorShape[];
}

/**
 * Runs a mutation's work in one transaction. A refusal (UserInputError, or a
 * unique-key clash the checks did not catch, e.g. under a race) rolls
 * everything back and becomes `userErrors`; anything else is unexpected and
 * propagates (masked by the server).
 */
export async function runMutation<T extends object>(
  ctx: Context,
  work: (tx: Tx) => Promise<T>,
  conflictField: string[] = ['input'],
): Promise<Partial<T> & Payload> {
  try {
    // Through the writer: ctx.prisma is the read connection (see db/client.ts).
    const result = await ctx.database.prisma.$transaction(
      async (tx) => {
        const done = await work(tx);
        // Last, so a refused write records nothing; it commits with the write.
        await recordWrite(tx, ctx.provider, workspaceId(ctx), ctx.database.versions, ctx.viewer?.apiKeyId);
        return done;
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
    // Before the answer goes out: a client reading after its own write sees it.
    ctx.database.versions.moved(workspaceId(ctx), ctx.viewer?.apiKeyId);
    return { ...result, userErrors: [] };
  } catch (error) {
    if (error instanceof UserInputError) return { userErrors: error.errors } as Partial<T> & Payload;
    const fields = uniqueViolationFields(error);
    if (fields) {
      const field = fields.find((f) => f !== 'workspaceId') ?? 'key';
      return {
        userErrors: [{ field: [...conflictField, field], code: 'CONFLICT', message: `This ${field} is already taken in this workspace.` }],
      } as Partial<T> & Payload;
    }
    if (isUnstorableText(error)) {
      // A key or id with U+0000 used for a lookup: PostgreSQL refuses it as a parameter; it names nothing.
      return { userErrors: [{ field: ['input'], code: 'INVALID', message: 'Text values must not contain NUL characters (U+0000).' }] } as Partial<T> & Payload;
    }
    throw error;
  }
}

/** PostgreSQL's "invalid byte sequence" (22021): text with U+0000, which it cannot store or compare. */
function isUnstorableText(error: unknown): boolean {
  if (!isPrismaError(error)) return false;
  const cause = (error.meta?.driverAdapterError as { cause?: { originalCode?: unknown } } | undefined)?.cause;
  return cause?.originalCode === '22021';
}

/** The columns of a violated unique constraint, when `error` is one (Prisma P2002). */
export function uniqueViolationFields(error: unknown): string[] | null {
  if (!isPrismaError(error) || error.code !== 'P2002') return null;
  const meta = error.meta ?? {};
  const target = meta.target;
  if (Array.isArray(target)) return target.map(String);
  const fields = (meta.driverAdapterError as { cause?: { constraint?: { fields?: unknown } } } | undefined)?.cause?.constraint?.fields;
  return Array.isArray(fields) ? fields.map((f) => String(f).replace(/"/g, '')) : [];
}

function isPrismaError(error: unknown): error is { code: string; meta?: Record<string, unknown> } {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' && 'clientVersion' in error;
}
