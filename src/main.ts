import cluster from 'node:cluster';
import { loadConfig } from './config.js';
import { createLogger } from './http/request-log.js';
import { prepare } from './prepare.js';
import { serve } from './serve.js';
import { superviseWorkers } from './workers.js';

const config = loadConfig();
const logger = createLogger(config.logLevel);
if (config.workers > 1 && cluster.isPrimary) {
  // Migrations and the demo once, then one server process per worker on the same port.
  const { database } = await prepare(config, logger);
  await database.disconnect();
  superviseWorkers(config.workers, config.drainTimeoutSeconds, logger);
} else {
  await serve(config, logger);
}
