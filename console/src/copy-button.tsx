/** Copies a value to the clipboard, and says so where a screen reader hears it. */
import { useState } from "preact/hooks";

export function CopyButton({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState<boolean>();
  return (
    <>
      <button
        type="button"
        aria-label={label}
        onClick={() =>
          navigator.clipboard.writeText(value).then(
            () => setCopied(true),
            () => setCopied(false),
          )
        }
      >
        Copy
      </button>
      <span role="status" class="hint">
        {copied === undefined ? "" : copied ? "Copied" : "Copy failed: select the text and copy it"}
      </span>
    </>
  );
}
