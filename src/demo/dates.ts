import type { DemoDate } from './data.js';

const DAY = 86_400_000;

/** Demo dates are relative, so the demo always has something live, upcoming and overdue. */
export function dateOf(date: DemoDate | undefined, now: Date): Date | null {
  if (date === undefined) return null;
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  if (typeof date === 'number') return new Date(midnight + 9 * 3_600_000 + date * DAY);
  const daysToNextMonday = 7 - ((now.getUTCDay() + 6) % 7);
  return new Date(midnight + (daysToNextMonday + date.nextWeek) * DAY + date.hour * 3_600_000);
}
