import type { Tx } from '../shared/mutation.js';

/**
 * Walking the segment tree upwards. Trees are shallow (a group, a sub-group,
 * rarely more), so one query per level is cheaper than a recursive CTE that
 * both databases would need in their own dialect. The walk stops at a
 * segment it has already seen, so even a corrupt row cannot loop forever.
 */
export const MAX_DEPTH = 64;

interface TreeRow {
  id: string;
  parentId: string | null;
}

type ParentLoader<R extends TreeRow> = (id: string) => Promise<R | null>;

/** The ancestors of a segment whose parent is `parentId`, nearest first. */
export async function walkAncestors<R extends TreeRow>(parentId: string | null, load: ParentLoader<R>, startId?: string): Promise<R[]> {
  const ancestors: R[] = [];
  const seen = new Set<string>(startId ? [startId] : []);
  let next = parentId;
  while (next && !seen.has(next) && ancestors.length < MAX_DEPTH) {
    seen.add(next);
    const row = await load(next);
    if (!row) break;
    ancestors.push(row);
    next = row.parentId;
  }
  return ancestors;
}

/**
 * Whether making `newParentId` the parent of `segmentId` would close a
 * loop: true when the new parent is the segment itself or one of its
 * descendants (then the segment shows up among the new parent's ancestors).
 */
export async function wouldCycle(tx: Tx, segmentId: string, newParentId: string): Promise<boolean> {
  if (newParentId === segmentId) return true;
  const load = (id: string) => tx.segment.findUnique({ where: { id }, select: { id: true, parentId: true } });
  const chain = await walkAncestors(newParentId, load);
  return chain.some((row) => row.id === segmentId);
}
