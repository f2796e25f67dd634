/**
 * Functions made and changed one at a time, as Lambda's API does (CreateFunction, UpdateFunctionCode,
 * UpdateFunctionConfiguration, AddPermission). A function a project deployed belongs to that project: changing
 * it here would be undone by the project's next deploy, so it is refused.
 */
import { type CodeRef, type FunctionConfig, type FunctionRecord, PorticoError } from "../../model/index.js";
import type { Command } from "./command.js";
import { checkIfMatch } from "./etag.js";
import { recordKey } from "./record-key.js";

export interface FunctionInput {
  readonly config: FunctionConfig;
  readonly code: CodeRef;
  /** What only the Lambda API reads back (Description, Role...). */
  readonly aws?: Readonly<Record<string, unknown>>;
}

export function createFunction(input: FunctionInput): Command<FunctionRecord> {
  return (state, { now }) => {
    const { name } = input.config;
    if (state.function.has(name)) {
      throw new PorticoError("FUNCTION_EXISTS", `Function already exist: ${name}`, { status: 409 });
    }
    const record: FunctionRecord = {
      name,
      project: null,
      version: 1,
      key: recordKey(input.config, input.code.digest),
      config: input.config,
      code: input.code,
      modifiedAt: now.toISOString(),
      ...(input.aws === undefined ? {} : { aws: input.aws }),
    };
    return { change: [{ kind: "function", name, record }], value: record };
  };
}

export interface FunctionUpdate {
  readonly config?: Partial<Omit<FunctionConfig, "name">>;
  readonly code?: CodeRef;
  readonly aws?: Readonly<Record<string, unknown>>;
  /** Merged into the function's permissions, by statement id; an id already there is refused. */
  readonly permission?: { readonly sid: string; readonly statement: unknown };
}

export function functionOwnedByProject(name: string, project: string): PorticoError {
  return new PorticoError(
    "OWNED_BY_PROJECT",
    `Function ${name} belongs to project ${project}: change it in the project and deploy that.`,
    { status: 409 },
  );
}

/** Changes a function no project owns; a new version when its settings or code changed. */
export function updateFunction(
  name: string,
  update: FunctionUpdate,
  ifMatch?: string,
): Command<FunctionRecord> {
  return (state, { now }) => {
    const current = functionRecord(state.function, name);
    checkIfMatch(`Function ${name}`, current, ifMatch);
    if (current.project !== null) throw functionOwnedByProject(name, current.project);
    const sid = update.permission?.sid;
    if (sid !== undefined && current.permissions?.[sid] !== undefined) {
      throw new PorticoError(
        "PERMISSION_EXISTS",
        `The statement id (${sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
        { status: 409 },
      );
    }
    const config: FunctionConfig = { ...current.config, ...update.config };
    const code = update.code ?? current.code;
    const key = recordKey(config, code.digest);
    const record: FunctionRecord = {
      ...current,
      config,
      code,
      key,
      version: key === current.key ? current.version : current.version + 1,
      modifiedAt: now.toISOString(),
      ...(update.aws === undefined ? {} : { aws: { ...current.aws, ...update.aws } }),
      ...(update.permission === undefined
        ? {}
        : { permissions: { ...current.permissions, [update.permission.sid]: update.permission.statement } }),
    };
    return { change: [{ kind: "function", name, record }], value: record };
  };
}

/** The function's record, or a 404 that lists the functions there are. */
export function functionRecord(functions: ReadonlyMap<string, FunctionRecord>, name: string): FunctionRecord {
  const record = functions.get(name);
  if (record) return record;
  const known = [...functions.keys()];
  throw new PorticoError(
    "FUNCTION_NOT_FOUND",
    `Function ${name} does not exist. ${known.length > 0 ? `Functions: ${known.join(", ")}.` : "There are no functions yet."}`,
    { status: 404 },
  );
}
