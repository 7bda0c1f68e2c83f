import { isInterfaceType, isObjectType, type GraphQLSchema } from 'graphql';

/**
 * The relay plugin names connection and edge types after their node but
 * gives them one static description; these say which items they hold, and
 * describe the node/nodes arguments and totalCount fields it adds, and the
 * single `input` argument every mutation takes.
 */
export function describeGeneratedTypes(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    const connection = /^(\w+)Connection$/.exec(type.name);
    const edge = /^(\w+)Edge$/.exec(type.name);
    if (connection && !type.description) type.description = `A page of ${connection[1]} items.`;
    if (edge && !type.description) type.description = `One ${edge[1]} item of a page, with its cursor.`;
    for (const field of Object.values(type.getFields())) {
      if (field.name === 'totalCount' && !field.description) field.description = 'How many items the whole list holds, across all pages.';
      for (const arg of field.args) {
        if (arg.description) continue;
        if (arg.name === 'id') arg.description = 'A global ID.';
        if (arg.name === 'ids') arg.description = 'Global IDs.';
        if (arg.name === 'input' && type.name === 'Mutation') arg.description = `What to do; see ${String(arg.type).replace('!', '')}.`;
      }
    }
  }
  return schema;
}
