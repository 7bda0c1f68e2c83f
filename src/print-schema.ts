// Prints the Pothos schema to schema.graphql (committed; a test fails when stale).
import { writeFileSync } from 'node:fs';
import { printSchemaFile } from './schema-file.js';

writeFileSync('schema.graphql', printSchemaFile());
console.log('wrote schema.graphql');
