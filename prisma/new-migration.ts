// Writes a new migration for each provider whose committed migrations lag
// behind prisma/schema.prisma:  npm run migration:new -- <name>
//
// SQLite replays the committed migrations in memory and diffs them against
// the models. PostgreSQL cannot replay them through the pg adapter (its
// catalogue queries return a "char" column the adapter cannot map), so its
// migration is the diff between the models as last committed (git HEAD) and
// now; test/migrations.test.ts checks the result builds the same schema.
// The engine wants a PostgreSQL connection even for that: MIGRATION_POSTGRES_URL,
// or a throw-away cluster started here.
import { execFileSync } from 'node:child_process';
import { withSchemaEngine } from '../src/db/schema-engine.js';
import { driverAdapter } from '../src/db/adapter.js';
import { pendingSchemaChange, writeMigration } from '../src/db/migrations.js';
import { postgresDatamodel } from './datamodel.mjs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const name = (process.argv[2] ?? '').replace(/[^a-z0-9_]+/gi, '_');
if (!name) {
  console.error('usage: npm run migration:new -- <name>');
  process.exit(2);
}
const EMPTY = /^(-- This is an empty migration\.)?$/;
const now = new Date();

const sqlite = await pendingSchemaChange({ provider: 'sqlite', url: ':memory:' });
console.log(EMPTY.test(sqlite) ? 'sqlite: up to date' : `sqlite: wrote ${writeMigration('sqlite', name, sqlite, now)}`);

const before = postgresDatamodel(execFileSync('git', ['show', 'HEAD:prisma/schema.prisma'], { encoding: 'utf8' }));
const after = postgresDatamodel(readFileSync('prisma/schema.prisma', 'utf8'));
const server = process.env.MIGRATION_POSTGRES_URL ? null : startScratchPostgres();
const url = process.env.MIGRATION_POSTGRES_URL ?? (server as { url: string }).url;
// The engine needs a live connection even to diff two datamodels; it reads nothing from it.
const postgres = await withSchemaEngine(after, driverAdapter({ provider: 'postgresql', url }), async (engine) => {
  const result = await engine.diff({
    from: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: before }] },
    to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: after }] },
    script: true,
    exitCode: null,
    filters: { externalTables: [], externalEnums: [] },
  });
  return (result.stdout ?? '').trim();
});
console.log(EMPTY.test(postgres) ? 'postgresql: up to date' : `postgresql: wrote ${writeMigration('postgresql', name, postgres, now)}`);
server?.stop();

/** A throw-away cluster from test/support/postgres.sh, when no MIGRATION_POSTGRES_URL is given. */
function startScratchPostgres(): { url: string; stop(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'migration-pg-'));
  const port = String(20000 + Math.floor(Math.random() * 20000));
  const out = execFileSync('bash', ['test/support/postgres.sh', 'start', dir, port], { encoding: 'utf8' });
  return {
    url: out.trim().split('\n').at(-1) as string,
    stop: () => {
      execFileSync('bash', ['test/support/postgres.sh', 'stop', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
