import { createRoute } from "@hono/zod-openapi";
import { sendLicenseEmailAgain } from "../../services/admin/resend-license-email";
import { consoleActor, createConsoleRouter, formReason } from "../_shared/console/console-router";
import { backToLicense, LICENSE_ACTION } from "../_shared/console/form-action";

const resendEmailRoute = createRoute({
  ...LICENSE_ACTION,
  path: "/console/licenses/{id}/resend-email",
  operationId: "consoleResendEmail",
});

/** The license email once more, to the address on file (queued in the outbox; the page shows it). */
export const consoleResendEmail = createConsoleRouter().openapi(resendEmailRoute, async (c) => {
  const { id } = c.req.valid("param");
  const reason = await formReason(c);
  await sendLicenseEmailAgain(c.get("ctx"), { id, by: consoleActor(c, reason) });
  return backToLicense(c, id);
});
