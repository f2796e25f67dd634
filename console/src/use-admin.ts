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

/** Runs an admin call: `refused` gets the admin API's refusal; anything else is a bug and is thrown. */
export type AdminAction = (call: () => Promise<void>, refused: (error: AdminError) => void) => Promise<void>;

/** A form's admin call: whether one is under way (its button waits), and a way to run one. */
export function useAdminAction(): [busy: boolean, run: AdminAction] {
  const [busy, setBusy] = useState(false);
  const run: AdminAction = async (call, refused) => {
    setBusy(true);
    try {
      await call();
    } catch (error) {
      if (!(error instanceof AdminError)) throw error;
      refused(error);
    } finally {
      setBusy(false);
    }
  };
  return [busy, run];
}
