import { defineConfig } from 'vitest/config';

// One run per database: test/run.sh runs the suite with TEST_DATABASE_URL
// unset (SQLite) and again pointing at a throw-away PostgreSQL server.
export default defineConfig({
  // graphql ships both ESM and CommonJS; Pothos loads the CommonJS build, so
  // tests must too, or two copies of graphql meet ("from another realm").
  resolve: { alias: { graphql: 'graphql/index.js' } },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
