/** The words `portico dev --help` and `portico invoke --help` use for what instances see of the environment. */

export const ENV_VARS_HELP =
  'JSON file of variable values, as for `sam local --env-vars`: {"Parameters": {...}} for every function and service, {"NAME": {...}} for one; replaces declared variables only';

export const PARAMETER_OVERRIDES_HELP =
  'values for the SAM template\'s Parameters, as for `sam local --parameter-overrides`: "Key=Value Key2=Value2" or "ParameterKey=Key,ParameterValue=Value"; may be repeated';

/** Commander's collector for an option that may be given more than once. */
export function collect(value: string, previous: readonly string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export const ENV_FILE_HELP = `dotenv file of values for \${env:NAME} in portico.yaml (Portico's own environment wins)`;

export const ENVIRONMENT_HELP = `
What instances see of Portico's environment:
  Functions and services get PATH, HOME, LANG (C.UTF-8 when unset) and TMPDIR from it, nothing else.
  Pass a variable by naming it in portico.yaml:
    environment: { DATABASE_URL: \${env:DATABASE_URL} }      (a function)
    env: { HTTP_PROXY: \${env:HTTP_PROXY:-} }                 (a service; :- gives a default)
  An unset variable without a default is a config error; $\${ writes a literal \${.
  Details: docs/functions.md and docs/services.md ("What a function/service can see").
`;
