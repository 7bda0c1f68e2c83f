/**
 * Turns at writing the SQLite file, within this process: the main
 * connection's transactions and the write thread's (write-thread.ts) take
 * them one at a time, in order. Without them one would wait for the other's
 * lock in SQLite's busy handler, which sleeps: on the main thread that sleep
 * would hold up every request. Other processes still meet at the file's
 * lock, as before.
 */
export class WriteTurns {
  private last: Promise<void> = Promise.resolve();
  #waiting = 0;

  /** Waits for the turn; answers the function that ends it (calling it again does nothing). */
  async take(): Promise<() => void> {
    let end!: () => void;
    const previous = this.last;
    this.last = new Promise<void>((resolve) => (end = resolve));
    this.#waiting += 1;
    try {
      await previous;
    } finally {
      this.#waiting -= 1;
    }
    return end;
  }

  /** Transactions waiting for their turn now (for the metrics). */
  get waiting(): number {
    return this.#waiting;
  }
}
