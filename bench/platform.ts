/**
 * The platform part of the benchmark, on one `portico up` with a temporary data directory: deploy to serving,
 * the cold starts a redeploy causes, and gateway throughput with 1,000 routes against 10.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DeployTimes, measureDeployTime } from "./deploy-time.js";
import type { StopResult } from "./processes.js";
import { measureRedeployColdStarts, type RedeployColdStarts } from "./redeploy-cold-starts.js";
import { measureRouteTableScale, type RouteScale } from "./route-table-scale.js";
import { startPorticoUp } from "./servers.js";

export interface PlatformSettings {
  readonly deployRounds: number;
  /** Between deploys, so the spare runtime process the last deploy took is back. */
  readonly deployPauseMs: number;
  /** `portico --version` and `node -e 0` runs, for what starting the CLI costs by itself. */
  readonly startSamples: number;
  readonly redeployRounds: number;
  readonly routeRounds: number;
  /** Alternating wrk runs per table, per load and round, and their length. */
  readonly routeSlices: number;
  readonly routeSliceSeconds: number;
  readonly routeWarmSeconds: number;
  readonly routeConnections: number;
}

export function platformSettings(quick: boolean): PlatformSettings {
  return {
    deployRounds: quick ? 5 : 15,
    deployPauseMs: 400,
    startSamples: quick ? 3 : 5,
    redeployRounds: quick ? 1 : 3,
    routeRounds: quick ? 1 : 3,
    routeSlices: quick ? 2 : 5,
    routeSliceSeconds: 1,
    routeWarmSeconds: 1,
    routeConnections: 10,
  };
}

export interface PlatformResults {
  readonly settings: PlatformSettings;
  readonly deploys: DeployTimes;
  readonly redeploy: RedeployColdStarts;
  readonly routes: RouteScale;
  /** How `portico up` stopped on SIGTERM at the end. */
  readonly stop: StopResult;
}

export async function measurePlatform(
  settings: PlatformSettings,
  log: (message: string) => void,
): Promise<PlatformResults> {
  const workDir = await mkdtemp(join(tmpdir(), "portico-bench-platform-"));
  try {
    const server = await startPorticoUp(join(workDir, "data"));
    let measured: Omit<PlatformResults, "stop" | "settings">;
    try {
      log(`platform: deploy to serving, ${settings.deployRounds} rounds of portico deploy and of an upload`);
      const deploys = await measureDeployTime(server, workDir, {
        rounds: settings.deployRounds,
        pauseMs: settings.deployPauseMs,
        startSamples: settings.startSamples,
      });
      log(`platform: cold starts from redeploying 1 of 10 functions, ${settings.redeployRounds} rounds`);
      const redeploy = await measureRedeployColdStarts(server, workDir, { rounds: settings.redeployRounds });
      log(
        `platform: 10 vs 1,000 routes, ${settings.routeRounds} rounds of ${settings.routeSlices} alternating ` +
          `${settings.routeSliceSeconds} s runs each at c=${settings.routeConnections}`,
      );
      const routes = await measureRouteTableScale(server, workDir, {
        rounds: settings.routeRounds,
        slices: settings.routeSlices,
        sliceSeconds: settings.routeSliceSeconds,
        warmSeconds: settings.routeWarmSeconds,
        connections: settings.routeConnections,
      });
      measured = { deploys, redeploy, routes };
    } catch (error) {
      await server.process.stop();
      throw error;
    }
    const stop = await server.process.stop();
    return { settings, ...measured, stop };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
