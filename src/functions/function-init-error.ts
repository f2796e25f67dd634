/** A function's code did not initialise when a deploy started it: the deploy is refused, naming why. */
import { PorticoError } from "../model/index.js";

export class FunctionInitError extends PorticoError {
  readonly functionName: string;

  constructor(functionName: string, reason: string) {
    super("FUNCTION_INIT_FAILED", `Function ${functionName} cannot start: ${reason}`, { status: 422 });
    this.functionName = functionName;
  }
}
