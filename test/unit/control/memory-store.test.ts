/** The in-memory store `dev` runs on keeps the Store's promises. */
import { MemoryStore } from "../../../src/control/store/index.js";
import { storeConformance } from "../../helpers/store-conformance.js";

storeConformance("MemoryStore", async () => {
  const store = new MemoryStore();
  return { store, cleanup: () => store.close() };
});
