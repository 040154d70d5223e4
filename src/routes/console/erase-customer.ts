import { createRoute } from "@hono/zod-openapi";
import { AppError } from "../../errors";
import { erasePersonalData } from "../../services/privacy/erase-personal-data";
import { consoleActor, createConsoleRouter, formReason } from "../_shared/console/console-router";
import { CONSOLE_FORM } from "../_shared/console/form-action";

const eraseCustomerRoute = createRoute({
  ...CONSOLE_FORM,
  path: "/console/customers/erase",
  operationId: "consoleEraseCustomer",
  responses: { 303: { description: "Back to the search, by the first license it touched" } },
});

/** The erasure of POST /admin/customers/erase (docs/privacy.md), from a form: by address, with its reason. */
export const consoleEraseCustomer = createConsoleRouter().openapi(eraseCustomerRoute, async (c) => {
  const reason = await formReason(c);
  const form = await c.req.parseBody();
  const email = typeof form.email === "string" ? form.email.trim() : "";
  if (!email || email.length > 254 || !email.includes("@"))
    throw new AppError("validation_failed", "The address to erase is required.", {
      extra: { errors: [{ path: "email", message: "required" }] },
    });
  const result = await erasePersonalData(c.get("ctx"), { email }, consoleActor(c, reason));
  const [first] = result.licenseIds;
  return c.redirect(first ? `/console?q=${encodeURIComponent(first)}` : "/console", 303);
});
