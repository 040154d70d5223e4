/**
 * Seconds before a failed queue message is tried again: 1, 2, 4, … capped at ten minutes (with
 * max_retries = 100 an outage of ~16 h loses nothing). One formula for the event queue and the
 * dead-letter queue, so a retry's pace does not depend on which queue holds it.
 */
export const backoffSeconds = (attempts: number) => Math.min(2 ** Math.max(0, attempts - 1), 600);
