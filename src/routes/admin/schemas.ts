import { z } from "zod";

export const LicenseEmailQuery = z.object({ email: z.string().trim().email().max(320) });

export const RevokeBody = z.object({ reason: z.string().trim().min(1).max(500) });

export const EventStatusQuery = z.object({
  status: z.enum(["received", "processed", "ignored", "failed"]).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
