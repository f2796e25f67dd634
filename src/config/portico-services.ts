/**
 * portico.yaml `services:` (DESIGN.md) → ServiceSpec: Cloud Run's settings, limits and defaults
 * (../shared/reference/cloudrun.md), checked with the same wording as functions and APIs.
 */
import { resolve } from "node:path";
import { z } from "zod";
import { PorticoError, type ServiceSpec } from "../model/index.js";
import { DEFAULTS } from "./defaults.js";
import {
  absentIfNull,
  describeValue,
  domainName,
  expecting,
  idleTimeoutSeconds,
  type NameProblem,
  namedMapping,
  scalarString,
  wholeNumber,
} from "./field-schemas.js";
import { directoryProblem } from "./model-assembly.js";

const SERVICE_NAME = /^[a-z]([a-z0-9-]{0,47}[a-z0-9])?$/;

/**
 * Service names are Cloud Run service ids (cloudrun.md §3.1): DNS labels of at most 49 characters starting
 * with a letter; the service is reached at NAME.localhost.
 */
export function serviceNameProblem(name: string): string | NameProblem | undefined {
  if (!SERVICE_NAME.test(name)) {
    const guess = name.toLowerCase().replace(/[_.\s]+/g, "-");
    return {
      message:
        "is not a valid service name: it is used as a host name (NAME.localhost), so use up to 49 lowercase letters, digits and -, starting with a letter and not ending with -, as Cloud Run does",
      hint: SERVICE_NAME.test(guess) && !guess.includes("---") ? `did you mean \`${guess}\`?` : undefined,
    };
  }
  // `TAG---NAME.localhost` addresses a tagged revision; a service name must not look like one.
  if (name.includes("---"))
    return "is not a valid service name: `---` is reserved for tag URLs (TAG---NAME.localhost)";
  return undefined;
}

/** Variables Cloud Run sets in every instance and refuses from users (cloudrun.md §1.1, §1.2). */
export const RESERVED_SERVICE_ENVIRONMENT_VARIABLES: ReadonlySet<string> = new Set([
  "PORT",
  "K_SERVICE",
  "K_REVISION",
  "K_CONFIGURATION",
]);

/** Cloud Run's limits on a container's variables (cloudrun.md §1.2). */
const ENV_MAX_COUNT = 1000;
const ENV_VALUE_MAX_BYTES = 32 * 1024;

function serviceEnvNameProblem(name: string): string | undefined {
  if (RESERVED_SERVICE_ENVIRONMENT_VARIABLES.has(name)) {
    return "is reserved: Cloud Run sets PORT, K_SERVICE, K_REVISION and K_CONFIGURATION in every instance and rejects them in a service's env; Portico sets them too (listen on $PORT)";
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    return "is not a valid variable name: use letters, digits and _, not starting with a digit";
  }
  return undefined;
}

const serviceEnv = namedMapping(
  "a mapping of variable names to values",
  serviceEnvNameProblem,
  scalarString("a string, number or boolean"),
).superRefine((variables, ctx) => {
  const names = Object.keys(variables);
  if (names.length > ENV_MAX_COUNT) {
    ctx.addIssue({
      code: "custom",
      input: variables,
      message: `has ${names.length} variables; Cloud Run allows ${ENV_MAX_COUNT}`,
    });
  }
  for (const [name, value] of Object.entries(variables)) {
    const bytes = Buffer.byteLength(value);
    if (bytes > ENV_VALUE_MAX_BYTES) {
      ctx.addIssue({
        code: "custom",
        input: value,
        path: [name],
        message: `is ${bytes} bytes; Cloud Run allows 32 KiB per value`,
      });
    }
  }
});

const command = z
  .string({ error: expecting("a command line such as `python3 app.py`") })
  .refine((line) => line.trim() !== "", {
    error: (issue) => `must be a command line such as \`python3 app.py\`, got ${describeValue(issue.input)}`,
  });

/** The distribution/reference grammar Docker uses: [registry[:port]/]path[:tag][@digest]. */
const IMAGE_REFERENCE = (() => {
  const alnum = "[a-z0-9]+";
  const component = `${alnum}(?:(?:[._]|__|-+)${alnum})*`;
  const domainPart = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  const domain = `${domainPart}(?:\\.${domainPart})*(?::[0-9]+)?`;
  const tag = "[\\w][\\w.-]{0,127}";
  const digest = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
  return new RegExp(`^(?:${domain}/)?${component}(?:/${component})*(?::${tag})?(?:@${digest})?$`);
})();

const image = z
  .string({ error: expecting("a container image such as ghcr.io/acme/web:1.2") })
  .superRefine((reference, ctx) => {
    if (IMAGE_REFERENCE.test(reference)) return;
    const lower = reference.toLowerCase();
    ctx.addIssue({
      code: "custom",
      input: reference,
      message: `must be a container image such as ghcr.io/acme/web:1.2 (repository names are lowercase), got ${describeValue(reference)}`,
      params:
        lower !== reference && IMAGE_REFERENCE.test(lower) ? { hint: `did you mean \`${lower}\`?` } : {},
    });
  });

/** Node exports may be dotted paths into the module (`handlers.hello`); Python targets are identifiers. */
const functionTarget = z
  .string({ error: expecting("the name of the function to serve (FUNCTION_TARGET), e.g. helloHttp") })
  .superRefine((target, ctx) => {
    if (/^[A-Za-z_$][\w$-]*(?:\.[A-Za-z_$][\w$-]*)*$/.test(target)) return;
    ctx.addIssue({
      code: "custom",
      input: target,
      message: `must be the name of the function to serve (FUNCTION_TARGET), e.g. helloHttp, got ${describeValue(target)}`,
    });
  });

const serviceConcurrency = wholeNumber("a whole number of requests per instance between 1 and 1000", 1, 1000);
const minInstances = wholeNumber("a whole number of instances, at least 0", 0);
const maxInstances = wholeNumber("a whole number of instances, at least 1", 1);
const serviceTimeoutSeconds = wholeNumber("a whole number of seconds between 1 and 3600", 1, 3600);
/** Cloud Run gives a container at most 4 minutes to start (cloudrun.md §1.4). */
const startupTimeoutSeconds = wholeNumber("a whole number of seconds between 1 and 240", 1, 240);

export function serviceSchema(rootDir: string) {
  return z
    .strictObject(
      {
        source: z
          .string({ error: expecting("a directory relative to the config file") })
          .transform((dir) => resolve(rootDir, dir))
          .superRefine(async (dir, ctx) => {
            const problem = await directoryProblem(dir);
            if (problem !== undefined) ctx.addIssue({ code: "custom", input: dir, message: problem });
          })
          .optional(),
        command: command.optional(),
        image: image.optional(),
        functionTarget: functionTarget.optional(),
        env: absentIfNull(serviceEnv.default({})),
        concurrency: serviceConcurrency.default(DEFAULTS.service.concurrency),
        minInstances: minInstances.default(DEFAULTS.service.minInstances),
        // No default here: whether it was written decides which key a min > max problem names.
        maxInstances: maxInstances.optional(),
        timeout: serviceTimeoutSeconds.default(DEFAULTS.service.timeoutSeconds),
        idleTimeout: idleTimeoutSeconds.default(DEFAULTS.service.idleTimeoutSeconds),
        startupTimeout: startupTimeoutSeconds.default(DEFAULTS.service.startupTimeoutSeconds),
        public: z.boolean({ error: expecting("true or false") }).default(DEFAULTS.service.public),
        domains: absentIfNull(z.array(domainName, { error: expecting("a list of host names") }).default([])),
      },
      { error: expecting("a mapping of service settings (source, command, concurrency, ...)") },
    )
    .superRefine(crossFieldProblems, { when: () => true });
}

/** Rules between settings; run on partly parsed data too, so they are reported beside field problems. */
function crossFieldProblems(service: Record<string, unknown>, ctx: z.core.$RefinementCtx<unknown>): void {
  if (service.source !== undefined && service.image !== undefined) {
    ctx.addIssue({
      code: "custom",
      input: service.image,
      path: ["image"],
      message:
        "cannot be given together with `source`: a service runs either from a source directory or from a container image",
    });
  }
  const min = service.minInstances;
  const max = service.maxInstances;
  const validMin = Number.isSafeInteger(min) && (min as number) >= 0;
  const validMax = max === undefined || (Number.isSafeInteger(max) && (max as number) >= 1);
  if (validMin && validMax) {
    const ceiling = (max as number | undefined) ?? DEFAULTS.service.maxInstances;
    if ((min as number) > ceiling) {
      ctx.addIssue(
        max === undefined
          ? {
              code: "custom",
              input: min,
              path: ["minInstances"],
              message: `must be at most \`maxInstances\` (${ceiling} by default), got ${min}; lower minInstances or set maxInstances`,
            }
          : {
              code: "custom",
              input: max,
              path: ["maxInstances"],
              message: `must be at least \`minInstances\` (${min}), got ${max}`,
            },
      );
    }
  }
  const env = service.env;
  if (
    service.functionTarget !== undefined &&
    typeof env === "object" &&
    env !== null &&
    "FUNCTION_TARGET" in env
  ) {
    ctx.addIssue({
      code: "custom",
      input: (env as Record<string, unknown>).FUNCTION_TARGET,
      path: ["env", "FUNCTION_TARGET"],
      message: "is set from `functionTarget`; give the target in one place",
    });
  }
}

type ServiceSettings = z.output<ReturnType<typeof serviceSchema>>;

export function toServiceSpec(rootDir: string, name: string, service: ServiceSettings): ServiceSpec {
  return {
    name,
    sourceDir: service.source ?? resolve(rootDir, DEFAULTS.service.source),
    command: service.command ?? null,
    image: service.image ?? null,
    functionTarget: service.functionTarget ?? null,
    env: service.env,
    concurrency: service.concurrency,
    minInstances: service.minInstances,
    maxInstances: service.maxInstances ?? DEFAULTS.service.maxInstances,
    timeoutSeconds: service.timeout,
    idleTimeoutSeconds: service.idleTimeout,
    startupTimeoutSeconds: service.startupTimeout,
    public: service.public,
    domains: service.domains,
  };
}

/**
 * A service first deployed from the command line (`portico services deploy NAME --source DIR`): every
 * setting but its source at Cloud Run's default. Throws SERVICE_NAME_INVALID or SERVICE_SOURCE_NOT_FOUND.
 */
export async function defaultServiceSpec(name: string, sourceDir: string): Promise<ServiceSpec> {
  const nameProblem = serviceNameProblem(name);
  if (nameProblem !== undefined) {
    const { message, hint } = typeof nameProblem === "string" ? { message: nameProblem } : nameProblem;
    throw new PorticoError("SERVICE_NAME_INVALID", `"${name}" ${message}${hint ? ` (${hint})` : ""}.`);
  }
  const dir = resolve(sourceDir);
  const dirProblem = await directoryProblem(dir);
  if (dirProblem !== undefined) {
    throw new PorticoError("SERVICE_SOURCE_NOT_FOUND", `--source: ${dirProblem}`);
  }
  const settings = await serviceSchema(dir).parseAsync({});
  return toServiceSpec(dir, name, settings);
}
