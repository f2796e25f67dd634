/**
 * Runtime processes that need the same exclusive thing (the debugger's port) take turns: each starts
 * only once every process that took a turn before it has exited.
 */
export class ExclusiveTurns {
  #last: Promise<unknown> = Promise.resolve();

  /**
   * Resolves when the processes of earlier turns have all exited, with the function that hands over
   * the new process's exit (call it once the process is spawned, or with nothing if none was).
   */
  async take(): Promise<(exited?: Promise<unknown>) => void> {
    const previous = this.#last;
    let handOver: (exited?: Promise<unknown>) => void = () => {};
    this.#last = new Promise((resolve) => {
      handOver = (exited) => resolve(exited);
    });
    await previous;
    return handOver;
  }
}
