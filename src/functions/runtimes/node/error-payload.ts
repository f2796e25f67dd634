/** Turns whatever a handler threw into the error object AWS's Node.js runtime reports. */

export interface ErrorPayload {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

export function toErrorPayload(error: unknown, errorType?: string): ErrorPayload {
  if (error instanceof Error) {
    return {
      errorType: errorType ?? error.name,
      errorMessage: error.message,
      trace: typeof error.stack === "string" ? error.stack.split("\n") : [],
    };
  }
  return { errorType: errorType ?? typeof error, errorMessage: String(error), trace: [] };
}
