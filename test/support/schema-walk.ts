import {
  getNamedType,
  getNullableType,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';

/**
 * Builds GraphQL documents and variables from the schema itself, so suites
 * that must cover every root field (isolation, fuzzing) cover new fields
 * without being edited.
 */

/** Chooses a value for one input position; `path` is the names from the argument down. */
export type ValueChooser = (type: GraphQLInputType, path: string[], field: string) => unknown;

/** A value for `type`, asking `choose` at each leaf; optional input fields only when `include` says so. */
export function buildValue(
  type: GraphQLInputType,
  path: string[],
  choose: ValueChooser,
  include: (field: string, required: boolean, path: string[]) => boolean = (_f, required) => required,
): unknown {
  const inner = getNullableType(type) as GraphQLInputType;
  const name = path[path.length - 1] ?? '';
  if (isListType(inner)) {
    const own = choose(inner, path, name);
    if (own !== undefined) return own;
    return [buildValue(inner.ofType, path, choose, include)];
  }
  if (isInputObjectType(inner)) {
    const out: Record<string, unknown> = {};
    for (const field of Object.values(inner.getFields())) {
      const required = isNonNullType(field.type) && field.defaultValue === undefined;
      if (!include(field.name, required, [...path, field.name])) continue;
      out[field.name] = buildValue(field.type, [...path, field.name], choose, include);
    }
    return out;
  }
  return choose(inner, path, name);
}

/** The variable type of an argument, as written in a document. */
export function typeString(arg: GraphQLArgument): string {
  return String(arg.type);
}

export interface SelectionOptions {
  depth: number;
  /** Arguments for a nested field (e.g. `first` of a connection); null leaves the field out. */
  nestedArgs?: (field: GraphQLField<unknown, unknown>) => string | null;
}

/**
 * A selection of every leaf field down to `depth` levels of objects, with
 * inline fragments for every possible type of an interface or union.
 */
export function selectionOf(schema: GraphQLSchema, type: GraphQLOutputType | GraphQLNamedType, options: SelectionOptions): string {
  const named = getNamedType(type);
  if (isLeafType(named)) return '';
  if (isAbstractType(named)) {
    const fragments = schema
      .getPossibleTypes(named)
      .map((t) => `... on ${t.name} { ${selectionOf(schema, t, { ...options, depth: Math.max(options.depth - 1, 0) })} }`);
    return `__typename ${fragments.join(' ')}`;
  }
  if (!isObjectType(named)) return '';
  const parts: string[] = ['__typename'];
  for (const field of Object.values(named.getFields())) {
    const args = field.args.length === 0 ? '' : options.nestedArgs?.(field as GraphQLField<unknown, unknown>);
    if (args === null || args === undefined) continue;
    const fieldType = getNamedType(field.type);
    if (isLeafType(fieldType)) {
      parts.push(`${field.name}${args}`);
    } else if (options.depth > 0) {
      const inner = selectionOf(schema, fieldType, { ...options, depth: options.depth - 1 });
      if (inner) parts.push(`${field.name}${args} { ${inner} }`);
    }
  }
  return parts.join(' ');
}

/** Whether an argument must be given (non-null without a default). */
export function isRequired(arg: GraphQLArgument): boolean {
  return isNonNullType(arg.type) && arg.defaultValue === undefined;
}

export { isEnumType };
