/** Artifacts: code as content-addressed zips, extracted safely, and projects packed into them for upload. */
export {
  ArchiveError,
  type ArchiveErrorCode,
  ArtifactTooLargeError,
  LAMBDA_EMPTY_ZIP,
  LAMBDA_UNZIP_FAILED,
  type SizeLimitKind,
} from "./archive-error.js";
export { type ExtractOptions, type ExtractSummary, extractArchive } from "./archive-extract.js";
export { checkArtifactId, isArtifactId, sha256Hex } from "./artifact-id.js";
export {
  type ArtifactHold,
  ArtifactStore,
  type ArtifactStoreOptions,
  type PutResult,
} from "./artifact-store.js";
export { type CodeLimits, LAMBDA_CODE_LIMITS } from "./code-limits.js";
export { type PackedProject, type PackOptions, type PackProgress, packProject } from "./project-archive.js";
export { digestTree } from "./tree-digest.js";
