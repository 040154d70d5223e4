import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { captureLogs, leakedLines } from "./log-hygiene";
import { server } from "./msw";

captureLogs();

beforeAll(() => server.listen({ onUnhandledRequest: "bypass" }));
afterEach(() => server.resetHandlers());
afterAll(() => {
  server.close();
  // K3 for this whole file: see log-hygiene.ts. Lines are shown cut short, never whole.
  expect(
    leakedLines().map((l) => l.slice(0, 120)),
    "secrets or tokens in the logs",
  ).toEqual([]);
});
