/**
 * A small parser of Prometheus's text exposition format (0.0.4) for tests: samples with their labels (escapes
 * undone), and look-ups by name and labels.
 */

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Exposition {
  readonly samples: readonly Sample[];
  /** `# TYPE` of each metric family. */
  readonly types: ReadonlyMap<string, string>;
}

export function parsePrometheusText(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    if (line.startsWith("#")) {
      const type = /^# TYPE (\S+) (\S+)$/.exec(line);
      if (type) types.set(type[1] as string, type[2] as string);
      continue;
    }
    samples.push(parseSample(line));
  }
  return { samples, types };
}

function parseSample(line: string): Sample {
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
  if (name === undefined) throw new Error(`not a sample: ${line}`);
  let at = name.length;
  const labels: Record<string, string> = {};
  if (line[at] === "{") {
    at++;
    while (line[at] !== "}") {
      const label = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(line.slice(at));
      if (!label) throw new Error(`bad label at ${at}: ${line}`);
      at += label[0].length;
      let value = "";
      for (; line[at] !== '"'; at++) {
        if (at >= line.length) throw new Error(`unterminated label value: ${line}`);
        if (line[at] !== "\\") {
          value += line[at];
          continue;
        }
        at++;
        const escaped = line[at];
        value += escaped === "n" ? "\n" : escaped;
      }
      labels[label[1] as string] = value;
      at++;
      if (line[at] === ",") at++;
    }
    at++;
  }
  const [value, ...rest] = line.slice(at).trim().split(/\s+/);
  if (value === undefined || rest.length > 1) throw new Error(`bad sample value: ${line}`);
  return { name, labels, value: parseValue(value) };
}

/** As Prometheus reads it (Go's ParseFloat): `NaN` and `Inf` in any case; prom-client writes `Nan`. */
function parseValue(text: string): number {
  const word = text.toLowerCase();
  if (word === "+inf" || word === "inf") return Number.POSITIVE_INFINITY;
  if (word === "-inf") return Number.NEGATIVE_INFINITY;
  if (word === "nan") return Number.NaN;
  const value = Number(text);
  if (Number.isNaN(value)) throw new Error(`bad number: ${text}`);
  return value;
}

/** Samples named `name` whose labels include every one of `labels`. */
export function samplesOf(
  exposition: Exposition,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): Sample[] {
  return exposition.samples.filter(
    (sample) =>
      sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
}

/** The value of the one sample named `name` with exactly `labels`; 0 when there is none (a counter not yet incremented). */
export function sampleValue(
  exposition: Exposition,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number {
  const found = samplesOf(exposition, name, labels).filter(
    (sample) => Object.keys(sample.labels).length === Object.keys(labels).length,
  );
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} ${JSON.stringify(labels)}`);
  return found[0]?.value ?? 0;
}

/** A histogram series' buckets in order of `le`, with its _count and _sum. */
export function histogramOf(
  exposition: Exposition,
  name: string,
  labels: Readonly<Record<string, string>>,
): { buckets: { le: number; count: number }[]; count: number; sum: number } {
  const buckets = samplesOf(exposition, `${name}_bucket`, labels)
    .filter((sample) => Object.keys(sample.labels).length === Object.keys(labels).length + 1)
    .map((sample) => ({ le: parseValue(sample.labels.le as string), count: sample.value }))
    .sort((a, b) => a.le - b.le);
  return {
    buckets,
    count: sampleValue(exposition, `${name}_count`, labels),
    sum: sampleValue(exposition, `${name}_sum`, labels),
  };
}
