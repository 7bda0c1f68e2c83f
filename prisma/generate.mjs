// Generates both Prisma clients (SQLite and PostgreSQL) and the Pothos types
// from prisma/schema.prisma. Runs after `npm install`.
//
// Prisma's CLI insists on a native schema-engine binary it cannot download
// offline, although generation never runs it: pointing it at any existing file
// (here the Node binary) satisfies the check.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { postgresDatamodel } from './datamodel.mjs';

const env = { ...process.env, PATH: `${process.cwd()}/node_modules/.bin:${process.env.PATH}`, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: '1' };
const prisma = (schema) =>
  execFileSync(process.execPath, ['node_modules/prisma/build/index.js', 'generate', '--schema', schema], {
    env,
    stdio: 'inherit',
  });

mkdirSync('src/generated', { recursive: true });
prisma('prisma/schema.prisma');
writeFileSync('src/generated/postgresql.prisma', postgresDatamodel(readFileSync('prisma/schema.prisma', 'utf8')));
prisma('src/generated/postgresql.prisma');
