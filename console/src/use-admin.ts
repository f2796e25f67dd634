/** An admin API resource read for a component: its data or error, and a way to read it again. */
import { useCallback, useEffect, useState } from "preact/hooks";
import { AdminError, admin } from "./admin-client.js";

export interface AdminResource<T> {
  readonly data: T | undefined;
  readonly error: AdminError | undefined;
  readonly reload: () => void;
}

export function useAdmin<T>(path: string): AdminResource<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<AdminError>();
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    admin<T>(path).then(
      (value) => {
        if (!current) return;
        setData(value);
        setError(undefined);
      },
      (failure: unknown) => {
        if (current)
          setError(failure instanceof AdminError ? failure : new AdminError(0, "FAILED", String(failure)));
      },
    );
    return () => {
      current = false;
    };
  }, [path, generation]);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { data, error, reload };
}
