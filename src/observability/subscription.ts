/** A typed diagnostics_channel subscription that can be undone (subscriptions are process-wide). */
import type { Channel } from "node:diagnostics_channel";

export type Unsubscribe = () => void;

export function subscribe<T>(channel: Channel, onMessage: (message: T) => void): Unsubscribe {
  const listener = (message: unknown) => onMessage(message as T);
  channel.subscribe(listener);
  return () => channel.unsubscribe(listener);
}
