// Writes a new migration for each provider whose committed migrations lag
// behind prisma/schema.prisma:  npm run migration:new -- <name>
// PostgreSQL needs a reachable scratch database: set MIGRATION_POSTGRES_URL,
// or only SQLite is written.
import { databaseConfig } from '../src/db/config.js';
import { pendingSchemaChange, writeMigration } from '../src/db/migrations.js';

const name = (process.argv[2] ?? '').replace(/[^a-z0-9_]+/gi, '_');
if (!name) {
  console.error('usage: npm run migration:new -- <name>');
  process.exit(2);
}
const targets = [databaseConfig('file::memory:')];
if (process.env.MIGRATION_POSTGRES_URL) targets.push(databaseConfig(process.env.MIGRATION_POSTGRES_URL));
for (const config of targets) {
  const sql = await pendingSchemaChange(config);
  if (!sql || /^-- This is an empty migration/.test(sql)) console.log(`${config.provider}: up to date`);
  else console.log(`${config.provider}: wrote ${writeMigration(config.provider, name, sql)}`);
}
