/**
 * CodeMirror 6, loaded only when a function's code is opened: the console's first page does not wait for it. The
 * setup is CodeMirror's basic one without completion, linting, search and folding: a fifth smaller. Tab
 * is left to move focus (CodeMirror's default), so the editor is no keyboard trap.
 */
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { javascriptLanguage, typescriptLanguage } from "@codemirror/lang-javascript";
import { pythonLanguage } from "@codemirror/lang-python";
import {
  bracketMatching,
  defaultHighlightStyle,
  indentOnInput,
  syntaxHighlighting,
} from "@codemirror/language";
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from "@codemirror/view";

export type { EditorView };

export function createCodeView(
  parent: HTMLElement,
  path: string,
  text: string,
  onChange: (text: string) => void,
): EditorView {
  return new EditorView({
    parent,
    doc: text,
    extensions: [
      lineNumbers(),
      highlightActiveLineGutter(),
      history(),
      drawSelection(),
      indentOnInput(),
      syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
      bracketMatching(),
      highlightActiveLine(),
      keymap.of([...defaultKeymap, ...historyKeymap]),
      languageOf(path),
      EditorView.contentAttributes.of({ "aria-label": `Code of ${path}` }),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) onChange(update.state.doc.toString());
      }),
    ],
  });
}

function languageOf(path: string) {
  if (path.endsWith(".py")) return pythonLanguage;
  return /\.[cm]?ts$/.test(path) ? typescriptLanguage : javascriptLanguage;
}
