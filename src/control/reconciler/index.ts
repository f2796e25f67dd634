/** The reconciler: a pure plan of what to start and stop, and the executor that does it. */
export { type Plan, plan, type RevisionToStart, type RunningView } from "./plan.js";
export { type Prepared, Reconciler, type ReconcilerParts, RevisionStartError } from "./reconciler.js";
