import type { InteractionSecrets } from './secrets.js';

/** What recording interactions needs from the server's settings. */
export interface InteractionSettings {
  /** Raw events older than this are refused and swept (INTERACTION_RETENTION_DAYS). */
  retentionDays: number;
  secrets: InteractionSecrets;
}
