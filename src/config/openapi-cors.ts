/** `x-amazon-apigateway-cors`: an HTTP API's CORS settings written in its OpenAPI document. */
import { z } from "zod";
import { corsFields, rejectCredentialsWithWildcard } from "./cors-schemas.js";
import { expecting } from "./field-schemas.js";
import type { CorsDraft } from "./model-assembly.js";
import type { DefinitionSink, Path } from "./openapi-sink.js";
import { checkSchema } from "./schema-check.js";

const definitionCors = z
  .looseObject(corsFields, {
    error: expecting("a mapping of CORS settings (allowOrigins, allowMethods, ...)"),
  })
  .superRefine(...rejectCredentialsWithWildcard("allowOrigins", "allowCredentials"));

export async function readDefinitionCors(
  value: unknown,
  at: Path,
  sink: DefinitionSink,
): Promise<CorsDraft | undefined> {
  if (value === undefined) return undefined;
  if (sink.kind === "rest") {
    sink.warn(at, "applies to HTTP APIs only; give a REST API's CORS with the Api's `Cors` property");
    return undefined;
  }
  const checked = await checkSchema(definitionCors, value);
  if (!checked.ok) {
    for (const issue of checked.issues) sink.error([...at, ...issue.path], issue.reason);
    return undefined;
  }
  return checked.data;
}
