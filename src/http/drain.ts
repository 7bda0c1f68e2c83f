import type { Server } from 'node:http';

/**
 * Stops a node:http server gracefully: no new connections, idle keep-alive
 * connections closed, requests in flight allowed to finish for up to
 * `timeoutMs`, after which the remaining connections are cut. Resolves with
 * whether every request finished in time.
 */
export function drain(server: Server, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.closeAllConnections();
      resolve(false);
    }, timeoutMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve(true);
    });
    // Keep-alive connections with no request would otherwise hold close() open.
    server.closeIdleConnections();
  });
}
