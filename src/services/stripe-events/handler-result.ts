import type Stripe from "stripe";
import type { Ctx } from "../../context";

export interface HandlerResult {
  outcome: "processed" | "ignored";
  note?: string;
  /** Email outbox rows to send once the event's effects are committed. */
  emails?: string[];
}

export type EventHandler = (ctx: Ctx, event: Stripe.Event) => Promise<HandlerResult>;

export const ignored = (note: string): HandlerResult => ({ outcome: "ignored", note });
