import {
  Kind,
  valueFromASTUntyped,
  visit,
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * How much an operation asks for once its variables are known: how many ids
 * it looks up, which expensive root fields it calls, and how long each list
 * is. Read from the document and the raw variables before execution, so a
 * limit can refuse the request before any resolver or SQL runs. Values a
 * variable cannot hold (a string for a list size, say) are left to variable
 * coercion, which refuses them next.
 */
export type Variables = Record<string, unknown>;

/**
 * Root fields whose work grows with the workspace rather than with the page
 * asked for: each reads every piece (or every target, or every roll-up of
 * its interactions) of the workspace in range. A per-request cap keeps
 * aliases from multiplying them, and they execute off the main thread
 * (analysis/offload.ts).
 */
const EXPENSIVE_ROOT_FIELDS: Record<string, (argument: (name: string) => unknown) => boolean> = {
  contentMatrix: () => true,
  contentGaps: () => true,
  contentCalendar: () => true,
  // Two matrices: before and after a what-if scenario.
  scenarioImpact: () => true,
  // A title search scans every piece; a plain page reads an index range.
  contentPieces: (argument) => {
    // Not yet coerced: anything but an object with a non-empty string search is no search (or fails coercion next).
    const filter = argument('filter') as { search?: unknown } | null | undefined;
    return typeof filter?.search === 'string' && filter.search !== '';
  },
  // A segment's steps between touchpoints over the range: they grow with its visitors' sessions.
  touchpointPaths: () => true,
  // One piece's or one cell's daily roll-ups are an index range of their own; a segment's, a
  // channel's or the whole workspace's over up to a year are every roll-up of theirs.
  contentPerformance: (argument) => !given(argument('piece')) && !(given(argument('segment')) && given(argument('phase')) && given(argument('channel'))),
};

/** An argument with a value (not yet coerced: a non-empty string, or it fails coercion next). */
function given(value: unknown): boolean {
  return typeof value === 'string' && value !== '';
}

/** The names of the expensive root fields the operation calls, once per call (aliases and fragments included). */
export function expensiveFieldsOf(document: DocumentNode, operation: OperationDefinitionNode, variables: Variables): string[] {
  const values = withDefaults(operation, variables);
  return rootFields(document, operation)
    .filter((field) => EXPENSIVE_ROOT_FIELDS[field.name.value]?.((name) => argumentValue(field, name, values)))
    .map((field) => field.name.value);
}

/** Whether the operation calls any root field that can be expensive or look up ids, whatever its variables. */
export function callsWeighedFields(document: DocumentNode, operation: OperationDefinitionNode): boolean {
  return rootFields(document, operation).some((field) => field.name.value in EXPENSIVE_ROOT_FIELDS || field.name.value === 'node' || field.name.value === 'nodes');
}

/** How many ids the operation looks up through node(id) and nodes(ids), across all aliases. */
export function idsRequested(document: DocumentNode, operation: OperationDefinitionNode, variables: Variables): number {
  const values = withDefaults(operation, variables);
  let ids = 0;
  for (const field of rootFields(document, operation)) {
    if (field.name.value === 'node') ids += 1;
    // A single ID where a list is expected is coerced to a list of one.
    if (field.name.value === 'nodes') ids += sizeOf(argumentValue(field, 'ids', values)) ?? 1;
  }
  return ids;
}

/**
 * The document with each list's size written in where GraphQL Armor's cost
 * rule reads it: as `first`, the larger of `first`/`last` (literal or
 * variable) and the length of every list argument (literal or variable), so
 * `nodes(ids: $ids)` with 100 ids weighs like `first: 100`. The same object
 * when nothing needs writing in.
 */
export function withListSizes(document: DocumentNode, variables: Variables): DocumentNode {
  const values = { ...documentDefaults(document), ...variables };
  return visit(document, {
    Field(node) {
      const size = listSize(node, values);
      if (size === undefined || size === literalPageSize(node)) return undefined;
      const first: ArgumentNode = { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'first' }, value: { kind: Kind.INT, value: String(size) } };
      // Armor reads the first `first` or `last` it meets.
      const others = (node.arguments ?? []).filter((argument) => argument.name.value !== 'first' && argument.name.value !== 'last');
      return { ...node, arguments: [first, ...others] };
    },
  });
}

/** The largest page size or list length among a field's arguments; undefined when it has none. */
function listSize(field: FieldNode, values: Variables): number | undefined {
  const sizes: number[] = [];
  for (const argument of field.arguments ?? []) {
    const value = valueFromASTUntyped(argument.value, values);
    if (argument.name.value === 'first' || argument.name.value === 'last') {
      // Anything but a 32-bit whole number fails coercion next; leave it to that.
      if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= 2 ** 31) sizes.push(value);
    } else {
      const size = sizeOf(value);
      if (size !== undefined) sizes.push(size);
    }
  }
  return sizes.length > 0 ? Math.max(...sizes) : undefined;
}

/** What Armor reads by itself: the first `first`/`last` written as a number. */
function literalPageSize(field: FieldNode): number | undefined {
  const argument = field.arguments?.find((a) => a.name.value === 'first' || a.name.value === 'last');
  return argument?.value.kind === Kind.INT ? Number(argument.value.value) : undefined;
}

function sizeOf(value: unknown): number | undefined {
  return Array.isArray(value) ? value.length : undefined;
}

function argumentValue(field: FieldNode, name: string, values: Variables): unknown {
  const argument = field.arguments?.find((a) => a.name.value === name);
  return argument ? valueFromASTUntyped(argument.value, values) : undefined;
}

/** The fields of the operation's root selection, through fragments; each occurrence counts. */
function rootFields(document: DocumentNode, operation: OperationDefinitionNode): FieldNode[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const fields: FieldNode[] = [];
  // Validation has refused fragment cycles before execution, so this ends.
  const collect = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) fields.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
      else {
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment.selectionSet);
      }
    }
  };
  collect(operation.selectionSet);
  return fields;
}

/** The variables, with each missing one's default from the operation. */
function withDefaults(operation: OperationDefinitionNode, variables: Variables): Variables {
  return { ...defaultsOf([operation]), ...variables };
}

function documentDefaults(document: DocumentNode): Variables {
  return defaultsOf(document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION));
}

function defaultsOf(operations: readonly OperationDefinitionNode[]): Variables {
  const defaults: Variables = {};
  for (const operation of operations) {
    for (const variable of operation.variableDefinitions ?? []) {
      if (variable.defaultValue) defaults[variable.variable.name.value] = valueFromASTUntyped(variable.defaultValue);
    }
  }
  return defaults;
}
