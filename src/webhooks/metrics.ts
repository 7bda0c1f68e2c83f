import { Gauge, type Registry } from 'prom-client';
import type { Database } from '../db/client.js';

/**
 * What an operator alerts on: events not yet turned into deliveries,
 * deliveries waiting (and how long the oldest has waited), and deliveries
 * given up. Read from the database at each scrape, so every instance
 * reports the same shared outbox; no label names a workspace or an endpoint.
 */
export function webhookGauges(database: Database, registers: Registry[]): void {
  const gauge = (name: string, help: string, read: () => Promise<number>) =>
    new Gauge({
      name,
      help,
      registers,
      async collect() {
        this.set(await read());
      },
    });
  const db = database.prisma;
  gauge('content_planning_webhook_outbox_events', 'Events written and not yet turned into deliveries', () => db.webhookEvent.count({ where: { fannedOut: false } }));
  gauge('content_planning_webhook_pending_deliveries', 'Deliveries waiting for their first try or a retry', () => db.webhookDelivery.count({ where: { status: 'PENDING' } }));
  gauge('content_planning_webhook_failed_deliveries', 'Deliveries given up (every retry failed, or 410 Gone) still in the log', () => db.webhookDelivery.count({ where: { status: 'FAILED' } }));
  gauge('content_planning_webhook_oldest_pending_seconds', 'How long the oldest waiting delivery has waited (0 when none waits): a dispatcher that is off or stuck shows here', async () => {
    const oldest = await db.webhookDelivery.findFirst({ where: { status: 'PENDING' }, orderBy: { createdAt: 'asc' }, select: { createdAt: true } });
    return oldest ? Math.max(0, (Date.now() - oldest.createdAt.getTime()) / 1000) : 0;
  });
}
