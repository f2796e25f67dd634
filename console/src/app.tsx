/** The console's frame: navigation, the page the address names, and the token prompt when the API wants one. */
import { useEffect, useState } from "preact/hooks";
import { type AdminError, TOKEN_NEEDED } from "./admin-client.js";
import { ApiList } from "./apis/api-list.js";
import { ApiPage } from "./apis/api-page.js";
import { CreateApi } from "./apis/create-api.js";
import { FunctionList } from "./functions/function-list.js";
import { FunctionPage } from "./functions/function-page.js";
import { href, useHashRoute } from "./hash-route.js";
import { LogsPage } from "./logs/logs-page.js";
import { MetricsPage } from "./metrics/metrics-page.js";
import { ServiceList } from "./services/service-list.js";
import { ServicePage } from "./services/service-page.js";
import { TokenForm } from "./token-form.js";

/** Each section, and the pages besides its own that belong to it. */
const SECTIONS = [
  { id: "apis", label: "APIs", pages: ["create-api"] },
  { id: "functions", label: "Functions", pages: [] },
  { id: "services", label: "Services", pages: [] },
  { id: "logs", label: "Logs", pages: [] },
  { id: "metrics", label: "Metrics", pages: [] },
] as const;

export function App() {
  const [section = "apis", name] = useHashRoute();
  const [tokenProblem, setTokenProblem] = useState<AdminError>();
  // Pages read again once a token is given: the remount starts them over.
  const [session, setSession] = useState(0);
  useEffect(() => {
    const onNeeded = (event: Event) => setTokenProblem((event as CustomEvent<AdminError>).detail);
    addEventListener(TOKEN_NEEDED, onNeeded);
    return () => removeEventListener(TOKEN_NEEDED, onNeeded);
  }, []);

  return (
    <>
      <header class="top">
        <a class="brand" href={href("apis")}>
          Portico
        </a>
        <nav aria-label="Sections">
          {SECTIONS.map(({ id, label, pages }) => (
            <a
              key={id}
              href={href(id)}
              aria-current={
                section === id || (pages as readonly string[]).includes(section) ? "page" : undefined
              }
            >
              {label}
            </a>
          ))}
        </nav>
      </header>
      <main key={session}>
        {tokenProblem ? (
          <TokenForm
            problem={tokenProblem}
            onSaved={() => {
              setTokenProblem(undefined);
              setSession((value) => value + 1);
            }}
          />
        ) : (
          // Keyed by the address: another API's page starts empty rather than showing the last one's data.
          <Page key={`${section}/${name ?? ""}`} section={section} name={name} />
        )}
      </main>
    </>
  );
}

function Page({ section, name }: { section: string; name: string | undefined }) {
  if (section === "apis") return name === undefined ? <ApiList /> : <ApiPage name={name} />;
  if (section === "create-api") return <CreateApi />;
  if (section === "functions") return name === undefined ? <FunctionList /> : <FunctionPage name={name} />;
  if (section === "services") return name === undefined ? <ServiceList /> : <ServicePage name={name} />;
  if (section === "metrics") return <MetricsPage />;
  if (section === "logs") return <LogsPage initial={{ name: name ?? "" }} />;
  return (
    <p role="alert">
      No page at #/{section}. <a href={href("apis")}>Go to APIs</a>.
    </p>
  );
}
