/** Answers a request with one line of plain text: the platform's own answers (Cloud Run's words). */
import type { ServerResponse } from "node:http";

export function sendText(response: ServerResponse, status: number, message: string): void {
  const text = `${message}\n`;
  response.writeHead(status, {
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  });
  response.end(text);
}
