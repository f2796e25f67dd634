/** What the readers of a plain CloudFormation template share: its resources, and how to follow references among them. */
import { basename } from "node:path";
import { referencedResource } from "./cfn-references.js";
import { formatKeyPath } from "./config-error.js";
import type { IssueLog } from "./issue-log.js";

type Json = Record<string, unknown>;
type Path = readonly PropertyKey[];

export interface CfnResource {
  readonly type: string;
  /** Intrinsics a local stack can answer resolved; references to resources left in place. */
  readonly properties: Json;
  readonly metadata: unknown;
}

export class CfnContext {
  readonly file: string;
  readonly log: IssueLog;
  readonly resources: ReadonlyMap<string, CfnResource>;
  /** Functions served (SAM's and Lambda's), by logical id; `FunctionName` → logical id for literal ARNs. */
  readonly #functions: ReadonlySet<string>;
  readonly #functionNames: ReadonlyMap<string, string>;

  constructor(options: {
    file: string;
    log: IssueLog;
    resources: ReadonlyMap<string, CfnResource>;
    functions: ReadonlySet<string>;
    functionNames: ReadonlyMap<string, string>;
  }) {
    this.file = options.file;
    this.log = options.log;
    this.resources = options.resources;
    this.#functions = options.functions;
    this.#functionNames = options.functionNames;
  }

  /** Logical ids of the resources of `type`, in template order. */
  idsOf(type: string): string[] {
    return [...this.resources].filter(([, resource]) => resource.type === type).map(([id]) => id);
  }

  /** The one resource of `type` that `value` refers to (`Ref`, `Fn::GetAtt`, `Fn::Sub`, `Fn::Join`). */
  refTo(value: unknown, type: string): string | undefined {
    return referencedResource(value, new Set(this.idsOf(type)));
  }

  /**
   * The served function an ARN (or name) refers to, through a `Lambda::Alias` or `Lambda::Version` to its
   * function. Undefined when it names none, or a function that is not served.
   */
  functionOf(value: unknown): string | undefined {
    const pointers = new Set([...this.idsOf("AWS::Lambda::Alias"), ...this.idsOf("AWS::Lambda::Version")]);
    const candidates = new Set([...this.#functions, ...pointers]);
    const id = referencedResource(value, candidates, this.#functionNames);
    if (id === undefined || !pointers.has(id)) return id;
    return referencedResource(
      this.resources.get(id)?.properties.FunctionName,
      this.#functions,
      this.#functionNames,
    );
  }

  /** A resource's resolved properties ({} for an id not in the template). */
  propertiesOf(id: string): Json {
    return this.resources.get(id)?.properties ?? {};
  }

  /**
   * What resource `id`'s `property` (`ApiId`, `RestApiId`) refers to among `targets` (resources of `type`), or
   * undefined, with an error when it refers to no resource of that type. A target left out of `targets` (a
   * WebSocket API, already warned about) is undefined without one.
   */
  targetOf<T>(id: string, property: string, type: string, targets: ReadonlyMap<string, T>): T | undefined {
    const targetId = this.refTo(this.propertiesOf(id)[property], type);
    if (targetId === undefined) {
      this.log.add(
        ["Resources", id, "Properties", property],
        `must be a Ref to an ${type} resource in this template`,
      );
      return undefined;
    }
    return targets.get(targetId);
  }

  /** `template.yaml: Resources.Auth.Properties.Type`, for a spec to say where it came from. */
  declaredAt(path: Path): string {
    return `${basename(this.file)}: ${formatKeyPath(path)}`;
  }
}
