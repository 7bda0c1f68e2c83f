import type { ContentStatus } from '../generated/sqlite/enums.js';

/**
 * The content workflow. Editors move a piece along it with setContentStatus;
 * imports set the status as the CMS says (the CMS is the source of truth).
 * Any status may be archived, and an archived piece can be reopened as a draft.
 */
const NEXT: Record<ContentStatus, readonly ContentStatus[]> = {
  IDEA: ['DRAFT', 'ARCHIVED'],
  DRAFT: ['IN_REVIEW', 'ARCHIVED'],
  // Publishing straight after review is allowed: not every piece is planned ahead.
  IN_REVIEW: ['DRAFT', 'SCHEDULED', 'PUBLISHED', 'ARCHIVED'],
  SCHEDULED: ['DRAFT', 'PUBLISHED', 'ARCHIVED'],
  PUBLISHED: ['ARCHIVED'],
  ARCHIVED: ['DRAFT'],
};

export const TRANSITIONS_DESCRIPTION =
  'Allowed moves: IDEA → DRAFT; DRAFT → IN_REVIEW; IN_REVIEW → DRAFT, SCHEDULED or PUBLISHED; ' +
  'SCHEDULED → DRAFT or PUBLISHED; any status → ARCHIVED; ARCHIVED → DRAFT. ' +
  'SCHEDULED needs a publishAt. Setting the current status again changes nothing.';

export function canTransition(from: ContentStatus, to: ContentStatus): boolean {
  return from === to || NEXT[from].includes(to);
}
