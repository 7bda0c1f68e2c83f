import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Where webhooks may go. A workspace admin names the URL, and the server
 * makes the request from inside its own network: a URL that resolves to
 * loopback, a private network, link-local addresses (cloud metadata) or
 * other special ranges would reach what the admin cannot, so those are
 * refused unless WEBHOOK_ALLOW_PRIVATE_TARGETS is set. The check runs when
 * the URL is saved and again on every connection (the name may resolve
 * elsewhere by then).
 */
export interface TargetPolicy {
  /** Production: https only. */
  httpsOnly: boolean;
  allowPrivate: boolean;
}

/** Why the URL cannot be an endpoint, or null when it can (as far as can be told without resolving it). */
export function urlProblem(raw: string, policy: TargetPolicy): string | null {
  const url = URL.canParse(raw) ? new URL(raw) : null;
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) return 'must be an absolute http or https URL';
  if (policy.httpsOnly && url.protocol !== 'https:') return 'must use https';
  if (url.username || url.password) return 'must not carry a user name or password; put credentials in the path or rely on the signature';
  if (url.hash) return 'must not have a fragment';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && !policy.allowPrivate && !isPublic(host)) return `points to a private, loopback or reserved address (${host})`;
  return null;
}

/** Whether an address is an ordinary public (unicast) one. */
export function isPublic(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address);
  return parsed.range() === 'unicast';
}

/** A DNS lookup for http(s).request that refuses private answers unless allowed. */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...(options as LookupOptions), all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const refused = allowPrivate ? undefined : addresses.find((a) => !isPublic(a.address));
      if (refused) return callback(Object.assign(new Error(`${hostname} resolves to a private or reserved address (${refused.address})`), { code: 'EPRIVATETARGET' }), '', 0);
      if ((options as LookupOptions).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/** A slow resolver does not hold a mutation up: the name is checked again at every send anyway. */
const RESOLVE_TIMEOUT_MS = 2000;

/** Resolves the URL's host now and answers why it may not be used, or null. Unresolvable names pass: they are checked again at every send. */
export async function resolvedProblem(raw: string, policy: TargetPolicy): Promise<string | null> {
  const host = new URL(raw).hostname.replace(/^\[|\]$/g, '');
  if (policy.allowPrivate || isIP(host)) return null;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), RESOLVE_TIMEOUT_MS);
    dnsLookup(host, { all: true }, (error, addresses) => {
      clearTimeout(timer);
      if (error) return resolve(null);
      const refused = addresses.find((a) => !isPublic(a.address));
      resolve(refused ? `resolves to a private, loopback or reserved address (${refused.address})` : null);
    });
  });
}
