/**
 * Zod schemas for CORS settings (aws.md §5), shared by portico.yaml `cors` and SAM `CorsConfiguration`, and
 * API Gateway's one cross-field rule.
 */
import { z } from "zod";
import { describeValue, expecting, wholeNumber } from "./field-schemas.js";

const CORS_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "*"];

export const corsOrigins = z.array(
  z
    .string({ error: expecting("an origin such as https://example.test, or *") })
    .superRefine((origin, ctx) => {
      if (origin !== "*" && !/^[a-z][a-z0-9+.-]*:\/\/[^/\s]+$/i.test(origin)) {
        ctx.addIssue({
          code: "custom",
          input: origin,
          message: `must be * or an origin (scheme://host[:port], no path), got ${describeValue(origin)}`,
          params: origin.endsWith("/")
            ? { hint: `did you mean \`${origin.replace(/\/+$/, "")}\`?` }
            : undefined,
        });
      }
    }),
  { error: expecting("a list of origins") },
);

export const corsMethods = z.array(
  z
    .string({ error: expecting("an HTTP method or *") })
    .transform((method) => method.toUpperCase())
    .superRefine((method, ctx) => {
      if (!CORS_METHODS.includes(method)) {
        ctx.addIssue({
          code: "custom",
          input: method,
          message: `must be one of ${CORS_METHODS.join(", ")}, got ${describeValue(method)}`,
        });
      }
    }),
  { error: expecting("a list of HTTP methods") },
);

export const corsHeaders = z.array(
  z.string({ error: expecting("a header name or *") }).superRefine((header, ctx) => {
    if (header !== "*" && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(header)) {
      ctx.addIssue({
        code: "custom",
        input: header,
        message: `must be a header name or *, got ${describeValue(header)}`,
      });
    }
  }),
  { error: expecting("a list of header names") },
);

export const corsMaxAge = wholeNumber("a whole number of seconds between -1 and 86400", -1, 86400);
export const corsCredentials = z.boolean({ error: expecting("true or false") });

/**
 * API Gateway refuses credentials with a wildcard origin at configuration time; checked even when other CORS
 * fields are wrong, so the user sees every problem at once.
 */
export function rejectCredentialsWithWildcard(originsKey: string, credentialsKey: string) {
  return [
    (cors: unknown, ctx: z.core.$RefinementCtx<unknown>) => {
      const fields = (cors ?? {}) as Record<string, unknown>;
      const origins = fields[originsKey];
      if (fields[credentialsKey] === true && Array.isArray(origins) && origins.includes("*")) {
        ctx.addIssue({
          code: "custom",
          input: true,
          path: [credentialsKey],
          message:
            "allow-credentials is not supported if 'allow-origin' is * (API Gateway rejects it); list the origins instead",
        });
      }
    },
    { when: () => true },
  ] as const;
}

/** CORS as portico.yaml's `cors` and an OpenAPI document's `x-amazon-apigateway-cors` write it. */
export const corsFields = {
  allowOrigins: corsOrigins.optional(),
  allowMethods: corsMethods.optional(),
  allowHeaders: corsHeaders.optional(),
  exposeHeaders: corsHeaders.optional(),
  maxAge: corsMaxAge.optional(),
  allowCredentials: corsCredentials.optional(),
};
