import type { ErrorCode } from "../errors";

/** The event can never be applied as it is (e.g. no product to map to): record it as failed, don't retry. */
export class PermanentEventError extends Error {
  constructor(
    readonly code: ErrorCode | "unmapped_product" | "invalid_event",
    message: string,
  ) {
    super(message);
    this.name = "PermanentEventError";
  }
}

/** Another consumer holds this event right now (a concurrent redelivery): try again shortly. */
export class EventBusyError extends Error {
  constructor(eventId: string) {
    super(`event ${eventId} is being applied by another consumer`);
    this.name = "EventBusyError";
  }
}
