import { Prisma } from '../generated/sqlite/client.js';

/**
 * How well a piece engages in a cell (segment asked for × phase × channel),
 * as ranking uses it: a smoothed rate, the Bayesian average of the piece's
 * own rate and the cell's mean,
 *
 *   engagement = (engaged + PRIOR_IMPRESSIONS × cellRate) / (impressions + PRIOR_IMPRESSIONS)
 *
 * where `engaged` counts the piece's clicks, downloads, shares and
 * conversions in the cell, `impressions` its impressions there, and
 * cellRate = Σ engaged / Σ impressions over every piece with interactions
 * recorded in the cell (0 when it has no impressions). A piece starts as if
 * it had PRIOR_IMPRESSIONS impressions at the cell's mean, so 3 clicks from 3
 * impressions barely move it while 600 from 3,000 do; a piece without
 * interactions sits exactly at the mean, and when nothing was recorded in the
 * cell every piece does, so the order is as without interactions.
 */
export const PRIOR_IMPRESSIONS = 50;

/** The engaged actions of an InteractionTotal row `alias`: clicks, downloads, shares and conversions. */
export function engagedSql(alias: string): Prisma.Sql {
  const column = (name: string) => Prisma.raw(`${alias}."${name}"`);
  return Prisma.sql`(${column('clicks')} + ${column('downloads')} + ${column('shares')} + ${column('conversions')})`;
}

/** The same formula, for tests and documentation: the SQL computes it in the ranking statement. */
export function smoothedEngagement(engaged: number, impressions: number, cellRate: number): number {
  return (engaged + PRIOR_IMPRESSIONS * cellRate) / (impressions + PRIOR_IMPRESSIONS);
}
