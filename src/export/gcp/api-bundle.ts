/**
 * `OUT/NAME/` for an API's Cloud Run service: the code of its functions (at the same place relative to the config
 * file as in the project, or under `external/` when outside it), its portico.yaml, Portico itself and the
 * Dockerfile that puts them together.
 */
import { existsSync } from "node:fs";
import { copyFile, mkdir, stat, writeFile } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import type { Project } from "../../model/index.js";
import { copySource } from "../copy-source.js";
import { apiConfigText } from "./api-config.js";
import { apiDockerfile } from "./api-dockerfile.js";
import type { ApiService } from "./api-services.js";
import { copyPorticoRuntime, RUNTIME_DIR } from "./portico-runtime.js";

type Json = Record<string, unknown>;

/** Writes the API service's directory; `raw` is the project's portico.yaml as parsed. */
export async function writeApiBundle(
  project: Project,
  raw: Json,
  service: ApiService,
  outDir: string,
): Promise<void> {
  const dir = join(outDir, service.name);
  await mkdir(dir, { recursive: true });
  const rawApi = (raw.apis as Json | undefined)?.[service.api.name] as Json | undefined;
  const paths = [
    ...service.functions.flatMap((fn) => [fn.codeDir, ...(fn.layers ?? [])]),
    ...(typeof rawApi?.openapi === "string" ? [resolve(project.rootDir, rawApi.openapi)] : []),
    ...(service.api.authorizers ?? []).flatMap((authorizer) =>
      authorizer.type === "jwt" && authorizer.jwksFile !== undefined ? [authorizer.jwksFile] : [],
    ),
  ];
  const places = placesInBundle(project.rootDir, paths);
  for (const path of coveringPaths(paths)) {
    const to = join(dir, places.get(path) as string);
    if ((await stat(path)).isDirectory()) await copySource(path, to, { skip: [outDir] });
    else {
      await mkdir(dirname(to), { recursive: true });
      await copyFile(path, to);
    }
  }
  const relocate = (written: string) => places.get(resolve(project.rootDir, written)) ?? written;
  await writeFile(
    join(dir, "portico.yaml"),
    apiConfigText(raw, {
      api: service.api.name,
      functions: service.functions.map((fn) => fn.name),
      relocate,
      source: project.configFile,
    }),
  );
  const { locked } = await copyPorticoRuntime(join(dir, RUNTIME_DIR));
  const codeDirs = (runtime: string) => [
    ...new Set(
      service.functions.filter((fn) => fn.runtime === runtime).map((fn) => places.get(fn.codeDir) as string),
    ),
  ];
  await writeFile(
    join(dir, "Dockerfile"),
    apiDockerfile({
      apiName: service.api.name,
      lockedRuntime: locked,
      python: service.functions.some((fn) => fn.runtime === "python3"),
      nodePackages: codeDirs("nodejs")
        .filter((code) => existsSync(join(dir, code, "package.json")))
        .map((code) => ({ dir: code, locked: existsSync(join(dir, code, "package-lock.json")) })),
      pythonRequirements: codeDirs("python3").filter((code) =>
        existsSync(join(dir, code, "requirements.txt")),
      ),
    }),
  );
  // gcloud's default would honour a copied .gitignore, which may well leave out Portico's dist/.
  await writeFile(join(dir, ".gcloudignore"), ".gcloudignore\n.git\nnode_modules/\n");
}

/**
 * Where each path goes in the bundle, relative to it, `/`-separated: where it is relative to the project's
 * directory, or under `external/N-NAME` when outside it. A path inside another keeps its place in that one.
 */
function placesInBundle(rootDir: string, paths: readonly string[]): Map<string, string> {
  const places = new Map<string, string>();
  let external = 0;
  for (const cover of coveringPaths(paths)) {
    const rel = relative(rootDir, cover);
    const inside = !rel.startsWith("..") && !isAbsolute(rel);
    places.set(cover, inside ? toPosix(rel) || "." : `external/${++external}-${basename(cover)}`);
  }
  for (const path of paths) {
    if (places.has(path)) continue;
    const cover = coveringPaths(paths).find((outer) => path.startsWith(`${outer}${sep}`)) as string;
    const place = places.get(cover) as string;
    const inner = toPosix(relative(cover, path));
    places.set(path, place === "." ? inner : `${place}/${inner}`);
  }
  return places;
}

function toPosix(path: string): string {
  return path.split(sep).join("/");
}

/** The paths to copy: each once, and none inside another (that copy holds it already). */
function coveringPaths(paths: readonly string[]): string[] {
  const sorted = [...new Set(paths)].sort((a, b) => a.length - b.length);
  const chosen: string[] = [];
  for (const path of sorted) {
    if (!chosen.some((outer) => path === outer || path.startsWith(`${outer}${sep}`))) chosen.push(path);
  }
  return chosen;
}
