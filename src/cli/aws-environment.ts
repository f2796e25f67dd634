/**
 * What `dev` and `up` read from their environment for the admin listener's AWS-compatible APIs: the access key
 * AWS tools sign with (its secret then taken out of the environment, which the tools Portico runs inherit), and
 * the retry delays of asynchronous invocations, a knob for tests.
 */
import {
  parseRetryDelays,
  RETRY_DELAYS_VARIABLE,
  readSigV4Credentials,
  SECRET_ACCESS_KEY_VARIABLE,
  type SigV4Credentials,
} from "../control/index.js";

export interface AwsEnvironment {
  readonly awsCredentials?: SigV4Credentials;
  readonly asyncRetryDelaysMs?: readonly number[];
}

/** Throws a PorticoError when a variable is malformed (or only one of the key's two is set). */
export function readAwsEnvironment(env: NodeJS.ProcessEnv = process.env): AwsEnvironment {
  const awsCredentials = readSigV4Credentials(env);
  delete env[SECRET_ACCESS_KEY_VARIABLE];
  return { awsCredentials, asyncRetryDelaysMs: parseRetryDelays(env[RETRY_DELAYS_VARIABLE]) };
}
