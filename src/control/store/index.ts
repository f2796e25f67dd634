/** Stores of the desired state: one interface, kept by memory (`dev`) and SQLite (`up`). */
export { MemoryStore } from "./memory-store.js";
export { RecordNotJsonError } from "./record-json.js";
export { SCHEMA_VERSION, StoreSchemaTooNewError } from "./sqlite-migrations.js";
export { SqliteStore, type SqliteStoreOptions, StoreOpenError } from "./sqlite-store.js";
export {
  type InvocationQueue,
  type QueuedInvocation,
  type Snapshot,
  type Store,
  StoreClosedError,
  StoreConflictError,
} from "./store.js";
