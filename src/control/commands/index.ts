/** Commands: requests turned into one validated change of the desired state each. */

export { putApi } from "./apis.js";
export type { Command, CommandContext, CommandResult } from "./command.js";
export {
  codeDirectories,
  deployProject,
  type ProjectDeployment,
  type ProjectSource,
} from "./deploy-project.js";
export { deployRevision, type RevisionSource } from "./deploy-revision.js";
export { checkIfMatch, etagOf } from "./etag.js";
export {
  createFunction,
  type FunctionInput,
  type FunctionUpdate,
  functionOwnedByProject,
  functionRecord,
  updateFunction,
} from "./functions.js";
export {
  createHttpApi,
  type DraftEdit,
  deleteHttpApi,
  draftOfRecord,
  editHttpApi,
  httpApiById,
  ownedByProject,
} from "./http-apis.js";
export { type Removal, remove } from "./remove.js";
export { type DeployedRevision, type DeployOptions, latestReady, markFailed } from "./service-revisions.js";
export { serviceRecord, updateTraffic } from "./update-traffic.js";
