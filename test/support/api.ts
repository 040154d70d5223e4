// The API through a client typed by its routes (`App`, src/app.ts): a path, its body and its answer
// are the route's own types, and the request still goes through the real Worker entry like call().
// call() (http.ts) remains for what a typed client cannot send or name (docs/architecture.md): bodies the
// schema refuses, raw or signed bytes, no body at all, paths that are no route, /openapi.json, /docs, the console.
import { env, exports } from "cloudflare:workers";
import { createExecutionContext } from "cloudflare:test";
import { hc } from "hono/client";
import { type App, createApp } from "../../src/app";
import type { Bindings } from "../../src/env";
import { ownClientIp, type ProblemBody } from "./http";

/** The client over one way of answering a request; each request gets its own client address. */
function typedClient(answer: (request: Request) => Promise<Response>) {
  return hc<App>("http://maximus.test", {
    fetch: (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      if (!request.headers.has("CF-Connecting-IP")) request.headers.set("CF-Connecting-IP", ownClientIp()); // per-IP limits never couple tests
      return answer(request);
    },
  });
}

/** The API as the Worker entry answers it (router, middleware, bindings). */
export const api = typedClient((request) => exports.default.fetch(request));

/** Like `api`, through the same app with some bindings replaced (another Logto endpoint, a dead database...). */
export function apiWithEnv(overrides: Partial<Bindings>) {
  const app = createApp();
  return typedClient(async (request) => app.fetch(request, { ...env, ...overrides }, createExecutionContext()));
}

/** What every typed answer has: hono's ClientResponse, one member per status the route declares. */
interface TypedAnswer {
  status: number;
  headers: Headers;
  json(): Promise<unknown>;
  text(): Promise<string>;
}

/** The body a route declares for one of its statuses. */
type BodyAt<R extends TypedAnswer, S extends number> = Awaited<ReturnType<Extract<R, { status: S }>["json"]>>;

/**
 * The answer, read, when it has the expected status; otherwise the test fails with the status and body it got.
 * The body has the type the route declares for that status (never `any`).
 */
export async function expectStatus<R extends TypedAnswer, S extends R["status"]>(
  answer: R | Promise<R>,
  status: S,
): Promise<{ status: S; headers: Headers; json: BodyAt<R, S> }> {
  const res = await answer;
  const text = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${text}`);
  return { status, headers: res.headers, json: (text === "" ? null : JSON.parse(text)) as BodyAt<R, S> };
}

/**
 * A typed client's error answer read for expectProblem() (http.ts): its status, headers, problem body, and the
 * raw text (to check what a refusal does not leak, or to show in a failure's message).
 */
export async function problemOf(answer: TypedAnswer | Promise<TypedAnswer>) {
  const res = await answer;
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: JSON.parse(text) as ProblemBody, text };
}
