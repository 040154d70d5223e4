import type { Context } from "hono";
import { z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../app-env";
import { requireAccess, requireOwnOrigin } from "../../../middleware/access-auth";
import { limitJsonBody } from "../declare";

/**
 * What every form on the license page shares: posted from our own origin by a signed-in person, a
 * reason required (formReason), and a 303 back to the page, which then shows the change and its
 * audit row (post/redirect/get: a reload does not post twice).
 */
export const LICENSE_ACTION = {
  method: "post" as const,
  hide: true,
  middleware: [limitJsonBody, requireAccess, requireOwnOrigin],
  request: { params: z.object({ id: z.string().max(200) }) },
  responses: { 303: { description: "Back to the license page" } },
};

export const backToLicense = (c: Context<AppEnv>, id: string) =>
  c.redirect(`/console/licenses/${encodeURIComponent(id)}`, 303);
