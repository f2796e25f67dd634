/**
 * Validates Cloud Run manifests against Knative Serving's `Service` CRD (test/fixtures/knative/, with its
 * provenance), as a JSON schema. Kubernetes drops or rejects (`kubectl --validate=strict`) fields a structural
 * schema does not declare, so every object that lists its properties, and does not preserve unknown fields, is
 * closed here: a misspelt field fails instead of passing unnoticed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv, type ErrorObject } from "ajv";
import { parse } from "yaml";
import { fixturesDir } from "./paths.js";

type Schema = Record<string, unknown>;

const crd = parse(readFileSync(join(fixturesDir, "knative", "service-crd.yaml"), "utf8")) as {
  spec: { versions: Array<{ name: string; schema: { openAPIV3Schema: Schema } }> };
};
const v1 = crd.spec.versions.find((version) => version.name === "v1");
if (v1 === undefined) throw new Error("the Knative Service CRD has no v1 version");

const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const validate = ajv.compile(closed(v1.schema.openAPIV3Schema));

/** The schema's problems with `manifest` (`/spec/template/...: message`); empty when it is valid. */
export function knativeServiceProblems(manifest: unknown): string[] {
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map(
    (error: ErrorObject) =>
      `${error.instancePath || "/"}: ${error.message}${error.keyword === "additionalProperties" ? ` (${String(error.params.additionalProperty)})` : ""}`,
  );
}

/** A copy of an OpenAPI v3 schema, its `x-kubernetes-*` keywords applied as Kubernetes applies them. */
function closed(schema: Schema): Schema {
  const copy: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key.startsWith("x-kubernetes-")) continue;
    if (key === "properties") {
      copy.properties = Object.fromEntries(
        Object.entries(value as Record<string, Schema>).map(([name, property]) => [name, closed(property)]),
      );
    } else if (key === "items" || (key === "additionalProperties" && typeof value === "object")) {
      copy[key] = closed(value as Schema);
    } else copy[key] = value;
  }
  if (schema["x-kubernetes-int-or-string"] === true) copy.type = ["integer", "string"];
  const preserves = schema["x-kubernetes-preserve-unknown-fields"] === true;
  if (schema.properties !== undefined && !preserves && schema.additionalProperties === undefined) {
    copy.additionalProperties = false;
  }
  return copy;
}
