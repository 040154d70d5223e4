import { env, exports } from "cloudflare:workers";
import { createExecutionContext } from "cloudflare:test";
import { createApp } from "../../src/app";
import { readJsonResult } from "../../tools/http/json-request.mjs";

export interface CallOptions {
  body?: unknown;
  rawBody?: BodyInit;
  headers?: Record<string, string>;
}

/** A client address no other call shares (see buildRequest); the typed client (api.ts) uses it too. */
export const ownClientIp = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}-${crypto.randomUUID()}`;

function buildRequest(method: string, path: string, options: CallOptions): Request {
  const headers = new Headers(options.headers);
  // Each call looks like its own client, so the per-IP rate limit never couples unrelated tests;
  // rate-limit tests set the header themselves.
  if (!headers.has("CF-Connecting-IP")) headers.set("CF-Connecting-IP", ownClientIp());
  let body: BodyInit | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  return new Request(`http://maximus.test${path}`, { method, headers, body });
}

/**
 * A raw answer: what a request the typed client (api.ts) cannot send gets back. Its body is no route's
 * type, so its fields stay `unknown` until the test checks them (a problem's `code`, mostly).
 */
export interface RawResult {
  status: number;
  headers: Headers;
  text: string;
  json: ProblemBody | undefined;
}

const readResult = async (res: Response): Promise<RawResult> => (await readJsonResult(res)) as RawResult;

/** A raw request through the real Worker entry (router, middleware, bindings): for what api.ts cannot send. */
export async function call(method: string, path: string, options: CallOptions = {}) {
  return readResult(await exports.default.fetch(buildRequest(method, path, options)));
}

/** Like call(), through the same app with some bindings replaced (another Logto endpoint, a dead database...). */
export async function callWithEnv(overrides: Partial<Env>, method: string, path: string, options: CallOptions = {}) {
  const res = await createApp().fetch(
    buildRequest(method, path, options),
    { ...env, ...overrides },
    createExecutionContext(),
  );
  return readResult(res);
}

/** A problem+json answer's fields, as every error of the contract carries them. */
export interface ProblemBody {
  type?: unknown;
  title?: unknown;
  status?: unknown;
  detail?: unknown;
  code?: unknown;
  [field: string]: unknown;
}

/** Whether `res` is the contract's problem+json with this status and code (call()'s result or problemOf()'s). */
export function expectProblem<R extends { status: number; headers: Headers; json?: ProblemBody | null }>(
  res: R,
  status: number,
  code: string,
) {
  const body = res.json;
  return {
    ok:
      res.status === status &&
      res.headers.get("content-type")?.startsWith("application/problem+json") === true &&
      body?.code === code &&
      body?.status === status &&
      typeof body?.title === "string" &&
      typeof body?.detail === "string" &&
      typeof body?.type === "string",
    res,
  };
}
