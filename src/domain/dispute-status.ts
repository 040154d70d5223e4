/**
 * Stripe's dispute statuses at `2026-10-28.endive` (SDK `Dispute.Status`), by what they mean for the
 * license the disputed payment paid for.
 */
const OPEN = ["warning_needs_response", "warning_under_review", "needs_response", "under_review"] as const;
/** Ended in our favour: `prevented` (the issuer's pre-dispute alert was resolved) ends like `won`. */
const ENDED_FOR_US = ["won", "warning_closed", "prevented"] as const;
/** Appealing a lost dispute changes nothing until the appeal is decided (`won` or `lost` again). */
const APPEALING = ["appeal_needs_response", "appeal_under_review"] as const;

export const isOpenDispute = (status: string) => (OPEN as readonly string[]).includes(status);
export const endedForUs = (status: string) => (ENDED_FOR_US as readonly string[]).includes(status);
export const isAppealing = (status: string) => (APPEALING as readonly string[]).includes(status);
export const isLostDispute = (status: string) => status === "lost";
