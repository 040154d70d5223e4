import type { z } from "@hono/zod-openapi";

// Filled once per schema declaration at module evaluation, so bounded by the code, not by traffic.
const named = new Map<string, z.ZodType>();

/** A schema the document lists under `components.schemas` (and routes refer to by `$ref`). */
export function namedSchema<T extends z.ZodType>(name: string, schema: T): T {
  named.set(name, schema);
  return schema.openapi(name) as T;
}

export const namedSchemas = (): ReadonlyMap<string, z.ZodType> => named;
