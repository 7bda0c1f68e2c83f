import { createHash } from 'node:crypto';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { ExpiringMap } from '../shared/expiring-map.js';

/**
 * Persisted operations, so a query can be a short GET URL a CDN caches:
 * `GET /graphql?extensions={"persistedQuery":{"version":1,"sha256Hash":"…"}}&variables={…}`.
 * The hash is the SHA-256 (hex) of the operation's text, as Apollo's
 * automatic persisted queries compute it. Two stores answer a hash: the
 * operations this project ships (below, always known), and the ones clients
 * registered the APQ way (a hash whose text is unknown answers
 * PERSISTED_QUERY_NOT_FOUND; the client sends text and hash once, which
 * registers it, and uses the hash alone from then on). Full query texts are
 * accepted too, as always.
 */
export const KNOWN_OPERATIONS: Record<string, string> = {
  RecommendedContent: `query RecommendedContent($segment: String!, $phase: String!, $channel: String!, $locale: Locale, $first: Int = 10, $after: String) {
  recommendedContent(segment: $segment, phase: $phase, channel: $channel, locale: $locale, first: $first, after: $after) {
    totalCount
    gap { kind severity message }
    pageInfo { hasNextPage endCursor }
    edges { cursor score reason { code message } node { id title summary format locale url publishAt } }
  }
}`,
  ContentPieceByExternalId: `query ContentPieceByExternalId($externalId: String!) {
  contentPiece(externalId: $externalId) { id title summary format locale url publishAt expiresAt }
}`,
};

export function operationHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** How many registered texts are kept (the oldest go first), and for how long. */
const REGISTERED = { max: 5000, ms: 24 * 3600 * 1000 };

export function persistedOperationPlugins(): Plugin[] {
  const known = new Map(Object.values(KNOWN_OPERATIONS).map((text) => [operationHash(text), text]));
  const registered = new ExpiringMap<string>(REGISTERED.ms, REGISTERED.max);
  const registration: Plugin = {
    onParams({ params }) {
      const hash = persistedHash(params.extensions);
      if (!hash || !params.query) return;
      if (operationHash(params.query) !== hash) {
        throw createGraphQLError('provided sha does not match query', { extensions: { code: 'PERSISTED_QUERY_HASH_MISMATCH', http: { status: 400 } } });
      }
      if (!known.has(hash)) registered.set(hash, params.query);
    },
  };
  return [
    registration,
    usePersistedOperations({
      allowArbitraryOperations: true,
      getPersistedOperation: (hash) => known.get(hash) ?? registered.get(hash) ?? null,
      // Apollo's clients retry with the text on this code and message.
      customErrors: {
        notFound: { message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } },
        // Neither a text nor a hash: the request itself is malformed, as without this plugin.
        keyNotFound: { message: 'Must provide query string.', extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
      },
    }),
  ];
}

function persistedHash(extensions: unknown): string | null {
  const persisted = (extensions as { persistedQuery?: { version?: unknown; sha256Hash?: unknown } } | undefined)?.persistedQuery;
  return persisted?.version === 1 && typeof persisted.sha256Hash === 'string' ? persisted.sha256Hash : null;
}
