import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openDatabase } from '../../src/db/client.js';
import { createLogger } from '../../src/http/request-log.js';
import { createServer } from '../../src/server.js';
import { freshDatabase } from './databases.js';

/**
 * A real server on a loopback port whose database lost a table (as when the
 * database fails under it), with its log lines kept: what a route answers
 * when a query fails unexpectedly.
 */
export async function withTableGone(table: string, work: (fetchPath: (path: string) => Promise<Response>, logged: { msg: string; level: string }[]) => Promise<void>): Promise<void> {
  const database = openDatabase(await freshDatabase());
  const logged: { msg: string; level: string }[] = [];
  const logger = createLogger('info', { write: (line: string) => void logged.push(JSON.parse(line)) });
  const yoga = createServer({ database, mode: 'production', logger });
  const server = createHttpServer(yoga).listen(0, '127.0.0.1');
  try {
    await new Promise((resolve) => server.once('listening', resolve));
    const port = (server.address() as AddressInfo).port;
    await database.prisma.$executeRawUnsafe(`ALTER TABLE "${table}" RENAME TO "${table}Away"`);
    await work((path) => fetch(`http://127.0.0.1:${port}${path}`), logged);
  } finally {
    server.close();
    await yoga.dispose();
    await database.disconnect();
  }
}
