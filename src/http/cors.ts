import type { YogaServerOptions } from 'graphql-yoga';

type CorsOption = NonNullable<YogaServerOptions<Record<string, unknown>, object>['cors']>;

/**
 * Which web pages may call the API from a browser. Keys travel in the
 * Authorization header, never in cookies, so no answer ever carries
 * Access-Control-Allow-Credentials: a page can only send the key it holds.
 * `allowed` null: any origin (a public website embeds its DELIVERY key);
 * a list: those origins only, and any other gets no CORS headers at all
 * (not "null", which sandboxed pages and files would match).
 */
export function corsPolicy(allowed: readonly string[] | null): CorsOption {
  if (allowed === null) return { credentials: false };
  return (request: Request) => {
    const origin = request.headers.get('origin');
    // Yoga answers an allowed Origin with itself; any other gets no CORS headers.
    return origin !== null && allowed.includes(origin) ? { origin: [...allowed], credentials: false } : false;
  };
}

/**
 * CORS_ORIGINS: comma-separated origins (scheme, host and port, as a browser
 * sends them in Origin); empty or unset means any origin.
 */
export function parseCorsOrigins(raw: string | undefined): string[] | null {
  const origins = (raw ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  if (origins.length === 0) return null;
  for (const origin of origins) {
    if (!isOrigin(origin)) throw new Error(`CORS_ORIGINS must list origins like https://www.example.com (no path or trailing slash); got "${origin}"`);
  }
  return origins;
}

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}
