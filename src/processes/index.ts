/** Processes: the OS processes Portico starts for instances, as whole process groups, and how many may live. */
export { defaultMaxInstances, type IdleInstances, InstanceBudget } from "./instance-budget.js";
export { forgetGroup, killGroup, killGroups, signalGroup, spawnGroup } from "./process-group.js";
export { groupsOfTree } from "./process-tree.js";
