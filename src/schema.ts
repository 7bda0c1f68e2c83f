import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.js';
import './channels/channel.js';

/** Every domain module registers its types on import; this builds the schema. */
export const schema = lexicographicSortSchema(builder.toSchema());
