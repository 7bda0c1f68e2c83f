import { builder } from '../builder.js';
import type { Payload } from './mutation.js';
import { UserError } from './user-errors.js';

interface DeletePayloadShape extends Payload {
  deletedId?: string | null;
}

/** What every delete mutation answers. */
export const DeletePayload = builder.objectRef<DeletePayloadShape>('DeletePayload').implement({
  description: 'The result of a delete mutation.',
  fields: (t) => ({
    deletedId: t.id({ nullable: true, description: 'The global ID of the deleted object; null when refused.', resolve: (p) => p.deletedId ?? null }),
    userErrors: t.field({ type: [UserError], description: 'Why the delete was refused; empty on success.', resolve: (p) => p.userErrors }),
  }),
});
