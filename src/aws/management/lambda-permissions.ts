/**
 * AddPermission: a statement of the function's resource-based policy, built as Lambda builds it, and the policy
 * GetPolicy returns. Portico keeps the statements (a FunctionRecord's `permissions`) but does not enforce them:
 * every caller that reaches it may invoke.
 */
import { z } from "zod";
import type { FunctionRecord } from "../../model/index.js";
import {
  constraintProblem,
  invalidParameterValue,
  lambdaValidationError,
  resourceConflict,
  resourceNotFound,
} from "./aws-errors.js";
import { readShape } from "./json-body.js";
import type { JsonObject } from "./lambda-configuration.js";
import { functionArn } from "./lambda-names.js";
import { checkRevisionId, revisionIdOf } from "./lambda-revision.js";

export const addPermissionShape = z.object({
  StatementId: z.string().optional(),
  Action: z.string().optional(),
  Principal: z.string().optional(),
  SourceArn: z.string().optional(),
  SourceAccount: z.string().optional(),
  EventSourceToken: z.string().optional(),
  RevisionId: z.string().optional(),
  PrincipalOrgID: z.string().optional(),
  FunctionUrlAuthType: z.string().optional(),
});

export type AddPermissionRequest = z.output<typeof addPermissionShape>;

export interface PermissionChange {
  /** The function's statements afterwards, by statement id: the record's new `permissions`. */
  readonly permissions: Readonly<Record<string, unknown>>;
  /** AddPermission's answer: the statement as a JSON string. */
  readonly answer: { readonly Statement: string };
}

/** AddPermission on `record` (`qualifier` from the query string names the version the statement is for). */
export function addPermission(record: FunctionRecord, body: unknown, qualifier?: string): PermissionChange {
  const request = readShape(addPermissionShape, body, "lambda");
  const problems = permissionProblems(request);
  if (problems.length > 0) throw lambdaValidationError(problems);
  checkRevisionId(record, request.RevisionId);
  const sid = request.StatementId as string;
  const existing = record.permissions ?? {};
  if (Object.hasOwn(existing, sid)) {
    // Lambda's wording (LocalStack's provider; also matched by clients that treat it as "already added").
    throw resourceConflict(
      `The statement id (${sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
    );
  }
  const statement = statementOf(request, functionArn(record.name, qualifier));
  return { permissions: { ...existing, [sid]: statement }, answer: { Statement: JSON.stringify(statement) } };
}

/** GetPolicy: the statements as one IAM policy document, as a JSON string. */
export function renderPolicy(record: FunctionRecord): JsonObject {
  const statements = Object.values(record.permissions ?? {});
  // Lambda's answer to GetPolicy on a function without a policy.
  if (statements.length === 0) throw resourceNotFound("The resource you requested does not exist.");
  const policy = { Version: "2012-10-17", Id: "default", Statement: statements };
  return { Policy: JSON.stringify(policy), RevisionId: revisionIdOf(record) };
}

function permissionProblems(request: AddPermissionRequest): string[] {
  const problems: string[] = [];
  const required: Array<[keyof AddPermissionRequest, string, RegExp, string]> = [
    ["StatementId", "statementId", /^[a-zA-Z0-9_.-]{1,100}$/, "([a-zA-Z0-9-_.]+)"],
    ["Action", "action", /^(lambda:[*]|lambda:[a-zA-Z]+|[*])$/, "(lambda:[*]|lambda:[a-zA-Z]+|[*])"],
    ["Principal", "principal", /^[^\s]+$/, "[^\\s]+"],
  ];
  for (const [field, member, pattern, patternText] of required) {
    const value = request[field];
    if (value === undefined) problems.push(constraintProblem(null, member, "Member must not be null"));
    else if (!pattern.test(value)) {
      problems.push(
        constraintProblem(value, member, `Member must satisfy regular expression pattern: ${patternText}`),
      );
    }
  }
  if (request.SourceAccount !== undefined && !/^\d{12}$/.test(request.SourceAccount)) {
    problems.push(
      constraintProblem(
        request.SourceAccount,
        "sourceAccount",
        "Member must satisfy regular expression pattern: \\d{12}",
      ),
    );
  }
  const authType = request.FunctionUrlAuthType;
  if (authType !== undefined && authType !== "NONE" && authType !== "AWS_IAM") {
    problems.push(
      constraintProblem(
        authType,
        "functionUrlAuthType",
        "Member must satisfy enum value set: [NONE, AWS_IAM]",
      ),
    );
  }
  return problems;
}

/** The statement Lambda adds: Sid, Effect, Principal, Action, Resource, then any conditions. */
function statementOf(request: AddPermissionRequest, resource: string): JsonObject {
  const stringEquals: Record<string, string> = {};
  if (request.FunctionUrlAuthType !== undefined)
    stringEquals["lambda:FunctionUrlAuthType"] = request.FunctionUrlAuthType;
  if (request.PrincipalOrgID !== undefined) stringEquals["aws:PrincipalOrgID"] = request.PrincipalOrgID;
  if (request.SourceAccount !== undefined) stringEquals["AWS:SourceAccount"] = request.SourceAccount;
  if (request.EventSourceToken !== undefined)
    stringEquals["lambda:EventSourceToken"] = request.EventSourceToken;
  const condition: JsonObject = {};
  if (Object.keys(stringEquals).length > 0) condition.StringEquals = stringEquals;
  if (request.SourceArn !== undefined) condition.ArnLike = { "AWS:SourceArn": request.SourceArn };
  return {
    Sid: request.StatementId,
    Effect: "Allow",
    Principal: principalOf(request.Principal as string),
    Action: request.Action,
    Resource: resource,
    ...(Object.keys(condition).length === 0 ? {} : { Condition: condition }),
  };
}

/** A service, an account, an IAM ARN or `*`, in the form IAM policies write them. */
function principalOf(principal: string): unknown {
  if (principal === "*") return "*";
  if (principal.endsWith(".amazonaws.com")) return { Service: principal };
  if (/^\d{12}$/.test(principal)) return { AWS: `arn:aws:iam::${principal}:root` };
  if (/^arn:aws[a-zA-Z-]*:iam:/.test(principal)) return { AWS: principal };
  throw invalidParameterValue(
    "The provided principal was invalid. Please check the principal and try again.",
  );
}
