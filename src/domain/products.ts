/** The products we license and the key prefixes API.md fixes for them. */
export const PRODUCTS = {
  "simpl-resultat": { prefix: "SR", name: "Simpl'Résultat" },
  "simpl-liste": { prefix: "SL", name: "Simpl'Liste" },
} as const;

export type Product = keyof typeof PRODUCTS;
export const PRODUCT_IDS = Object.keys(PRODUCTS) as [Product, ...Product[]];

export const TIERS = ["base", "premium"] as const;
export type Tier = (typeof TIERS)[number];

export const INTERVALS = ["month", "year"] as const;
export type Interval = (typeof INTERVALS)[number];

// Own properties only: `in` would also accept "constructor", "toString", "__proto__"...
export const isProduct = (v: unknown): v is Product => typeof v === "string" && Object.hasOwn(PRODUCTS, v);
export const isTier = (v: unknown): v is Tier => typeof v === "string" && (TIERS as readonly string[]).includes(v);
