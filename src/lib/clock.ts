export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export const toSec = (d: Date) => Math.floor(d.getTime() / 1000);
export const fromSec = (sec: number) => new Date(sec * 1000);
export const DAY_MS = 86_400_000;
export const addDays = (d: Date, days: number) => new Date(d.getTime() + days * DAY_MS);
/** Whole seconds, the precision of JWT times; API.md writes times as `2026-12-01T00:00:00Z`. */
export const truncateToSec = (d: Date) => fromSec(toSec(d));
export const toIsoSec = (d: Date) => truncateToSec(d).toISOString().replace(".000Z", "Z");
