/** How busy other programs kept the machine while the benchmark ran: noise to report with each round. */
import { machineCpu, serverCpu } from "./proc-cpu.js";
import type { RunningServer } from "./servers.js";

/** Starts watching the machine; the returned function says how busy others kept it since, in cores. */
export function startNoiseWatch(
  servers: readonly RunningServer[],
): () => { otherCores: number; stealCores: number } {
  const ours = () =>
    servers.reduce((sum, server) => {
      const cpu = serverCpu(server.process.pid);
      return sum + cpu.leaderMs + cpu.othersMs;
    }, 0);
  const startedAt = performance.now();
  const machine = machineCpu();
  const oursBefore = ours() + machine.selfMs;
  return () => {
    const wallMs = performance.now() - startedAt;
    const now = machineCpu();
    const oursMs = ours() + now.selfMs - oursBefore;
    return {
      // Per-process and per-CPU tick counts round differently: a few ticks below zero mean none.
      otherCores: Math.max(0, (now.busyMs - machine.busyMs - oursMs) / wallMs),
      stealCores: (now.stealMs - machine.stealMs) / wallMs,
    };
  };
}
