import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { WebsiteTeasersDocument, type ContentFormat } from './generated/graphql.js';

/** Where the API is and how to call it. */
export interface ClientOptions {
  /** The GraphQL endpoint, e.g. https://api.example.com/graphql. */
  endpoint: string;
  /** A DELIVERY key: it reads only what is live, so a page may embed it. */
  key: string;
  /** The fetch to call; the global one when omitted. */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

/** Sends one operation and answers its data, typed by the operation. */
export type Send = <Result, Variables>(
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
) => Promise<Result>;

/** The API answered with errors: their messages and `extensions.code`s. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errors: { message: string; code: string | undefined }[],
  ) {
    super(errors.map((e) => `${e.code ?? 'ERROR'}: ${e.message}`).join('\n'));
    this.name = 'ApiError';
  }
}

interface Body<Result> {
  data?: Result | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export function createClient({ endpoint, key, fetch: call = fetch }: ClientOptions): Send {
  return async function send<Result, Variables>(
    document: TypedDocumentNode<Result, Variables>,
    variables: Variables,
  ): Promise<Result> {
    const response = await call(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: print(document), variables }),
    });
    const body = (await response.json()) as Body<Result>;
    if (body.errors?.length || body.data == null) {
      const errors = body.errors ?? [{ message: `HTTP ${response.status} without data` }];
      throw new ApiError(response.status, errors.map((e) => ({ message: e.message, code: e.extensions?.code })));
    }
    return body.data;
  };
}

/** A visitor: who they are, where they are in the journey, and on which channel. */
export interface Visitor {
  segment: string;
  phase: string;
  channel: string;
  locale?: string;
}

export interface Teaser {
  title: string;
  url: string | null;
  format: ContentFormat;
  publishedAt: Date | null;
  /** Why this piece, for the page's logs. */
  why: string;
}

/** Up to three teasers for a page, and the content team's alert when nothing fits. */
export async function teasersFor(send: Send, visitor: Visitor): Promise<{ teasers: Teaser[]; alert: string | null }> {
  const { recommendedContent } = await send(WebsiteTeasersDocument, visitor);
  return {
    teasers: recommendedContent.edges.map(({ node, reason }) => ({
      title: node.title,
      url: node.url ?? null,
      format: node.format,
      publishedAt: node.publishAt ? new Date(node.publishAt) : null,
      why: reason.message,
    })),
    alert: recommendedContent.gap && recommendedContent.gap.severity >= 50 ? recommendedContent.gap.message : null,
  };
}
