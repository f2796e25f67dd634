/**
 * The project's functions and APIs on Cloud Run: one Cloud Run service per API, running Portico (`portico serve`)
 * with that API and the functions it invokes. One API per service keeps Portico's `NAME.localhost` as Cloud
 * Run's `NAME-….run.app`: a lone API answers on every host, where several sharing a host would answer only
 * the routes none of the others has (bare-host routing).
 */
import type { ApiSpec, FunctionSpec, Project } from "../../model/index.js";
import type { ExportWarning } from "../export-result.js";
import { type CloudRunManifest, cloudRunManifest, DEFAULT_STARTUP_SECONDS } from "./cloud-run-manifest.js";
import { cloudRunServiceName } from "./cloud-run-name.js";
import { sourceImage } from "./service-manifest.js";

/** Cloud Run's defaults (cloudrun.md §2.1, §2.2): Portico's gateway serves many requests at once. */
const API_CONCURRENCY = 80;
const API_MAX_INSTANCES = 100;
/** Cloud Run's default memory (cloudrun.md §1.3), the least an API's service gets. */
const MIN_MEMORY_MB = 512;

export interface ApiService {
  /** The Cloud Run service id (the API's name when it is a valid one). */
  readonly name: string;
  readonly api: ApiSpec;
  /** The functions its routes and authorizers invoke, in the project's order. */
  readonly functions: readonly FunctionSpec[];
}

/** One service per API, named apart from `taken` (the project's services) and from each other. */
export function planApiServices(
  project: Project,
  taken: ReadonlySet<string>,
): { readonly services: readonly ApiService[]; readonly warnings: readonly ExportWarning[] } {
  const names = new Set(taken);
  const warnings: ExportWarning[] = [];
  const served = new Set<string>();
  const services = project.apis.map((api): ApiService => {
    const name = cloudRunServiceName(api.name, names);
    names.add(name);
    if (name !== api.name) {
      warnings.push({
        subject: `API ${api.name}`,
        reason: `is served by the Cloud Run service ${name}: \`${api.name}\` is not a Cloud Run service name that is free (up to 49 lowercase letters, digits and -, starting with a letter)`,
      });
    }
    const invoked = invokedFunctions(api);
    for (const fn of invoked) served.add(fn);
    return { name, api, functions: [...project.functions.values()].filter((fn) => invoked.has(fn.name)) };
  });
  for (const fn of project.functions.values()) {
    if (served.has(fn.name)) continue;
    warnings.push({
      subject: `function ${fn.name}`,
      reason:
        "is not exported: no API route or authorizer invokes it, and Cloud Run serves HTTP only; put it behind a route, or run it with `portico invoke`",
    });
  }
  return { services, warnings };
}

export function apiServiceManifest(service: ApiService): CloudRunManifest {
  const longestRouteMs = Math.max(0, ...service.api.routes.map((route) => route.timeoutMs));
  // Instances of every function live in the one container: its memory is theirs together, at the least.
  const memoryMb = service.functions.reduce((total, fn) => total + fn.memoryMb, 0);
  return cloudRunManifest({
    name: service.name,
    image: sourceImage(service.name),
    env: {},
    concurrency: API_CONCURRENCY,
    minInstances: 0,
    maxInstances: API_MAX_INSTANCES,
    // The caller waits as long as the API's longest integration timeout (API Gateway's), no longer.
    timeoutSeconds: Math.max(1, Math.ceil(longestRouteMs / 1000)),
    startupTimeoutSeconds: DEFAULT_STARTUP_SECONDS,
    memoryMb: Math.max(MIN_MEMORY_MB, memoryMb),
  });
}

/** What of the API and its functions Cloud Run cannot do as Portico does. */
export function apiServiceWarnings(service: ApiService): ExportWarning[] {
  const { api } = service;
  const subject = `API ${api.name}`;
  const warnings: ExportWarning[] = [];
  if (service.functions.length > 0) {
    const limits = service.functions.map((fn) => `${fn.name} ${fn.concurrency}`).join(", ");
    warnings.push({
      subject,
      reason: `its functions share each Cloud Run instance of ${service.name}: a function's \`concurrency\` (most instances: ${limits}) holds within one Cloud Run instance, of which Cloud Run runs up to ${API_MAX_INSTANCES} (autoscaling.knative.dev/maxScale); lower maxScale in ${service.name}.service.yaml to bound the total`,
    });
  }
  const throttled = api.stages.filter(
    (stage) => stage.throttling !== undefined || Object.keys(stage.routeThrottling ?? {}).length > 0,
  );
  if (throttled.length > 0) {
    warnings.push({
      subject,
      reason: `throttling (stage ${throttled.map((stage) => stage.name).join(", ")}) is enforced by each Cloud Run instance on its own: N instances accept up to N times the rate and burst; set maxScale to bound it, or rate-limit in front (Cloud Armor, API Gateway)`,
    });
  }
  for (const authorizer of api.authorizers ?? []) {
    if (authorizer.type === "jwt" && authorizer.jwksFile !== undefined) {
      warnings.push({
        subject: `API ${api.name} authorizer ${authorizer.name}`,
        reason: `verifies tokens with the keys of its \`jwks\` file (copied), not those ${authorizer.issuer} publishes: remove \`jwks\` from ${service.name}/portico.yaml to use the issuer's keys`,
      });
    }
    if (authorizer.type === "unserved") {
      warnings.push({
        subject: `API ${api.name} authorizer ${authorizer.name}`,
        reason: `(${authorizer.kind}) has no equivalent: its routes answer as to a caller without credentials; use Cloud Run's IAM (no allUsers invoker) or IAP instead`,
      });
    }
  }
  if (api.domains.length > 0) {
    warnings.push({
      subject,
      reason: `domains (${api.domains.join(", ")}) have no equivalent in the manifest: map each with \`gcloud beta run domain-mappings create --service ${service.name} --domain DOMAIN --region REGION\` and set the DNS records it prints`,
    });
  }
  return warnings;
}

function invokedFunctions(api: ApiSpec): Set<string> {
  const names = new Set(api.routes.map((route) => route.functionName));
  for (const authorizer of api.authorizers ?? []) {
    if (authorizer.type === "lambda") names.add(authorizer.functionName);
  }
  return names;
}
