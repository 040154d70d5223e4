import { z } from "zod";
import { PRODUCT_IDS, TIERS } from "../../domain/products";

// A key is ~500 characters; the cap only keeps absurd input away from the verifier.
const licenseKey = z.string().trim().min(1).max(4096);
const machineId = z.string().min(16).max(128);
const optionalText = (max: number) => z.string().max(max).nullish();

export const GenerateLicenseBody = z
  .object({
    email: z.email().max(254),
    product: z.enum(PRODUCT_IDS),
    tier: z.enum(TIERS),
    expires_at: z.iso.datetime({ offset: true }).optional(),
    duration_days: z.number().int().min(1).max(3660).optional(),
    send_email: z.boolean().optional(),
  })
  .refine((b) => (b.expires_at === undefined) !== (b.duration_days === undefined), {
    message: "give exactly one of expires_at and duration_days",
    path: ["expires_at"],
  });

export const ActivateBody = z.object({
  key: licenseKey,
  machine_id: machineId,
  machine_name: optionalText(200),
  platform: optionalText(64),
  app_version: optionalText(64),
});

export const ValidateBody = z.object({
  key: licenseKey,
  machine_id: machineId.optional(),
});

export const DeactivateBody = z.object({
  key: licenseKey,
  machine_id: machineId,
});
