/**
 * The opaque ids API Gateway assigns (API ids, REST resource and deployment ids), made stable: each is hashed from
 * what it names, so a restart or reload keeps the ids a function may have logged or compared.
 */
import { createHash } from "node:crypto";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** `length` lowercase alphanumerics derived from `seed` (at most 32). */
export function stableId(seed: string, length: number): string {
  const digest = createHash("sha256").update(seed).digest();
  let id = "";
  for (let i = 0; i < length; i++) id += ALPHABET[(digest[i] as number) % ALPHABET.length];
  return id;
}

/**
 * A REST API's `requestContext.resourceId`: six characters like the captured `3nq1cq`. REST ids name a resource
 * (a path), which all of its methods share, so `GET /items` and `POST /items` get the same id.
 */
export function restResourceId(apiId: string, resourcePath: string): string {
  return stableId(`portico-rest-resource:${apiId}:${resourcePath}`, 6);
}

/** A REST API's `requestContext.deploymentId`: six characters like the captured `v99qix`, one per API. */
export function restDeploymentId(apiId: string): string {
  return stableId(`portico-rest-deployment:${apiId}`, 6);
}
