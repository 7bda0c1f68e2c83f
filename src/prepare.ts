import cluster from 'node:cluster';
import type { AppConfig } from './config.js';
import { openDatabase, type Database } from './db/client.js';
import { applyMigrations } from './db/migrations.js';
import { loadDemoWorkspace } from './demo/demo.js';
import type { Logger } from './http/request-log.js';

/**
 * What a start does before serving: pending migrations, then the demo
 * workspace when DEMO_DATA asks for it. With WORKERS the primary process
 * does this once, before it starts the workers (workers then find both and
 * say nothing more about them).
 */
export async function prepare(config: AppConfig, logger: Logger): Promise<{ database: Database; graphiqlKey: string | undefined }> {
  // Workers repeat nothing the primary already said.
  const say = cluster.isWorker ? (_message: string) => {} : (message: string) => logger.info(message);
  const applied = await applyMigrations(config.database);
  if (applied.length > 0) say(`Applied migrations: ${applied.join(', ')}`);

  const database = openDatabase(config.database, {
    onReplicaChange: ({ replica, state, lagMs }) => {
      if (state === 'ok') logger.info({ replica }, `Replica ${replica} is usable: reads go to it.`);
      else logger.warn({ replica, lagMs }, `Replica ${replica} is ${state === 'down' ? 'unreachable' : `${lagMs} ms behind`}: its reads go to the primary.`);
    },
  });
  await database.ready;
  let graphiqlKey: string | undefined;
  if (config.demoData) {
    const demo = await loadDemoWorkspace(database, new Date(), { retentionDays: config.interactionRetentionDays });
    say(demo.created ? 'Loaded the demo workspace.' : 'The demo workspace is already there.');
    // The demo keys are public (README): the one secret a log line may show.
    say(`Demo keys (send as "Authorization: Bearer <key>"): ${demo.keys.map((k) => `${k.role} ${k.secret}`).join(' | ')}`);
    // GraphiQL starts with the least powerful demo key, so its docs and autocomplete work at once.
    graphiqlKey = demo.keys.find((k) => k.role === 'DELIVERY')?.secret;
  } else {
    say('No demo data. Create a workspace and its first admin key with: npx content-planning workspace create --name "My brand"');
  }
  return { database, graphiqlKey };
}
