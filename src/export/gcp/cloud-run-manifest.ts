/**
 * A Cloud Run service manifest: the Knative Serving `serving.knative.dev/v1` `Service` that
 * `gcloud run services replace` takes, with Cloud Run's annotations (../shared/reference/cloudrun.md §2, §4).
 */

/** Requests reach the container on this port; Cloud Run sets `PORT` to it (cloudrun.md §1.1). */
export const CONTAINER_PORT = 8080;
/** Cloud Run's default startup probe gives an instance this long to listen (cloudrun.md §1.4). */
export const DEFAULT_STARTUP_SECONDS = 240;

/** What one Cloud Run service runs, and how it scales. */
export interface CloudRunSettings {
  readonly name: string;
  readonly image: string;
  readonly env: Readonly<Record<string, string>>;
  /** Replaces the image's entrypoint (not run in a shell); absent: the image's own. */
  readonly command?: readonly string[];
  /** Most requests one instance serves at once (`containerConcurrency`). */
  readonly concurrency: number;
  readonly minInstances: number;
  readonly maxInstances: number;
  /** Seconds a request may take (`timeoutSeconds`). */
  readonly timeoutSeconds: number;
  /** Seconds a new instance has to listen on PORT. */
  readonly startupTimeoutSeconds: number;
  /** Memory limit in MiB; absent: Cloud Run's default (512 MiB). */
  readonly memoryMb?: number;
}

export interface EnvVar {
  readonly name: string;
  readonly value: string;
}

export interface TcpStartupProbe {
  readonly tcpSocket: { readonly port: number };
  readonly timeoutSeconds: number;
  readonly periodSeconds: number;
  readonly failureThreshold: number;
}

export interface CloudRunContainer {
  readonly image: string;
  readonly command?: readonly string[];
  readonly env?: readonly EnvVar[];
  readonly ports: readonly [{ readonly name: "http1"; readonly containerPort: number }];
  readonly resources?: { readonly limits: { readonly memory: string } };
  readonly startupProbe?: TcpStartupProbe;
}

export interface CloudRunManifest {
  readonly apiVersion: "serving.knative.dev/v1";
  readonly kind: "Service";
  readonly metadata: {
    readonly name: string;
    readonly annotations: Readonly<Record<string, string>>;
  };
  readonly spec: {
    readonly template: {
      readonly metadata: { readonly annotations: Readonly<Record<string, string>> };
      readonly spec: {
        readonly containerConcurrency: number;
        readonly timeoutSeconds: number;
        readonly containers: readonly [CloudRunContainer];
      };
    };
    readonly traffic: readonly [{ readonly latestRevision: true; readonly percent: 100 }];
  };
}

export function cloudRunManifest(settings: CloudRunSettings): CloudRunManifest {
  const env = Object.entries(settings.env).map(([name, value]) => ({ name, value }));
  const container: CloudRunContainer = {
    image: settings.image,
    ...(settings.command === undefined ? {} : { command: settings.command }),
    ...(env.length === 0 ? {} : { env }),
    ports: [{ name: "http1", containerPort: CONTAINER_PORT }],
    ...(settings.memoryMb === undefined
      ? {}
      : { resources: { limits: { memory: `${settings.memoryMb}Mi` } } }),
    ...(settings.startupTimeoutSeconds === DEFAULT_STARTUP_SECONDS
      ? {}
      : { startupProbe: startupProbe(settings.startupTimeoutSeconds) }),
  };
  return {
    apiVersion: "serving.knative.dev/v1",
    kind: "Service",
    metadata: {
      name: settings.name,
      // Reachable from the internet, as every Portico API and service is; IAM decides who may call.
      annotations: { "run.googleapis.com/ingress": "all" },
    },
    spec: {
      template: {
        metadata: {
          // Annotation values are strings, as Cloud Run documents them.
          annotations: {
            "autoscaling.knative.dev/minScale": String(settings.minInstances),
            "autoscaling.knative.dev/maxScale": String(settings.maxInstances),
          },
        },
        spec: {
          containerConcurrency: settings.concurrency,
          timeoutSeconds: settings.timeoutSeconds,
          containers: [container],
        },
      },
      traffic: [{ latestRevision: true, percent: 100 }],
    },
  };
}

/**
 * Cloud Run's default startup probe (tcpSocket, timeout and period 240 s, one failure), with the service's own
 * deadline: one attempt that waits that long for the port.
 */
function startupProbe(seconds: number): TcpStartupProbe {
  return {
    tcpSocket: { port: CONTAINER_PORT },
    timeoutSeconds: seconds,
    periodSeconds: seconds,
    failureThreshold: 1,
  };
}
