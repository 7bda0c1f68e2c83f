import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppConfig } from './config.js';
import { redact } from './db/config.js';
import { CURSOR_SECRET, serverSecret } from './db/server-secrets.js';
import { drain } from './http/drain.js';
import type { Readiness } from './http/health.js';
import type { Logger } from './http/request-log.js';
import { AnalysisThreads } from './analysis/threads.js';
import { prepare } from './prepare.js';
import { createServer } from './server.js';
import { postgresRateLimitStore } from './http/rate-limit-store.js';
import { EventClock } from './webhooks/clock.js';
import { Dispatcher } from './webhooks/dispatcher.js';
import { startSweeping } from './interactions/retention.js';

/** One server process: the database, the GraphQL server on its port, the webhook dispatcher, and a clean stop on SIGTERM. */
export async function serve(config: AppConfig, logger: Logger): Promise<void> {
  const { database, graphiqlKey } = await prepare(config, logger);
  const readiness: Readiness = { draining: false };
  const sharedCounters = config.rateLimitStore === 'postgres' ? await postgresRateLimitStore(config.database.url) : null;
  const analysisThreads = config.analysisThreads > 0 ? new AnalysisThreads(config.database, config.analysisThreads, (error) => logger.error({ err: error }, 'Analysis thread failed')) : null;
  const yoga = createServer({
    database,
    analysisThreads,
    cursorKey: await serverSecret(database.prisma, CURSOR_SECRET),
    mode: config.mode,
    keyCacheSeconds: config.keyCacheSeconds,
    graphiql: config.graphiql,
    graphiqlKey,
    introspection: config.introspection,
    queryLimits: config.queryLimits,
    maxBodyBytes: config.maxBodyBytes,
    corsOrigins: config.corsOrigins,
    deliveryCache: config.deliveryCache,
    rateLimits: config.rateLimits,
    rateLimitStore: sharedCounters?.store,
    readiness,
    logger,
    metricsToken: config.metricsToken,
    publicUrl: config.publicUrl,
    webhooks: config.webhooks,
    interactionRetentionDays: config.interactionRetentionDays,
  });


  // Webhooks go out from here: the outbox's events, the clock's moments, retries.
  const dispatcher = config.webhookDispatch ? new Dispatcher(database, config.webhooks, new EventClock(database), logger) : null;
  if (dispatcher) {
    database.versions.onMove(() => dispatcher.nudge());
    dispatcher.start();
  }
  // Raw interactions past INTERACTION_RETENTION_DAYS go: on start, then hourly.
  const sweeping = startSweeping(database, config.interactionRetentionDays, logger);
  const server = createHttpServer(yoga);
  server.listen(config.port, config.host, () => {
    const { address, family, port } = server.address() as AddressInfo;
    const origin = `http://${family === 'IPv6' ? `[${address}]` : address}:${port}`;
    logger.info({ address, port }, `GraphQL ${config.graphiql ? 'and GraphiQL ' : ''}at ${origin}/graphql (${config.database.provider}: ${redact(config.database.url)})${config.metricsToken ? `, metrics at ${origin}/metrics` : ''}`);
  });

  /**
   * SIGTERM (orchestrators, `docker stop`) and SIGINT (Ctrl-C): /readyz turns
   * 503, no new connections are taken, requests in flight finish (up to
   * SHUTDOWN_TIMEOUT_SECONDS), then Yoga and the database pool close and the
   * process exits 0. A second signal exits at once.
   */
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, async () => {
      for (const again of ['SIGINT', 'SIGTERM'] as const) process.once(again, () => process.exit(1));
      readiness.draining = true;
      const finished = await drain(server, config.drainTimeoutSeconds * 1000);
      if (!finished) logger.warn(`Shutdown: requests still running after ${config.drainTimeoutSeconds} s were cut.`);
      await yoga.dispose();
      await dispatcher?.stop();
      await sweeping.stop();
      await sharedCounters?.close();
      await analysisThreads?.close();
      await database.disconnect();
      process.exit(0);
    });
  }
}
