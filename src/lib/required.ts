/**
 * A value the code above has made sure of (a row a statement just returned, a claim jose required),
 * checked rather than asserted: if that reasoning ever breaks, the error names it instead of a later
 * "cannot read properties of undefined".
 */
export function required<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`missing: ${what}`);
  return value;
}
