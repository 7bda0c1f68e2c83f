import { createServer as createHttpServer } from 'node:http';
import { loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { redact } from './db/config.js';
import { applyMigrations } from './db/migrations.js';
import { loadDemoWorkspace } from './demo/demo.js';
import { createServer } from './server.js';

const config = loadConfig();
const applied = await applyMigrations(config.database);
if (applied.length > 0) console.log(`Applied migrations: ${applied.join(', ')}`);

const database = openDatabase(config.database);
if (config.demoData) {
  const demo = await loadDemoWorkspace(database.prisma);
  console.log(demo.created ? 'Loaded the demo workspace.' : 'The demo workspace is already there.');
  console.log(`Demo keys (send as "Authorization: Bearer <key>"): ${demo.keys.map((k) => `${k.role} ${k.secret}`).join(' | ')}`);
} else {
  console.log('No demo data. Create a workspace and its first admin key with: npx content-planning workspace create --name "My brand"');
}

const yoga = createServer({ database, mode: config.mode, keyCacheSeconds: config.keyCacheSeconds });
const server = createHttpServer(yoga);
server.listen(config.port, config.host, () => {
  console.log(`GraphQL ${config.mode === 'development' ? 'and GraphiQL ' : ''}at http://localhost:${config.port}/graphql (${config.database.provider}: ${redact(config.database.url)})`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close(async () => {
      await yoga.dispose();
      await database.disconnect();
      process.exit(0);
    });
  });
}
