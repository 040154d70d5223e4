import { and, or, type SQL } from "drizzle-orm";

// drizzle's and()/or() may return undefined (for no conditions at all); with at least one they never do.
export const allOf = (first: SQL, ...rest: (SQL | undefined)[]): SQL => and(first, ...rest) ?? first;
export const anyOf = (first: SQL, ...rest: (SQL | undefined)[]): SQL => or(first, ...rest) ?? first;
