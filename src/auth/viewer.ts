import type { Role } from '../generated/sqlite/enums.js';

/** Who is calling: the workspace and role of the API key on the request. */
export interface Viewer {
  workspaceId: string;
  role: Role;
  apiKeyId: string;
}

const RANK: Record<Role, number> = { DELIVERY: 0, EDITOR: 1, ADMIN: 2 };

/** Whether `viewer` has at least the rights of `role` (ADMIN ⊇ EDITOR ⊇ DELIVERY). */
export function hasRole(viewer: Viewer | null, role: Role): boolean {
  return viewer !== null && RANK[viewer.role] >= RANK[role];
}
