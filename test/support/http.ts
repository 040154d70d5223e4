import { exports } from "cloudflare:workers";

export interface CallOptions {
  body?: unknown;
  rawBody?: BodyInit;
  headers?: Record<string, string>;
}

/** A request through the real Worker entry (router, middleware, bindings). */
export async function call(method: string, path: string, options: CallOptions = {}) {
  const headers = new Headers(options.headers);
  let body: BodyInit | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  const res = await exports.default.fetch(new Request(`http://maximus.test${path}`, { method, headers, body }));
  const text = await res.text();
  let json: any = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

export function expectProblem(res: Awaited<ReturnType<typeof call>>, status: number, code: string) {
  return {
    ok:
      res.status === status &&
      res.headers.get("content-type")?.startsWith("application/problem+json") === true &&
      res.json?.code === code &&
      res.json?.status === status &&
      typeof res.json?.title === "string" &&
      typeof res.json?.detail === "string" &&
      typeof res.json?.type === "string",
    res,
  };
}
