import type { TargetPolicy } from './target-url.js';

/** How this server handles webhooks (from WEBHOOK_* settings; see config.ts). */
export interface WebhookSettings {
  /** Opens the endpoints' secrets; null: endpoints cannot be created and nothing can be signed. */
  key: Buffer | null;
  policy: TargetPolicy;
  /** Waits after each failed attempt, in ms; its length + 1 is the number of attempts. */
  retrySchedule: number[];
  /** How long a receiver may take to answer; 15 s unless a test shortens it. */
  sendTimeoutMs?: number;
}

/** Standard Webhooks' schedule: at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h after each failure. */
export const DEFAULT_RETRY_SCHEDULE = '5s,5m,30m,2h,5h,10h,10h';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "5s,5m,30m" → [5000, 300000, 1800000]. */
export function parseRetrySchedule(raw: string, name = 'WEBHOOK_RETRY_SCHEDULE'): number[] {
  return raw.split(',').map((part) => {
    const match = /^\s*(\d+(?:\.\d+)?)(ms|s|m|h)\s*$/.exec(part);
    if (!match) throw new Error(`${name} must be a comma-separated list of waits like 5s,5m,30m,2h (units ms, s, m, h); got "${raw}"`);
    return Math.round(Number(match[1]) * UNITS[match[2]!]!);
  });
}
