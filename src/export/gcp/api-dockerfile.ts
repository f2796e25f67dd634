/**
 * The Dockerfile of an API's Cloud Run service: Node.js 20 with Portico installed from the export's copy, the
 * functions' dependencies installed beside their code (as a Lambda package holds them), and `portico serve`
 * listening on $PORT.
 */
import { RUNTIME_DIR } from "./portico-runtime.js";

export interface ApiImage {
  readonly apiName: string;
  /** Portico's copy has a lockfile: installed with `npm ci`. */
  readonly lockedRuntime: boolean;
  /** Some function runs on Python: the image needs python3. */
  readonly python: boolean;
  /** Function code directories (relative, `/`-separated) holding a package.json, and whether it has a lockfile. */
  readonly nodePackages: readonly { readonly dir: string; readonly locked: boolean }[];
  /** Function code directories holding a requirements.txt. */
  readonly pythonRequirements: readonly string[];
}

/** Where the project lives in the image. */
const PROJECT_DIR = "/srv/project";

export function apiDockerfile(image: ApiImage): string {
  const packages = ["tini", ...(image.python ? ["python3"] : [])];
  if (image.pythonRequirements.length > 0) packages.push("python3-pip");
  const lines = [
    `# The API ${image.apiName} on Cloud Run, served by Portico: written by \`portico export gcp\`.`,
    "# `portico serve` listens on $PORT (8080) on 0.0.0.0, with no admin listener and no file watching.",
    "FROM node:20-bookworm-slim",
    "# tini, as PID 1, forwards SIGTERM to Portico and reaps what function instances leave behind.",
    `RUN apt-get update && apt-get install -y --no-install-recommends ${packages.join(" ")} && rm -rf /var/lib/apt/lists/*`,
    "WORKDIR /opt/portico",
    `COPY ${RUNTIME_DIR}/package*.json ./`,
    `RUN ${image.lockedRuntime ? "npm ci" : "npm install"} --omit=dev --no-audit --no-fund`,
    `COPY ${RUNTIME_DIR}/dist ./dist`,
    `WORKDIR ${PROJECT_DIR}`,
    "COPY . .",
    `RUN rm -rf ${RUNTIME_DIR}`,
  ];
  for (const { dir, locked } of image.nodePackages) {
    lines.push(
      `RUN cd ${JSON.stringify(dir)} && ${locked ? "npm ci" : "npm install"} --omit=dev --no-audit --no-fund`,
    );
  }
  for (const dir of image.pythonRequirements) {
    // --target installs beside the code, as Lambda packages do; it also leaves Debian's own Python untouched.
    lines.push(
      `RUN python3 -m pip install --no-cache-dir --target ${JSON.stringify(dir)} -r ${JSON.stringify(`${dir}/requirements.txt`)}`,
    );
  }
  lines.push(
    "ENV NODE_ENV=production",
    'ENTRYPOINT ["/usr/bin/tini", "--"]',
    `CMD ["node", "/opt/portico/dist/src/cli/main.js", "serve", "${PROJECT_DIR}"]`,
  );
  return `${lines.join("\n")}\n`;
}
