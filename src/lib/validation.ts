import type { Context } from "hono";
import type { z } from "zod";
import { AppError, type ValidationIssue } from "../errors";
import { hasLoneSurrogate } from "./text";

export function toValidationIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((i) => ({ path: i.path.join(".") || "(body)", message: i.message }));
}

/**
 * Every string in a request (values and keys, at any depth) whose UTF-16 is ill-formed: Postgres
 * behind Neon refuses such text (the proxy's serde_json rejects the whole query), so it stops here.
 */
function loneSurrogateIssues(data: unknown, path: string[] = []): ValidationIssue[] {
  const at = (p: string[]) => p.join(".") || "(body)";
  if (typeof data === "string") return hasLoneSurrogate(data) ? [{ path: at(path), message: "Contains an unpaired UTF-16 surrogate." }] : [];
  if (!data || typeof data !== "object") return [];
  return Object.entries(data).flatMap(([k, v]) =>
    hasLoneSurrogate(k) ? [{ path: at(path), message: "Has a key with an unpaired UTF-16 surrogate." }] : loneSurrogateIssues(v, [...path, k]),
  );
}

/** The one gate every request body and query goes through: 422 `validation_failed` with the fields at fault. */
export function parseWith<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const illFormed = loneSurrogateIssues(data);
  if (illFormed.length > 0) {
    throw new AppError("validation_failed", "The request has invalid fields.", { extra: { errors: illFormed } });
  }
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
