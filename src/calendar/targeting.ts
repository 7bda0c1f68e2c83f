import type { Channel, Phase, Segment } from '../generated/sqlite/client.js';
import type { CalendarPiece } from './pieces.js';
import type { Taxonomy } from './taxonomy.js';

/**
 * The targeting of pieces in terms of the taxonomy's rows: which phases,
 * channels and segments a piece's ids stand for, and which segments it
 * reaches (a generic piece reaches every segment of its phases' journeys).
 */
export class Targeting {
  readonly phases: Map<string, Phase>;
  readonly channels: Map<string, Channel>;
  readonly segments: Map<string, Segment>;
  private readonly segmentsOfJourney = new Map<string, Segment[]>();
  private readonly reach = new Map<string, Segment[]>();

  constructor(taxonomy: Taxonomy) {
    this.phases = new Map(taxonomy.phases.map((p) => [p.id, p]));
    this.channels = new Map(taxonomy.channels.map((c) => [c.id, c]));
    this.segments = new Map(taxonomy.segments.map((s) => [s.id, s]));
    for (const segment of taxonomy.segments) {
      const list = this.segmentsOfJourney.get(segment.journeyId) ?? [];
      list.push(segment);
      this.segmentsOfJourney.set(segment.journeyId, list);
    }
  }

  /** The segments a piece is for: its own, or, when generic, every segment whose journey holds one of its phases. */
  segmentsOf(piece: CalendarPiece): Segment[] {
    let segments = this.reach.get(piece.id);
    if (segments) return segments;
    if (piece.segmentIds.length > 0) segments = this.targetedSegmentsOf(piece);
    else {
      const journeys = new Set(piece.phaseIds.map((id) => this.phases.get(id)?.journeyId));
      segments = [...journeys].flatMap((journeyId) => (journeyId ? (this.segmentsOfJourney.get(journeyId) ?? []) : []));
    }
    this.reach.set(piece.id, segments);
    return segments;
  }

  /** The segments a piece names, by key; empty when it is generic. */
  targetedSegmentsOf(piece: CalendarPiece): Segment[] {
    return piece.segmentIds
      .map((id) => this.segments.get(id))
      .filter((s): s is Segment => s !== undefined)
      .sort((a, b) => a.key.localeCompare(b.key));
  }

  phasesOf(piece: CalendarPiece): Phase[] {
    return piece.phaseIds.map((id) => this.phases.get(id)).filter((p): p is Phase => p !== undefined);
  }

  channelsOf(piece: CalendarPiece): Channel[] {
    return piece.channelIds
      .map((id) => this.channels.get(id))
      .filter((c): c is Channel => c !== undefined)
      .sort((a, b) => a.key.localeCompare(b.key));
  }
}

/** Ids and keys are ASCII: a plain comparison orders them (as SQL does in byte order), faster than localeCompare. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
