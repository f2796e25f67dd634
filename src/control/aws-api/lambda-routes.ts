/**
 * The Lambda API's function operations (`/2015-03-31/functions...`), as the AWS SDKs and CLI send them: create,
 * read, list, update, delete, permissions. Code arrives as a base64 zip in the JSON body and is kept as an
 * artifact, extracted once, that the function runs from. Invoke is in lambda-invoke-route.ts.
 */
import {
  addPermission,
  constraintProblem,
  functionArn,
  functionNotFound,
  functionRecordBag,
  invalidParameterValue,
  lambdaValidationError,
  newFunction,
  pageOf,
  parseJsonBody,
  renderFunctionConfiguration,
  renderGetFunction,
  renderListFunctions,
  renderPolicy,
  requestEntityTooLargeException,
  resolveFunctionName,
  resourceConflict,
  updatedCode,
  updatedConfiguration,
} from "../../aws/index.js";
import type { CodeRef, FunctionRecord } from "../../model/index.js";
import { digestTree } from "../artifacts/index.js";
import { createFunction, remove, updateFunction } from "../commands/index.js";
import type { Platform } from "../platform.js";
import { type AwsCall, type AwsRoute, type BodyLimit, jsonAnswer } from "./aws-route.js";

/** Lambda's limit on a whole CreateFunction or UpdateFunctionCode request: a 50 MB zip, base64-encoded, in JSON. */
export const LAMBDA_CODE_REQUEST_MAX_BYTES = 69_905_067;

const FUNCTIONS = "/2015-03-31/functions";

export function lambdaRoutes(on: AwsRoute, platform: Platform): void {
  on("POST", FUNCTIONS, {
    name: "CreateFunction",
    bodyLimit: () => codeRequestLimit("CreateFunction"),
    handler: async ({ body }) => {
      const made = newFunction(parseJsonBody(body, "lambda"));
      // Before the code is stored: the answer does not depend on it.
      if (platform.state.function.has(made.name)) {
        throw resourceConflict(`Function already exist: ${made.name}`);
      }
      const record = await withCode(platform, made.zip, (code) =>
        platform.run(createFunction({ config: made.config, code, aws: functionRecordBag(made.aws) })),
      );
      return jsonAnswer(201, renderFunctionConfiguration(record));
    },
  });
  on("GET", FUNCTIONS, {
    name: "ListFunctions",
    handler: ({ query }) => {
      const records = [...platform.state.function.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
      const page = pageOf(records, query.get("Marker") ?? undefined, maxItemsOf(query.get("MaxItems")));
      if (page === undefined) throw invalidParameterValue("The Marker is not one ListFunctions returned.");
      return jsonAnswer(200, renderListFunctions(page.items, page.next));
    },
  });
  on("GET", `${FUNCTIONS}/:name`, {
    name: "GetFunction",
    // The package's Location (a presigned S3 URL on AWS) is left out: the admin API does not hand out code.
    handler: (call) => jsonAnswer(200, renderGetFunction(functionOf(platform, call))),
  });
  on("GET", `${FUNCTIONS}/:name/configuration`, {
    name: "GetFunctionConfiguration",
    handler: (call) => jsonAnswer(200, renderFunctionConfiguration(functionOf(platform, call))),
  });
  on("PUT", `${FUNCTIONS}/:name/configuration`, {
    name: "UpdateFunctionConfiguration",
    handler: async (call) => {
      const record = changeableFunction(platform, call);
      const { config, aws } = updatedConfiguration(record, parseJsonBody(call.body, "lambda"));
      const { name: _, ...settings } = config;
      const updated = await platform.run(
        updateFunction(record.name, { config: settings, aws: functionRecordBag(aws) }),
      );
      return jsonAnswer(200, renderFunctionConfiguration(updated));
    },
  });
  on("PUT", `${FUNCTIONS}/:name/code`, {
    name: "UpdateFunctionCode",
    bodyLimit: () => codeRequestLimit("UpdateFunctionCode"),
    handler: async (call) => {
      const record = changeableFunction(platform, call);
      const change = updatedCode(record, parseJsonBody(call.body, "lambda"));
      if (change.dryRun) return jsonAnswer(200, renderFunctionConfiguration(record));
      const updated = await withCode(platform, change.zip, (code) =>
        platform.run(updateFunction(record.name, { code, aws: functionRecordBag(change.aws) })),
      );
      return jsonAnswer(200, renderFunctionConfiguration(updated));
    },
  });
  on("DELETE", `${FUNCTIONS}/:name`, {
    name: "DeleteFunction",
    handler: async (call) => {
      const record = functionOf(platform, call);
      await platform.run(remove(record.name, "function"));
      return { status: 204 };
    },
  });
  on("POST", `${FUNCTIONS}/:name/policy`, {
    name: "AddPermission",
    handler: async (call) => {
      const record = changeableFunction(platform, call);
      const qualifier = call.query.get("Qualifier") ?? undefined;
      const { answer } = addPermission(record, parseJsonBody(call.body, "lambda"), qualifier);
      const statement = JSON.parse(answer.Statement) as { readonly Sid: string };
      await platform.run(updateFunction(record.name, { permission: { sid: statement.Sid, statement } }));
      return jsonAnswer(201, answer);
    },
  });
  on("GET", `${FUNCTIONS}/:name/policy`, {
    name: "GetPolicy",
    handler: (call) => jsonAnswer(200, renderPolicy(functionOf(platform, call))),
  });
}

/** The function the path names (`FunctionName` in any of its forms, and `Qualifier`). */
export function functionOf(platform: Platform, call: Pick<AwsCall, "params" | "query">): FunctionRecord {
  const { name } = resolveFunctionName(call.params.name ?? "", call.query.get("Qualifier") ?? undefined);
  const record = platform.state.function.get(name);
  if (record === undefined) throw functionNotFound(functionArn(name));
  return record;
}

/** A function the Lambda API may change: one a project deployed belongs to the project's config. */
function changeableFunction(platform: Platform, call: AwsCall): FunctionRecord {
  const record = functionOf(platform, call);
  if (record.project !== null) {
    throw resourceConflict(
      `Function ${record.name} belongs to project ${record.project}: change it in the project's config and deploy that.`,
    );
  }
  return record;
}

/**
 * Stores `zip` as an artifact and runs `use` with the code it holds; the artifact is held until then, so it is
 * not collected before the record naming it is committed.
 */
async function withCode<T>(platform: Platform, zip: Buffer, use: (code: CodeRef) => Promise<T>): Promise<T> {
  const { sha256, hold } = await platform.artifacts.put(zip);
  try {
    const digest = await digestTree(await platform.artifacts.directory(sha256));
    return await use({ artifact: sha256, path: "", digest });
  } finally {
    hold.release();
  }
}

function codeRequestLimit(operation: string): BodyLimit {
  return {
    maxBytes: LAMBDA_CODE_REQUEST_MAX_BYTES,
    // Lambda's words for a request over its limit.
    tooLarge: () =>
      requestEntityTooLargeException(
        `Request must be smaller than ${LAMBDA_CODE_REQUEST_MAX_BYTES} bytes for the ${operation} operation`,
      ),
  };
}

/** ListFunctions' `MaxItems`: 1 to 10000, 50 when absent. */
function maxItemsOf(raw: string | null): number {
  if (raw === null) return 50;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 10_000) {
    throw lambdaValidationError([
      constraintProblem(raw, "maxItems", "Member must have value between 1 and 10000"),
    ]);
  }
  return value;
}
