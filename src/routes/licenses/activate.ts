import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { toIsoSec } from "../../lib/clock";
import { readJsonBody } from "../../lib/validation";
import { activateMachine } from "../../services/licenses/activate-machine";
import { presentLicense } from "./present";
import { ActivateBody } from "./schemas";

export const activateLicenseRoute = new Hono<AppEnv>().post("/licenses/activate", async (c) => {
  const body = await readJsonBody(c, ActivateBody);
  const result = await activateMachine(c.get("services"), {
    key: body.key,
    machineId: body.machine_id,
    machineName: body.machine_name,
    platform: body.platform,
    appVersion: body.app_version,
  });
  return c.json({
    license: presentLicense(result.license),
    activation: { machine_id: result.activation.machineId, activated_at: toIsoSec(result.activation.activatedAt) },
    lease: result.lease,
    key: result.key,
  });
});
