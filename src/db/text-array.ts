import { sql } from "drizzle-orm";

/**
 * A `text[]` parameter. Drizzle renders a JS array inside `sql` as a list of parameters (a record to
 * Postgres), so the list travels as one JSON parameter and is unpacked server-side.
 */
export const textArray = (values: string[]) =>
  sql`array(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;
