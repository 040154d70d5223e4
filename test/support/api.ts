// The API through a client typed by its routes (`App`, src/app.ts): a path, its body and its answer
// are the route's own types, and the request still goes through the real Worker entry like call().
// call() (http.ts) remains for what a typed client cannot send: bad signatures, malformed bodies.
import { exports } from "cloudflare:workers";
import { hc } from "hono/client";
import type { App } from "../../src/app";
import { ownClientIp, type ProblemBody } from "./http";

export const api = hc<App>("http://maximus.test", {
  fetch: (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    if (!request.headers.has("CF-Connecting-IP")) request.headers.set("CF-Connecting-IP", ownClientIp()); // per-IP limits never couple tests
    return exports.default.fetch(request);
  },
});

/** A typed client's error answer read for expectProblem() (http.ts): its status, headers and problem body. */
export async function problemOf(res: { status: number; headers: Headers; json(): Promise<unknown> }) {
  return { status: res.status, headers: res.headers, json: (await res.json()) as ProblemBody };
}
