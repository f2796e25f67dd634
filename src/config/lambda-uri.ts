/**
 * Which function an integration or authorizer URI invokes. API Gateway names a Lambda function by an ARN inside
 * `arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/FUNCTION_ARN/invocations`; a template writes that ARN
 * as `!GetAtt Fn.Arn`, inside `!Sub` as `${Fn.Arn}`, or as a plain ARN string ending in `function:NAME`.
 */
import { intrinsicName } from "./sam-intrinsics.js";

type Json = Record<string, unknown>;

/** What a URI names: a template resource (by logical id) or a function name out of an ARN. */
export type LambdaTarget =
  | { readonly kind: "resource"; readonly logicalId: string }
  | { readonly kind: "name"; readonly name: string };

/** `function:NAME`, `function:NAME:alias` or `function:NAME:3`, ending the ARN or followed by `/invocations`. */
const FUNCTION_ARN = /:function:([A-Za-z0-9_-]+)(?::[A-Za-z0-9_$-]+)?(?:\/invocations)?$/;
/** `${Fn.Arn}` or `${Fn}` in place of the function's ARN. */
const SUB_FUNCTION = /functions\/\$\{([A-Za-z0-9_]+)(?:\.Arn)?\}(?::[A-Za-z0-9_$-]+)?\/invocations$/;

/** The function `uri` invokes, or undefined when it names none Portico can tell. */
export function lambdaTarget(uri: unknown): LambdaTarget | undefined {
  if (typeof uri === "string") {
    const match = FUNCTION_ARN.exec(uri);
    return match === null ? undefined : { kind: "name", name: match[1] as string };
  }
  const intrinsic = intrinsicName(uri);
  const args = intrinsic === undefined ? undefined : (uri as Json)[intrinsic];
  switch (intrinsic) {
    case "Fn::GetAtt": {
      const [id, attribute] = typeof args === "string" ? args.split(".") : Array.isArray(args) ? args : [];
      return typeof id === "string" && attribute === "Arn" ? { kind: "resource", logicalId: id } : undefined;
    }
    case "Ref":
      return typeof args === "string" ? { kind: "resource", logicalId: args } : undefined;
    case "Fn::Sub":
      return subTarget(args);
    case "Fn::Join": {
      // `!Join ["", ["arn:...:functions/", !GetAtt Fn.Arn, "/invocations"]]`: the one part that is a function.
      const parts = Array.isArray(args) && Array.isArray(args[1]) ? (args[1] as unknown[]) : [];
      const targets = parts.filter((part) => typeof part !== "string").map(lambdaTarget);
      return targets.length === 1 ? targets[0] : undefined;
    }
    default:
      return undefined;
  }
}

/** `!Sub "...functions/${Fn.Arn}/invocations"`, or its long form with the ARN given as a variable. */
function subTarget(args: unknown): LambdaTarget | undefined {
  const [template, variables] = typeof args === "string" ? [args, {}] : Array.isArray(args) ? args : [];
  if (typeof template !== "string") return undefined;
  const match = SUB_FUNCTION.exec(template);
  if (match === null) {
    const arn = FUNCTION_ARN.exec(template);
    return arn === null ? undefined : { kind: "name", name: arn[1] as string };
  }
  const name = match[1] as string;
  const variable = (variables as Json | null)?.[name];
  if (variable === undefined) return { kind: "resource", logicalId: name };
  return lambdaTarget(variable);
}
