/** A Stripe reference as the payload gives it: an id, an expanded object, or nothing. */
export const idOf = (v: string | { id: string } | null | undefined): string | null =>
  typeof v === "string" ? v : (v?.id ?? null);
