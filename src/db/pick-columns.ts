import { getTableColumns, type Table } from "drizzle-orm";

/** Some of a table's columns, by name, as a select list: `pickColumns(activations, "machineId", "jkt")`. */
export function pickColumns<T extends Table, K extends keyof T["_"]["columns"] & string>(table: T, ...names: K[]) {
  const columns = getTableColumns(table);
  return Object.fromEntries(names.map((name) => [name, columns[name]])) as Pick<T["_"]["columns"], K>;
}
