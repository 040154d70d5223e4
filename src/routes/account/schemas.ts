import { z } from "zod";
import { INTERVALS, PRODUCT_IDS, TIERS } from "../../domain/products";

export const CheckoutBody = z.object({ product: z.enum(PRODUCT_IDS), tier: z.enum(TIERS), interval: z.enum(INTERVALS) });

export const StatusQuery = z.object({ product: z.enum(PRODUCT_IDS).default("simpl-resultat") });

// Stripe's checkout session ids; anything else is answered without asking Stripe.
export const CHECKOUT_SESSION_ID = /^cs_(test|live)_[A-Za-z0-9]{1,250}$/;
