/**
 * Saved test events, kept in this browser per function, as the Lambda console keeps private test events: they are
 * the user's own, not the function's.
 */
const PREFIX = "portico-test-events:";

export type TestEvents = Readonly<Record<string, string>>;

export function savedEvents(fn: string): TestEvents {
  try {
    return JSON.parse(localStorage.getItem(PREFIX + fn) ?? "{}") as TestEvents;
  } catch {
    return {};
  }
}

export function saveEvent(fn: string, name: string, event: string): TestEvents {
  const events = { ...savedEvents(fn), [name]: event };
  localStorage.setItem(PREFIX + fn, JSON.stringify(events));
  return events;
}
