import { printSchema } from 'graphql';
import { schema } from './schema.js';

/** The text of the committed schema.graphql. */
export function printSchemaFile(): string {
  return `${printSchema(schema)}\n`;
}
