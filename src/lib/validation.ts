import type { Context } from "hono";
import type { z } from "zod";
import { AppError, type ValidationIssue } from "../errors";

export function toValidationIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((i) => ({ path: i.path.join(".") || "(body)", message: i.message }));
}

export function parseWith<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const result = schema.safeParse(data);
  if (!result.success) {
    throw new AppError("validation_failed", "The request has invalid fields.", {
      extra: { errors: toValidationIssues(result.error) },
    });
  }
  return result.data;
}

/** Reads the body as JSON (400 `malformed_json` when it is not) and validates it (422). */
export async function readJsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const text = await c.req.text();
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new AppError("malformed_json", "The request body is not valid JSON.");
  }
  return parseWith(schema, data);
}

export function readQuery<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  return parseWith(schema, c.req.query());
}
