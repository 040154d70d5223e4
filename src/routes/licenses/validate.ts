import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { readJsonBody } from "../../lib/validation";
import { validateLicense } from "../../services/licenses/validate-license";
import { presentLicense } from "./present";
import { ValidateBody } from "./schemas";

export const validateLicenseRoute = new Hono<AppEnv>().post("/licenses/validate", async (c) => {
  const body = await readJsonBody(c, ValidateBody);
  const result = await validateLicense(c.get("services"), { key: body.key, machineId: body.machine_id });
  return c.json({
    valid: result.code === "valid",
    code: result.code,
    license: result.license && presentLicense(result.license),
    ...(result.lease ? { lease: result.lease } : {}),
    ...(result.key ? { key: result.key } : {}),
  });
});
