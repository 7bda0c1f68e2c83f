import type { Db } from '../db/client.js';
import type { Role } from '../generated/sqlite/enums.js';

export interface DemoResult {
  created: boolean;
  keys: { role: Role; secret: string }[];
}

/** Placeholder until the demo data lands: nothing is loaded. */
export async function loadDemoWorkspace(_db: Db): Promise<DemoResult> {
  return { created: false, keys: [] };
}
