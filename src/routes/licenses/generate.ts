import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { toIsoSec } from "../../lib/clock";
import { readJsonBody } from "../../lib/validation";
import { requireInternalKey } from "../../middleware/internal-auth";
import { generateLicense } from "../../services/licenses/generate-license";
import { GenerateLicenseBody } from "./schemas";

export const generateLicenseRoute = new Hono<AppEnv>().post("/licenses/generate", requireInternalKey, async (c) => {
  const body = await readJsonBody(c, GenerateLicenseBody);
  const common = { email: body.email, product: body.product, tier: body.tier, sendEmail: body.send_email ?? false };
  const { license, token } = await generateLicense(
    c.get("services"),
    body.expires_at !== undefined
      ? { ...common, expiresAt: new Date(body.expires_at) }
      : { ...common, durationDays: body.duration_days! },
  );
  return c.json(
    {
      id: license.id,
      key: token.key,
      product: license.product,
      tier: license.tier,
      status: license.status,
      email: license.email,
      issued_at: toIsoSec(token.issuedAt),
      expires_at: toIsoSec(license.expiresAt),
    },
    201,
  );
});
