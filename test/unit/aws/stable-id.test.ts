import assert from "node:assert/strict";
import { test } from "node:test";
import { restDeploymentId, restResourceId, stableId } from "../../../src/aws/index.js";

test("stable ids are lowercase alphanumerics of the asked length, the same for the same seed", () => {
  for (const length of [6, 10]) {
    const id = stableId("seed", length);
    assert.match(id, new RegExp(`^[a-z0-9]{${length}}$`));
    assert.equal(stableId("seed", length), id);
  }
  assert.notEqual(stableId("seed", 10), stableId("other", 10));
});

test("REST resource and deployment ids have the captured shape (3nq1cq, v99qix)", () => {
  const resourceId = restResourceId("puhdx84jy9", "/no-auth");
  assert.match(resourceId, /^[a-z0-9]{6}$/);
  assert.equal(restResourceId("puhdx84jy9", "/no-auth"), resourceId, "stable across calls");
  assert.notEqual(restResourceId("puhdx84jy9", "/items/{id}"), resourceId, "one per resource");
  assert.notEqual(restResourceId("aaaaaaaaaa", "/no-auth"), resourceId, "one per API");
  const deploymentId = restDeploymentId("puhdx84jy9");
  assert.match(deploymentId, /^[a-z0-9]{6}$/);
  assert.equal(restDeploymentId("puhdx84jy9"), deploymentId);
  assert.notEqual(restDeploymentId("aaaaaaaaaa"), deploymentId);
});
