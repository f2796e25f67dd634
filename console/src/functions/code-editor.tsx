/**
 * The function's code, as the Lambda console's editor shows it: its text files, one open at a time, and Deploy,
 * which sends the files changed (the admin API builds and serves the new version; under `dev` it writes the
 * project's own files, which then reload).
 */

import { useEffect, useRef, useState } from "preact/hooks";
import { admin } from "../admin-client.js";
import type { FunctionRecord } from "../admin-types.js";
import { FieldProblem } from "../field-problem.js";
import { LoadState } from "../load-state.js";
import { useAdmin, useAdminAction } from "../use-admin.js";
import type { EditorView } from "./code-view.js";

interface FunctionCode {
  readonly files: readonly { readonly path: string; readonly text: string }[];
  readonly editable: boolean;
  readonly reason?: string;
}

export function CodeEditor({ fn, onDeployed }: { fn: FunctionRecord; onDeployed: () => void }) {
  const { data: code, error } = useAdmin<FunctionCode>(`/v1/functions/${encodeURIComponent(fn.name)}/code`);
  return (
    <section aria-labelledby="code-heading">
      <h2 id="code-heading">Code</h2>
      {code === undefined ? (
        <LoadState error={error} />
      ) : code.editable ? (
        <Files fn={fn} code={code} onDeployed={onDeployed} />
      ) : (
        <p>{code.reason}</p>
      )}
    </section>
  );
}

function Files({ fn, code, onDeployed }: { fn: FunctionRecord; code: FunctionCode; onDeployed: () => void }) {
  const [path, setPath] = useState(() => handlerFile(fn.config.handler, code) ?? code.files[0]?.path ?? "");
  const [edits, setEdits] = useState<ReadonlyMap<string, string>>(new Map());
  const [problem, setProblem] = useState<string>();
  const [status, setStatus] = useState("");
  const [deploying, run] = useAdminAction();
  const host = useRef<HTMLDivElement>(null);
  const original = code.files.find((file) => file.path === path)?.text ?? "";
  const text = edits.get(path) ?? original;

  useEffect(() => {
    let view: EditorView | undefined;
    let current = true;
    void import("./code-view.js").then(({ createCodeView }) => {
      if (!current || host.current === null) return;
      view = createCodeView(host.current, path, text, (changed) =>
        setEdits((all) => new Map(all).set(path, changed)),
      );
    });
    return () => {
      current = false;
      view?.destroy();
    };
    // The view owns the text while a file is open: it is made again only for another file.
  }, [path]);

  const deploy = async () => {
    const files = Object.fromEntries(
      [...edits].filter(([file, edited]) => edited !== originalOf(code, file)),
    );
    if (Object.keys(files).length === 0) return setStatus("No changes to deploy.");
    setProblem(undefined);
    setStatus("Deploying…");
    return run(
      async () => {
        const record = await admin<FunctionRecord>(`/v1/functions/${encodeURIComponent(fn.name)}/code`, {
          method: "PATCH",
          body: JSON.stringify({ files }),
        });
        setStatus(`Deployed: version ${record.version} is serving.`);
        onDeployed();
      },
      (failure) => {
        setStatus("");
        setProblem(failure.message);
      },
    );
  };

  return (
    <div class="panel test">
      <div class="row">
        <label>
          File
          <select value={path} onChange={(event) => setPath(event.currentTarget.value)}>
            {code.files.map((file) => (
              <option key={file.path} value={file.path}>
                {file.path}
                {edits.has(file.path) && edits.get(file.path) !== file.text ? " (changed)" : ""}
              </option>
            ))}
          </select>
        </label>
        <button type="button" class="primary" disabled={deploying} onClick={() => void deploy()}>
          Deploy
        </button>
      </div>
      <div class="editor" ref={host} aria-describedby="code-problem" />
      <FieldProblem id="code-problem" problem={problem} />
      <p role="status" class="hint">
        {status}
      </p>
    </div>
  );
}

function originalOf(code: FunctionCode, path: string): string | undefined {
  return code.files.find((file) => file.path === path)?.text;
}

/** The file a handler names: `fns/greet.handler` is fns/greet with a script's extension. */
function handlerFile(handler: string, code: FunctionCode): string | undefined {
  const module = handler.slice(0, handler.lastIndexOf("."));
  return code.files.find(
    (file) => file.path.startsWith(module) && /^\.(m?js|cjs|ts|mts|py)$/.test(file.path.slice(module.length)),
  )?.path;
}
