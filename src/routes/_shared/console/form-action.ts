import type { Context } from "hono";
import { z } from "@hono/zod-openapi";
import type { AppEnv } from "../../../app-env";
import { requireAccess, requireOwnOrigin } from "../../../middleware/access-auth";
import { limitJsonBody } from "../declare";
import { licensePage } from "./console-urls";

/**
 * What every console form post declares: a signed-in person (Access), posting from our own origin,
 * a body no larger than any other, and no place in /openapi.json (HTML forms, not the API). Each
 * route adds its path, operationId, params and 303.
 */
export const CONSOLE_FORM = {
  method: "post" as const,
  hide: true,
  middleware: [limitJsonBody, requireAccess, requireOwnOrigin],
};

/**
 * A form on the license page: its reason is required (formReason), and it answers a 303 back to the
 * page, which then shows the change and its audit row (post/redirect/get: a reload does not post twice).
 */
export const LICENSE_ACTION = {
  ...CONSOLE_FORM,
  request: { params: z.object({ id: z.string().max(200) }) },
  responses: { 303: { description: "Back to the license page" } },
};

export const backToLicense = (c: Context<AppEnv>, id: string) => c.redirect(licensePage(id), 303);
