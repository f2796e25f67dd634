/** Bytes as text when they are valid UTF-8, else undefined: such bytes are shown as base64, or not at all. */
const decoder = new TextDecoder("utf-8", { fatal: true });

export function utf8Text(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}
