/**
 * `OUT/deploy.sh`: the gcloud commands that put the export on Cloud Run. A service built from source is first
 * deployed with `gcloud run deploy --source` (Cloud Build: its Dockerfile, else Google's buildpacks), then its
 * manifest is applied with the image that build made (`gcloud run services replace`); a service from an image
 * only needs its manifest. Public services get `allUsers` as invoker.
 */
import { shellWord } from "../shell-word.js";

export interface Deployment {
  /** The Cloud Run service, its manifest `NAME.service.yaml` and, built from source, its directory `NAME/`. */
  readonly name: string;
  readonly fromSource: boolean;
  /** Built as a Functions Framework function with this target (buildpacks' GOOGLE_FUNCTION_TARGET). */
  readonly functionTarget?: string;
  /** Callable by anyone (allUsers as roles/run.invoker); false: only callers IAM allows. */
  readonly public: boolean;
}

const PREAMBLE = `#!/bin/sh
# Deploys to Cloud Run what \`portico export gcp\` wrote beside this script. Needs gcloud, logged in.
# Usage: REGION=europe-west1 PROJECT=my-project ./deploy.sh   (defaults: us-central1, gcloud's project)
set -eu
cd "$(dirname "$0")"
REGION="\${REGION:-us-central1}"
PROJECT="\${PROJECT:-$(gcloud config get-value project 2>/dev/null)}"
if [ -z "$PROJECT" ]; then
  echo "deploy.sh: set PROJECT, or run: gcloud config set project PROJECT" >&2
  exit 1
fi

# deploy_source NAME [FLAG...]: builds and deploys NAME/, then applies NAME.service.yaml with the built image.
deploy_source() {
  name=$1
  shift
  gcloud run deploy "$name" --source "$name" --region "$REGION" --project "$PROJECT" --no-allow-unauthenticated --quiet "$@"
  image=$(gcloud run services describe "$name" --region "$REGION" --project "$PROJECT" --format='value(spec.template.spec.containers[0].image)')
  manifest=$(mktemp)
  sed "s|REGION-docker.pkg.dev/PROJECT/cloud-run-source-deploy/$name\\$|$image|" "$name.service.yaml" >"$manifest"
  gcloud run services replace "$manifest" --region "$REGION" --project "$PROJECT"
  rm -f "$manifest"
}

# allow_public NAME: anyone may call NAME (as --allow-unauthenticated).
allow_public() {
  gcloud run services add-iam-policy-binding "$1" --region "$REGION" --project "$PROJECT" --member=allUsers --role=roles/run.invoker
}
`;

export function deployScript(deployments: readonly Deployment[]): string {
  let text = PREAMBLE;
  for (const deployment of deployments) {
    const { name } = deployment;
    text += `\n# ${name}\n`;
    if (deployment.fromSource) {
      const target =
        deployment.functionTarget === undefined
          ? ""
          : ` --set-build-env-vars ${shellWord(`GOOGLE_FUNCTION_TARGET=${deployment.functionTarget}`)}`;
      text += `deploy_source ${name}${target}\n`;
    } else {
      text += `gcloud run services replace ${name}.service.yaml --region "$REGION" --project "$PROJECT"\n`;
    }
    if (deployment.public) text += `allow_public ${name}\n`;
  }
  return text;
}
