import { Kind, type GraphQLResolveInfo, type SelectionNode } from 'graphql';

/**
 * Whether the field being resolved has `name` among its sub-fields, so a
 * resolver can skip work nobody asked for. A fragment may hold it: then it
 * answers yes.
 */
export function asksFor(info: GraphQLResolveInfo, name: string): boolean {
  return info.fieldNodes.some((node) => (node.selectionSet?.selections ?? []).some((s) => s.kind !== Kind.FIELD || s.name.value === name));
}

/**
 * Whether the selection reaches `path` (field names, from the field being
 * resolved down), e.g. ['cells', 'engagement']; a fragment on the way
 * answers yes.
 */
export function asksForPath(info: GraphQLResolveInfo, path: readonly string[]): boolean {
  let nodes: readonly SelectionNode[] = info.fieldNodes;
  for (const name of path) {
    const next: SelectionNode[] = [];
    for (const node of nodes) {
      if (node.kind !== Kind.FIELD) return true;
      for (const s of node.selectionSet?.selections ?? []) {
        if (s.kind !== Kind.FIELD) return true;
        if (s.name.value === name) next.push(s);
      }
    }
    if (!next.length) return false;
    nodes = next;
  }
  return true;
}
