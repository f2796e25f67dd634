/** Collects function logs from a FunctionLogSink, and waits for a pattern to appear in them. */

export class LogCollector {
  text = "";
  #listeners: Array<() => void> = [];

  readonly sink = (_functionName: string, text: string): void => {
    this.text += text;
    for (const listener of this.#listeners) listener();
  };

  /** Resolves once `pattern` matches the log written after `from` (an offset into `text`). */
  waitFor(pattern: RegExp, from = 0, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!pattern.test(this.text.slice(from))) return;
        clearTimeout(timer);
        this.#listeners = this.#listeners.filter((listener) => listener !== check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#listeners = this.#listeners.filter((listener) => listener !== check);
        reject(new Error(`no ${pattern} in the logs within ${timeoutMs} ms:\n${this.text.slice(from)}`));
      }, timeoutMs);
      this.#listeners.push(check);
      check();
    });
  }
}
