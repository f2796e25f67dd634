/** A Portico service as a Cloud Run manifest: each setting mapped, or warned of; every manifest valid Knative. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { serviceManifest, sourceImage } from "../../../src/export/gcp/service-manifest.js";
import type { ServiceSpec } from "../../../src/model/index.js";
import { knativeServiceProblems } from "../../helpers/knative-schema.js";
import { serviceSpec } from "../../helpers/service-spec.js";

/** Cloud Run's defaults, as portico.yaml gives them. */
const WEB = serviceSpec("web");

describe("serviceManifest", () => {
  test("maps the defaults onto a Knative Service with Cloud Run's annotations, and warns of nothing", () => {
    const { manifest, warnings } = serviceManifest(WEB, undefined);
    assert.deepEqual(warnings, []);
    assert.deepEqual(manifest, {
      apiVersion: "serving.knative.dev/v1",
      kind: "Service",
      metadata: { name: "web", annotations: { "run.googleapis.com/ingress": "all" } },
      spec: {
        template: {
          metadata: {
            annotations: {
              "autoscaling.knative.dev/minScale": "0",
              "autoscaling.knative.dev/maxScale": "100",
            },
          },
          spec: {
            containerConcurrency: 80,
            timeoutSeconds: 300,
            containers: [{ image: sourceImage("web"), ports: [{ name: "http1", containerPort: 8080 }] }],
          },
        },
        traffic: [{ latestRevision: true, percent: 100 }],
      },
    });
    assert.deepEqual(knativeServiceProblems(manifest), []);
  });

  test("maps env, concurrency, scale, timeout and the start command", () => {
    const service: ServiceSpec = {
      ...WEB,
      env: { MODE: "prod", EMPTY: "" },
      concurrency: 1,
      minInstances: 2,
      maxInstances: 5,
      timeoutSeconds: 3600,
    };
    const { manifest, warnings } = serviceManifest(service, "python3 app.py");
    assert.deepEqual(warnings, []);
    const { template } = manifest.spec;
    assert.deepEqual(template.metadata.annotations, {
      "autoscaling.knative.dev/minScale": "2",
      "autoscaling.knative.dev/maxScale": "5",
    });
    assert.equal(template.spec.containerConcurrency, 1);
    assert.equal(template.spec.timeoutSeconds, 3600);
    const [container] = template.spec.containers;
    assert.deepEqual(container.env, [
      { name: "MODE", value: "prod" },
      { name: "EMPTY", value: "" },
    ]);
    assert.deepEqual(container.command, ["/bin/sh", "-c", "python3 app.py"]);
    assert.equal(
      container.env?.some((variable) => variable.name === "PORT"),
      false,
      "Cloud Run rejects PORT",
    );
    assert.deepEqual(knativeServiceProblems(manifest), []);
  });

  test("a startup timeout other than Cloud Run's 240 s becomes the default TCP startup probe, shortened", () => {
    const { manifest, warnings } = serviceManifest({ ...WEB, startupTimeoutSeconds: 30 }, undefined);
    assert.deepEqual(warnings, []);
    assert.deepEqual(manifest.spec.template.spec.containers[0].startupProbe, {
      tcpSocket: { port: 8080 },
      timeoutSeconds: 30,
      periodSeconds: 30,
      failureThreshold: 1,
    });
    assert.deepEqual(knativeServiceProblems(manifest), []);
  });

  test("a Functions Framework target is the FUNCTION_TARGET variable", () => {
    const { manifest } = serviceManifest({ ...WEB, functionTarget: "helloHttp" }, undefined);
    assert.deepEqual(manifest.spec.template.spec.containers[0].env, [
      { name: "FUNCTION_TARGET", value: "helloHttp" },
    ]);
  });

  test("an image is used as it is; one from a registry Cloud Run cannot deploy from is warned of", () => {
    const hub = serviceManifest({ ...WEB, image: "nginx:1.27" }, undefined);
    assert.equal(hub.manifest.spec.template.spec.containers[0].image, "nginx:1.27");
    assert.deepEqual(hub.warnings, []);
    for (const image of ["us-docker.pkg.dev/p/r/web:1", "gcr.io/p/web", "docker.io/library/nginx"]) {
      assert.deepEqual(serviceManifest({ ...WEB, image }, undefined).warnings, [], image);
    }
    const ghcr = serviceManifest({ ...WEB, image: "ghcr.io/acme/web:1.2" }, undefined);
    assert.equal(ghcr.warnings.length, 1);
    assert.match(ghcr.warnings[0]?.reason ?? "", /ghcr\.io\/acme\/web:1\.2 is not in a registry Cloud Run/);
  });

  test("what Cloud Run has no setting for is warned of, naming the service", () => {
    const { warnings } = serviceManifest(
      { ...WEB, idleTimeoutSeconds: 60, domains: ["web.example.com"], public: false },
      undefined,
    );
    assert.deepEqual(
      warnings.map((warning) => warning.subject),
      ["service web", "service web"],
    );
    assert.match(warnings[0]?.reason ?? "", /^idleTimeout 60s has no equivalent/);
    assert.match(
      warnings[1]?.reason ?? "",
      /domains \(web\.example\.com\) .*gcloud beta run domain-mappings create --service web/,
    );
  });
});
