import { Kind, type GraphQLResolveInfo } from 'graphql';

/**
 * Whether the field being resolved has `name` among its sub-fields, so a
 * resolver can skip work nobody asked for. A fragment may hold it: then it
 * answers yes.
 */
export function asksFor(info: GraphQLResolveInfo, name: string): boolean {
  return info.fieldNodes.some((node) => (node.selectionSet?.selections ?? []).some((s) => s.kind !== Kind.FIELD || s.name.value === name));
}
