/** Stores of the desired state: one interface, kept by memory (`dev`) and SQLite (`up`). */
export {
  DEFAULT_QUERY_LIMIT,
  type LogKind,
  type LogLocation,
  type LogQuery,
  type LogRecord,
  type LogRetention,
  type LogStore,
  logRetention,
  type StoredLogRecord,
} from "./log-store.js";
export { MEMORY_LOG_RETENTION } from "./memory-log-store.js";
export { MemoryStore } from "./memory-store.js";
export { RecordNotJsonError } from "./record-json.js";
export { SQLITE_LOG_RETENTION } from "./sqlite-log-store.js";
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
