import type { Context } from '../context.js';
import type { CountsOverlay } from '../matrix/analysis.js';
import type { rankCell } from '../recommendations/ranking.js';
import { scenarioOverlay } from './overlay.js';
import { rankCellWithScenario } from './ranking.js';
import { loadWhatIf } from './what-if.js';

/**
 * The `scenario` argument of the reads that take one: nothing when absent
 * (the real answer, untouched), else the scenario loaded for the caller
 * (EDITOR and ADMIN only: loadWhatIf refuses any other key).
 */
export async function overlayOf(ctx: Context, scenario: string | null | undefined): Promise<CountsOverlay | undefined> {
  if (scenario === null || scenario === undefined) return undefined;
  return scenarioOverlay(await loadWhatIf(ctx, scenario));
}

type Rank = typeof rankCell;

/** The ranking of recommendedContent: as usual, or as if the scenario were made. */
export async function rankingOf(ctx: Context, scenario: string | null | undefined, rank: Rank): Promise<Rank> {
  if (scenario === null || scenario === undefined) return rank;
  const whatIf = await loadWhatIf(ctx, scenario);
  return (database, workspaceId, cell, options) => rankCellWithScenario(database, workspaceId, cell, options, whatIf);
}
