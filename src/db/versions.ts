/**
 * A version per workspace that moves on every committed write to it, so
 * whatever is computed from a workspace's data (the key catalog, cached
 * answers) can be kept under the version it was read at and is never used
 * once the data moved on. Read the version before reading the data: a
 * write that lands in between then makes the result already outdated,
 * never wrongly current.
 */
export class WorkspaceVersions {
  /** Moves when data changed somewhere unknown (another process): every version moves with it. */
  #epoch = 0;
  readonly #versions = new Map<string, number>();
  readonly #listeners = new Set<(workspaceId: string | null) => void>();

  of(workspaceId: string): string {
    return `${this.#epoch}.${this.#versions.get(workspaceId) ?? 0}`;
  }

  /** After a commit to `workspaceId`. */
  moved(workspaceId: string): void {
    this.#versions.set(workspaceId, (this.#versions.get(workspaceId) ?? 0) + 1);
    for (const listener of this.#listeners) listener(workspaceId);
  }

  /** After a commit that may have touched any workspace. */
  allMoved(): void {
    this.#epoch += 1;
    for (const listener of this.#listeners) listener(null);
  }

  /** Called with the workspace that moved, or null for all; answers the unsubscribe. */
  onMove(listener: (workspaceId: string | null) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
