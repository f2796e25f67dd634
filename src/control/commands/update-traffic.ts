/** `portico services update-traffic`: tags and the split of one service, all of the change or none. */
import { PorticoError, type ServiceRecord } from "../../model/index.js";
import type { TrafficChange } from "../../services/index.js";
import type { Command } from "./command.js";
import { checkIfMatch } from "./etag.js";
import { changeTraffic } from "./service-revisions.js";

export function updateTraffic(name: string, change: TrafficChange, ifMatch?: string): Command<ServiceRecord> {
  return (state) => {
    const current = serviceRecord(state.service, name);
    checkIfMatch(`Service ${name}`, current, ifMatch);
    const record = changeTraffic(current, change);
    return { change: [{ kind: "service", name, record }], value: record };
  };
}

/** The service's record, or a 404 that lists the services there are. */
export function serviceRecord(services: ReadonlyMap<string, ServiceRecord>, name: string): ServiceRecord {
  const record = services.get(name);
  if (record) return record;
  const known = [...services.keys()];
  throw new PorticoError(
    "SERVICE_NOT_FOUND",
    `Service ${name} does not exist. ${known.length > 0 ? `Services: ${known.join(", ")}.` : "There are no services yet: deploy one with `portico services deploy NAME --source DIR`."}`,
    { status: 404 },
  );
}
