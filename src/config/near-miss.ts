/** Suggests the known word a misspelt one was probably meant to be (`memorySize` → `memory`). */

/**
 * Other platforms' names for Portico's keys, which no spelling distance connects (Knative `minScale`, Cloud
 * Run `containerConcurrency`, gcloud `--allow-unauthenticated`, Procfile/Dockerfile `entrypoint`): keyed
 * lowercase without `-` and `_`, each with the keys it may mean, tried in order among the candidates.
 */
const ALIASES: ReadonlyMap<string, readonly string[]> = new Map(
  Object.entries({
    minscale: ["minInstances"],
    mininstancecount: ["minInstances"],
    maxscale: ["maxInstances"],
    maxinstancecount: ["maxInstances"],
    containerconcurrency: ["concurrency"],
    maxinstancerequestconcurrency: ["concurrency"],
    requesttimeout: ["timeout"],
    envvars: ["env", "environment"],
    environmentvariables: ["env", "environment"],
    allowunauthenticated: ["public"],
    entrypoint: ["command"],
    cmd: ["command"],
    target: ["functionTarget"],
    src: ["source", "code"],
    code: ["source"],
    source: ["code"],
  }),
);

/** The closest candidate, or undefined when none is close enough to be a helpful guess. */
export function nearMiss(word: string, candidates: Iterable<string>): string | undefined {
  const known = [...candidates];
  const alias = ALIASES.get(word.toLowerCase().replace(/[-_]/g, ""))?.find((key) => known.includes(key));
  if (alias !== undefined) return alias;
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const score = closeness(lower, candidate.toLowerCase());
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

/** Lower is closer; infinity means "not a plausible typo". */
function closeness(word: string, candidate: string): number {
  const distance = editDistance(word, candidate);
  // Up to one edit per three characters reads as a typo; more reads as a different word.
  if (distance <= Math.max(1, Math.floor(Math.max(word.length, candidate.length) / 3))) return distance;
  // A prefix or an extension (`memorySize`, `env`) is usually the same setting under another name.
  const [short, long] = word.length <= candidate.length ? [word, candidate] : [candidate, word];
  if (short.length >= 3 && long.startsWith(short)) return 100 + long.length - short.length;
  return Number.POSITIVE_INFINITY;
}

/** Optimal string alignment distance: Levenshtein plus adjacent transpositions. */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        (d[(i - 1) * cols + j] as number) + 1,
        (d[i * cols + j - 1] as number) + 1,
        (d[(i - 1) * cols + j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (d[(i - 2) * cols + j - 2] as number) + 1);
      }
      d[i * cols + j] = value;
    }
  }
  return d[rows * cols - 1] as number;
}

/** `did you mean \`memory\`?`, or undefined when nothing is close. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const guess = nearMiss(word, candidates);
  return guess === undefined ? undefined : `did you mean \`${guess}\`?`;
}
