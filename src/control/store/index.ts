/** Stores of the desired state: one interface, kept by memory (`dev`) and SQLite (`up`). */
export { MemoryStore } from "./memory-store.js";
export {
  type InvocationQueue,
  type QueuedInvocation,
  type Snapshot,
  type Store,
  StoreConflictError,
} from "./store.js";
