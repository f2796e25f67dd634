/** A one-line progress bar on a terminal (stderr); nothing at all when stderr is not one (CI logs, pipes). */

const WIDTH = 30;

export interface ProgressBar {
  update(done: number, total: number): void;
  done(): void;
}

export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  if (!stream.isTTY) return { update: () => {}, done: () => {} };
  let shown = -1;
  return {
    update(done, total) {
      const fraction = total === 0 ? 1 : Math.min(1, done / total);
      const filled = Math.round(fraction * WIDTH);
      if (filled === shown) return;
      shown = filled;
      stream.write(
        `\r${label} [${"#".repeat(filled)}${".".repeat(WIDTH - filled)}] ${Math.round(fraction * 100)}% of ${megabytes(total)}`,
      );
    },
    done() {
      if (shown >= 0) stream.write("\n");
    },
  };
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
