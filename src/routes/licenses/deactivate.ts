import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { readJsonBody } from "../../lib/validation";
import { deactivateMachine } from "../../services/licenses/deactivate-machine";
import { DeactivateBody } from "./schemas";

// Idempotent: a machine that held no seat is deactivated already (docs/verifying-licenses.md).
export const deactivateLicenseRoute = new Hono<AppEnv>().post("/licenses/deactivate", async (c) => {
  const body = await readJsonBody(c, DeactivateBody);
  await deactivateMachine(c.get("services"), { key: body.key, machineId: body.machine_id });
  return c.json({ deactivated: true });
});
