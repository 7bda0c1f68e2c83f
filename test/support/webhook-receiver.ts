import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/**
 * A webhook receiver on a loopback port, as an integrator would write one:
 * every request is verified with the `standardwebhooks` package against the
 * secrets it was given. It answers what `answer` says (200 by default), so a
 * test can make it fail, come back or say 410.
 */
export interface Received {
  id: string;
  timestamp: number;
  signature: string;
  body: string;
  /** The parsed body. */
  payload: { type: string; timestamp: string; workspace: { id: string }; data: Record<string, any> };
  /** The secrets whose signature checked out. */
  verifiedWith: string[];
  receivedAt: number;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Requests whose signature no secret verified. */
  rejected: { headers: IncomingHttpHeaders; body: string }[];
  secrets: string[];
  answer: (request: Received, attempt: number) => number;
  /** How long it takes to answer each request (a slow receiver). */
  delayMs: number;
  /** Resolves when `count` requests of the given type (any, when absent) were received. */
  waitFor(count: number, type?: string, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(path = '/hooks', port = 0): Promise<Receiver> {
  const attempts = new Map<string, number>();
  const receiver: Receiver = {
    url: '',
    received: [],
    rejected: [],
    secrets: [],
    answer: () => 200,
    delayMs: 0,
    async waitFor(count, type, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      const matching = () => receiver.received.filter((r) => !type || r.payload.type === type);
      while (matching().length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      if (matching().length < count) throw new Error(`expected ${count} ${type ?? 'webhooks'}, got ${matching().length}: ${receiver.received.map((r) => r.payload.type).join(', ')}`);
      return matching();
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = {
        'webhook-id': String(request.headers['webhook-id']),
        'webhook-timestamp': String(request.headers['webhook-timestamp']),
        'webhook-signature': String(request.headers['webhook-signature']),
      };
      const verifiedWith = receiver.secrets.filter((secret) => {
        try {
          new Webhook(secret).verify(body, headers);
          return true;
        } catch {
          return false;
        }
      });
      if (verifiedWith.length === 0) {
        receiver.rejected.push({ headers: request.headers, body });
        response.writeHead(401).end();
        return;
      }
      const received: Received = {
        id: headers['webhook-id'],
        timestamp: Number(headers['webhook-timestamp']),
        signature: headers['webhook-signature'],
        body,
        payload: JSON.parse(body) as Received['payload'],
        verifiedWith,
        receivedAt: Date.now(),
      };
      const attempt = (attempts.get(received.id) ?? 0) + 1;
      attempts.set(received.id, attempt);
      const status = receiver.answer(received, attempt);
      setTimeout(() => {
        if (status >= 200 && status < 300) receiver.received.push(received);
        response.writeHead(status).end();
      }, receiver.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  return receiver;
}
