import { badUserInput } from '../errors.js';
import { phaseKey, type Catalog, type CatalogPhase } from '../workspaces/catalog.js';

/** The (segment, phase, channel) a recommendation is asked for, resolved from keys. */
export interface Cell {
  /** The segment first (depth 0), then its ancestors, nearest first. */
  chain: { id: string; key: string; name: string; depth: number }[];
  journey: { id: string; key: string };
  phase: CatalogPhase;
  channel: { id: string; key: string };
}

/** Deeper than any real tree; a cycle (which writes refuse) cannot loop. */
const MAX_DEPTH = 64;

/**
 * The cell's ids from the workspace's catalog, with no SQL: the segment and
 * its ancestors, the segment's journey, the phase within that journey and
 * the channel. A missing one is a bad key, reported by argument name.
 */
export function resolveCell(catalog: Catalog, keys: { segment: string; phase: string; channel: string }): Cell {
  const segment = catalog.segments.get(keys.segment);
  const journey = segment && catalog.journeys.get(segment.journeyId);
  if (!segment || !journey) throw badUserInput('segment', `no segment with key "${keys.segment}" in this workspace`, keys.segment);
  const phase = catalog.phases.get(phaseKey(journey.id, keys.phase));
  if (!phase) throw badUserInput('phase', `no phase "${keys.phase}" in journey "${journey.key}", which segment "${keys.segment}" follows`, keys.phase);
  const channel = catalog.channels.get(keys.channel);
  if (!channel) throw badUserInput('channel', `no channel with key "${keys.channel}" in this workspace`, keys.channel);
  const chain: Cell['chain'] = [];
  for (let s: typeof segment | undefined = segment; s && chain.length <= MAX_DEPTH; s = s.parentId ? catalog.segmentsById.get(s.parentId) : undefined) {
    chain.push({ id: s.id, key: s.key, name: s.name, depth: chain.length });
  }
  return { chain, journey: { id: journey.id, key: journey.key }, phase, channel: { id: channel.id, key: channel.key } };
}
