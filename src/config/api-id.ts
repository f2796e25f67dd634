/** The API id an API is known by (as in `{api-id}.execute-api...`): ten lowercase alphanumerics, stable per name. */
import { stableId } from "../aws/index.js";

export function apiIdFor(apiName: string): string {
  return stableId(`portico-api:${apiName}`, 10);
}
