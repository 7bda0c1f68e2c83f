/**
 * A refusal from an endpoint beside GraphQL (the beacon, the reports, a
 * wrong method or path), shaped like a GraphQL error answer so clients read
 * every refusal the same way: `errors[0].message` and `extensions.code`.
 */
export function refusal(status: number, code: string, message: string, argument?: string, headers: Record<string, string> = {}): Response {
  const body = { errors: [{ message, extensions: { code, ...(argument ? { argument } : {}) } }] };
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers } });
}
